/**
 * Name formats the API server enforces, with its wording
 * (k8s.io/apimachinery/pkg/util/validation/validation.go).
 */
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const IANA_SVC_NAME = /^[-a-z0-9]+$/;

export type NameFormat = 'dns1123-label' | 'dns1035-label' | 'dns1123-subdomain';

/** Returns the API server's complaint about `value`, or null when it is valid. */
export function nameProblem(value: string, format: NameFormat): string | null {
  switch (format) {
    case 'dns1123-label':
      if (value.length > 63) return 'must be no more than 63 characters';
      if (!DNS1123_LABEL.test(value))
        return `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`;
      return null;
    case 'dns1035-label':
      if (value.length > 63) return 'must be no more than 63 characters';
      if (!DNS1035_LABEL.test(value))
        return `a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`;
      return null;
    case 'dns1123-subdomain':
      if (value.length > 253) return 'must be no more than 253 characters';
      if (!DNS1123_SUBDOMAIN.test(value))
        return `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`;
      return null;
  }
}

/** IANA_SVC_NAME (RFC 6335): port names of containers and the named form of a Service's targetPort. */
export function portNameProblem(value: string): string | null {
  if (value.length > 15) return 'must be no more than 15 characters';
  if (!IANA_SVC_NAME.test(value))
    return 'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)';
  if (value.includes('--')) return 'must not contain consecutive hyphens';
  if (!/[a-z]/.test(value)) return 'must contain at least one letter (a-z)';
  if (value.startsWith('-') || value.endsWith('-')) return 'must not begin or end with a hyphen';
  return null;
}

export function portNumberProblem(value: number): string | null {
  return value >= 1 && value <= 65535 ? null : 'must be between 1 and 65535, inclusive';
}
