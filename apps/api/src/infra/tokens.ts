// Injection tokens of what the API's composition root opened that is not a repository class
// (repositories are provided under their own class).
export const SERVICE_MODE = Symbol('SERVICE_MODE');
export const DATABASE = Symbol('DATABASE');
export const SCENARIO_QUEUE = Symbol('SCENARIO_QUEUE');
export const RUN_STATUS_EVENTS = Symbol('RUN_STATUS_EVENTS');
export const DELIVERY_QUEUE = Symbol('DELIVERY_QUEUE');
/** GradingSources (@netplay/jobs): the queues and repositories the grading consumers use. */
export const GRADING_SOURCES = Symbol('GRADING_SOURCES');
/** `{redis, keyPrefix}`: the rate limiter's client (absent in embedded mode) and key prefix. */
export const RATE_LIMIT_REDIS = Symbol('RATE_LIMIT_REDIS');
/** Why endpoint secrets cannot be stored (NETPLAY_SECRET_KEY missing outside embedded mode), or ''. */
export const SECRETS_UNAVAILABLE = Symbol('SECRETS_UNAVAILABLE');
/** publishWebhookEvent bound to the endpoint and message repositories and the delivery queue. */
export const WEBHOOK_PUBLISH = Symbol('WEBHOOK_PUBLISH');
