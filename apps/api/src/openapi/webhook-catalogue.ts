// The webhook event catalogue of the OpenAPI document (the 3.1 `webhooks` section): each event type
// of WEBHOOK_EVENT_TYPES (and the ping) with its Standard Webhooks headers and its payload schema,
// `{type, timestamp, data}`. The payload schemas describe libs/webhooks' WebhookEventData; the SDK
// journey test validates delivered events against them.
import type { PathItemObject, ParameterObject } from '@nestjs/swagger';
import type { AnyWebhookEventType } from '@netplay/webhooks';
import { componentRef } from './trace-components';

const id = (description: string) => ({ type: 'string', description });

const EVENT_DATA: Record<AnyWebhookEventType, { summary: string; data: Record<string, unknown> }> =
  {
    'submission.graded': {
      summary: 'A submission was graded (or grading failed)',
      data: {
        type: 'object',
        required: [
          'submissionId',
          'exerciseId',
          'exerciseSlug',
          'learnerRef',
          'status',
          'score',
          'maxScore',
          'passedChecks',
          'failedChecks',
        ],
        additionalProperties: false,
        properties: {
          submissionId: id('GET /v1/submissions/{id}'),
          exerciseId: id('The exercise'),
          exerciseSlug: id("The exercise's metadata.name"),
          learnerRef: id("The training platform's id of the learner"),
          status: { type: 'string', enum: ['graded', 'failed'] },
          score: { type: 'number', minimum: 0 },
          maxScore: { type: 'number', minimum: 0 },
          passedChecks: {
            type: 'array',
            items: { type: 'string' },
            description: 'Ids of the visible checks that passed (hidden checks are never named)',
          },
          failedChecks: { type: 'array', items: { type: 'string' } },
        },
      },
    },
    'run.completed': {
      summary: 'A run finished (succeeded or failed)',
      data: {
        type: 'object',
        required: ['runId', 'sandboxId', 'status', 'summary'],
        additionalProperties: false,
        properties: {
          runId: id('GET /v1/runs/{id} for the traces'),
          sandboxId: id('The sandbox the run ran against'),
          status: { type: 'string', enum: ['succeeded', 'failed'] },
          summary: {
            type: 'object',
            required: ['steps', 'verdicts'],
            additionalProperties: false,
            properties: {
              steps: { type: 'integer', minimum: 0 },
              verdicts: {
                type: 'object',
                description: 'Probe count per verdict, e.g. `{"delivered": 3, "dropped": 1}`',
                propertyNames: componentRef('Verdict'),
                additionalProperties: { type: 'integer', minimum: 0 },
              },
            },
          },
          error: { type: 'string', description: 'Why a failed run failed' },
        },
      },
    },
    'endpoint.disabled': {
      summary: 'An endpoint was disabled after failing deliveries',
      data: {
        type: 'object',
        required: ['endpointId', 'url', 'reason'],
        additionalProperties: false,
        properties: {
          endpointId: id('The endpoint'),
          url: { type: 'string' },
          reason: { type: 'string' },
        },
      },
    },
    'endpoint.ping': {
      summary:
        'A test event, sent to one endpoint by POST /v1/webhook-endpoints/{id}/ping (no subscription needed)',
      data: {
        type: 'object',
        required: ['endpointId', 'url'],
        additionalProperties: false,
        properties: { endpointId: id('The endpoint pinged'), url: { type: 'string' } },
      },
    },
  };

const SIGNED_HEADERS: ParameterObject[] = [
  {
    name: 'webhook-id',
    in: 'header',
    required: true,
    description: 'The message id: the same on every attempt (deduplicate on it)',
    schema: { type: 'string' },
  },
  {
    name: 'webhook-timestamp',
    in: 'header',
    required: true,
    description: 'Unix seconds of this attempt; refuse messages more than 5 minutes off',
    schema: { type: 'string', pattern: '^[0-9]+$' },
  },
  {
    name: 'webhook-signature',
    in: 'header',
    required: true,
    description:
      'Space-separated `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`, one per active secret (Standard Webhooks v1)',
    schema: { type: 'string' },
  },
];

export function eventSchemaName(type: string): string {
  const words = type.split(/[._]/).map((word) => word[0].toUpperCase() + word.slice(1));
  return `${words.join('')}Event`;
}

export function webhookCatalogue(): {
  schemas: Record<string, unknown>;
  webhooks: Record<string, PathItemObject>;
} {
  const entries = Object.entries(EVENT_DATA) as [
    AnyWebhookEventType,
    (typeof EVENT_DATA)[AnyWebhookEventType],
  ][];
  const schemas: Record<string, unknown> = {};
  const webhooks: Record<string, PathItemObject> = {};
  for (const [type, { summary, data }] of entries) {
    const name = eventSchemaName(type);
    schemas[name] = {
      type: 'object',
      description: summary,
      required: ['type', 'timestamp', 'data'],
      additionalProperties: false,
      properties: {
        type: { const: type },
        timestamp: { type: 'string', format: 'date-time', description: 'When it happened' },
        data,
      },
    };
    webhooks[type] = {
      post: {
        operationId: `on${name}`,
        summary,
        tags: ['webhooks'],
        security: [],
        parameters: SIGNED_HEADERS,
        requestBody: {
          required: true,
          content: { 'application/json': { schema: componentRef(name) } },
        },
        responses: {
          '200': {
            description:
              'Any 2xx acknowledges the message; anything else (or no answer in 15 s) is retried',
          },
        },
      },
    };
  }
  return { schemas, webhooks };
}
