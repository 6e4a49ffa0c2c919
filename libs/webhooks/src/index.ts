// @netplay/webhooks: outbound delivery to tenants' systems. Standard Webhooks signing, the retry
// schedule and its queue, the SSRF guard every outbound request goes through, and LTI 1.3 score
// passback. Persistence is in @netplay/db (webhook endpoint/event repositories).
export * from './event-types';
export * from './signing';
export * from './retry-schedule';
export * from './ssrf-guard';
export * from './guarded-http';
export * from './deliver-webhook';
export * from './webhook-delivery-queue';
export * from './publish-webhook-event';
export * from './delivery-reconciler';
export * from './lti';
