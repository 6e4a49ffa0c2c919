/**
 * `@netplay/sdk`: a typed client for the netplay API. The types and the client are generated from
 * the API's OpenAPI document (openapi-typescript + openapi-fetch); the helpers wait for runs, walk
 * pages and verify webhook signatures.
 */
export {
  createNetplayClient,
  dataOf,
  NetplayApiError,
  type FetchResult,
  type NetplayClient,
  type NetplayClientOptions,
} from './client';
export { pages, type Page } from './pages';
export {
  dnsTraces,
  isFinished,
  probeTraces,
  runAndWait,
  waitForRun,
  type WaitOptions,
} from './runs';
export { verifyWebhook, type IncomingHeaders } from './webhooks';
export type * from './types';
export type { components, operations, paths, webhooks } from './generated/openapi';
