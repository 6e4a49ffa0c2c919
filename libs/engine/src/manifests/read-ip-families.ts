import { FieldReader, type JsonObject } from './field-reader';

const FAMILIES = ['IPv4', 'IPv6'] as const;
const POLICIES = ['SingleStack', 'PreferDualStack', 'RequireDualStack'] as const;

/**
 * Dual-stack fields of a Service. The simulated cluster is single-stack IPv4, which is what a real
 * single-stack cluster does with them: `PreferDualStack` quietly falls back to IPv4 (a warning here),
 * while `RequireDualStack` or an IPv6-only Service would be rejected (an error).
 * See https://kubernetes.io/docs/concepts/services-networking/dual-stack/#services
 */
export function readIpFamilies(r: FieldReader, spec: JsonObject): ('IPv4' | 'IPv6')[] {
  const policy = r.oneOf(spec, 'ipFamilyPolicy', 'spec', POLICIES);
  const list = r.array(spec, 'ipFamilies', 'spec') ?? [];
  const families: ('IPv4' | 'IPv6')[] = [];
  list.forEach((item, i) => {
    if (typeof item === 'string' && (FAMILIES as readonly string[]).includes(item))
      families.push(item as 'IPv4' | 'IPv6');
    else
      r.error(
        'INVALID_FIELD',
        `spec.ipFamilies[${i}]`,
        `Unsupported value: ${JSON.stringify(item)}: supported values: "IPv4", "IPv6"`,
      );
  });
  if (families.length > 2 || (families.length === 2 && families[0] === families[1]))
    r.error(
      'INVALID_FIELD',
      'spec.ipFamilies',
      'Invalid value: may contain at most one entry per family',
    );
  if (policy === 'RequireDualStack')
    r.error(
      'UNSUPPORTED',
      'spec.ipFamilyPolicy',
      'RequireDualStack cannot be honoured: the simulated cluster is single-stack IPv4',
    );
  else if (families[0] === 'IPv6')
    r.error(
      'UNSUPPORTED',
      'spec.ipFamilies[0]',
      'an IPv6 Service cannot be honoured: the simulated cluster is single-stack IPv4',
    );
  else if (policy === 'PreferDualStack' || families.includes('IPv6'))
    r.warn(
      'UNSUPPORTED',
      policy === 'PreferDualStack' ? 'spec.ipFamilyPolicy' : 'spec.ipFamilies',
      'dual-stack is not simulated: the Service gets an IPv4 ClusterIP only',
    );
  return ['IPv4'];
}
