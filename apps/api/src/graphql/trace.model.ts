// The GraphQL types of traces, steps and step results, generated from the engine's trace schema
// (libs/engine/schema/trace.schema.json) and the OpenAPI step schemas (openapi/run-components.ts):
// ProbeTrace, DnsTrace, Hop, Packet, DnsQueryRecord, Verdict, DropReason, … and Step / StepInput.
import traceSchema from '@netplay/engine/trace-schema';
import type { Type } from '@nestjs/common';
import { createUnionType } from '@nestjs/graphql';
import { gradeComponents } from '../openapi/grade-components';
import { STEP_ACTION_SCHEMAS, runComponents } from '../openapi/run-components';
import { JsonSchemaTypes, type JsonSchema } from './json-schema-types';

const TRACE_DEFS = (traceSchema as { $defs: Record<string, JsonSchema> }).$defs;
const RUN_DEFS = { ...runComponents(), ...gradeComponents() } as Record<string, JsonSchema>;

/** Every step action as an optional field: exactly one is set (the engine checks it). */
const STEP_SCHEMA: JsonSchema = {
  type: 'object',
  description: 'One scenario step: exactly one action besides the optional `name`',
  properties: {
    name: { type: 'string' },
    ...Object.fromEntries(
      Object.entries(STEP_ACTION_SCHEMAS).map(([action, schema]) => [
        action,
        (schema as JsonSchema).properties?.[action] ?? {},
      ]),
    ),
  },
};

/**
 * Definitions for the converter: the trace schema's, the run components' (referred to through the
 * OpenAPI prefix, rewritten here to the one the converter reads) and the step.
 */
const DEFINITIONS = Object.fromEntries(
  Object.entries({ ...TRACE_DEFS, ...RUN_DEFS, Step: STEP_SCHEMA }).map(([name, schema]) => [
    name,
    JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', '"#/$defs/')),
  ]),
) as Record<string, JsonSchema>;

const outputs = new JsonSchemaTypes(DEFINITIONS, '#/$defs/');
const inputs = new JsonSchemaTypes(DEFINITIONS, '#/$defs/', 'input', 'Input');

export const ProbeTrace = outputs.objectClass('ProbeTrace');
export const DnsTrace = outputs.objectClass('DnsTrace');
export const ViewStepResult = outputs.objectClass('ViewStepResult');
export const MutationStepResult = outputs.objectClass('MutationStepResult');
export const EngineIssue = outputs.objectClass('EngineIssue');
export const Step = outputs.objectClass('Step');
export const StepKind = outputs.named('StepKind');
export const StepInput = inputs.objectClass('Step');
export const SubmissionGrade = outputs.objectClass('SubmissionGrade');

/** What a step produced; the step's `kind` says which too. */
export const StepResultUnion = createUnionType({
  name: 'StepResult',
  description:
    'probe: ProbeTrace; dns: DnsTrace; get: ViewStepResult; the rest: MutationStepResult',
  types: () => [ProbeTrace, DnsTrace, ViewStepResult, MutationStepResult] as Type<unknown>[],
  resolveType: (value: { kind?: string; view?: unknown }) => {
    if (value.kind === 'probe') return ProbeTrace;
    if (value.kind === 'dns') return DnsTrace;
    return 'view' in value ? ViewStepResult : MutationStepResult;
  },
}) as object;

/** GraphQL input objects carry every field, unset ones as null; the engine reads only set ones. */
export function stepsFromInput(steps: object[]): object[] {
  return steps.map((step) => withoutNulls(step) as object);
}

function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, inner]) => inner !== null && inner !== undefined)
      .map(([key, inner]) => [key, withoutNulls(inner)]),
  );
}
