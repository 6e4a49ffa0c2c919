// The trace types of the OpenAPI document come from the JSON Schema the engine's own tests validate
// traces against (libs/engine/schema/trace.schema.json): its `$defs` become `components.schemas`
// with their references rewritten. OpenAPI 3.1 schemas are JSON Schema 2020-12, so nothing else
// changes; a field added to the engine's schema appears in the document (and the SDK) by itself.
import traceSchema from '@netplay/engine/trace-schema';

const DEFS_PREFIX = '#/$defs/';
const COMPONENTS_PREFIX = '#/components/schemas/';

/** The trace schema's definitions as OpenAPI components (ProbeTrace, DnsTrace, Hop, Verdict, …). */
export function traceComponents(): Record<string, unknown> {
  const defs = (traceSchema as { $defs: Record<string, unknown> }).$defs;
  return Object.fromEntries(
    Object.entries(defs).map(([name, schema]) => [name, rewriteRefs(schema)]),
  );
}

function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => {
      if (key === '$ref' && typeof inner === 'string' && inner.startsWith(DEFS_PREFIX))
        return [key, COMPONENTS_PREFIX + inner.slice(DEFS_PREFIX.length)];
      return [key, rewriteRefs(inner)];
    }),
  );
}

/** A reference to a component, in the form decorators and hand-written schemas use. */
export function componentRef(name: string): { $ref: string } {
  return { $ref: COMPONENTS_PREFIX + name };
}
