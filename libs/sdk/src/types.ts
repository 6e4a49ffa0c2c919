// Names for the document's schemas, so callers write `ProbeTrace` rather than
// `components['schemas']['ProbeTrace']`.
import type { components, webhooks } from './generated/openapi';

export type Schemas = components['schemas'];

export type ApiErrorBody = Schemas['Error'];
export type ApiErrorCode = ApiErrorBody['error']['code'];

export type Sandbox = Schemas['SandboxView'];
export type SandboxRevision = Schemas['SandboxRevisionView'];
export type Run = Schemas['Run'];
export type RunWithResult = Schemas['RunWithResult'];
export type RunStatus = Schemas['RunStatus'];
export type Step = Schemas['Step'];
export type StepResult = Schemas['StepResult'];
export type ScenarioResult = Schemas['ScenarioResult'];
export type ProbeTrace = Schemas['ProbeTrace'];
export type DnsTrace = Schemas['DnsTrace'];
export type Hop = Schemas['Hop'];
export type DnsQueryRecord = Schemas['DnsQueryRecord'];
export type Verdict = Schemas['Verdict'];
export type DropReason = Schemas['DropReason'];
export type EngineIssue = Schemas['EngineIssue'];
export type Exercise = Schemas['Exercise'];
export type Submission = Schemas['Submission'];
export type WebhookEndpoint = Schemas['WebhookEndpoint'];

/** Every event type a webhook receiver may get. */
export type WebhookEventType = keyof webhooks;
/** The body of an event of a type: `{type, timestamp, data}`. */
export type WebhookEventOf<Type extends WebhookEventType> = NonNullable<
  webhooks[Type]['post']['requestBody']
>['content']['application/json'];
/** Any event, discriminated by `type`. */
export type WebhookEvent = { [Type in WebhookEventType]: WebhookEventOf<Type> }[WebhookEventType];
