import type { SsrfPolicy } from '@netplay/webhooks';
import { ApiError } from '../errors/api-error';
import { checkEndpointUrl } from './webhooks.service';

const NOT_ALLOWLISTED: SsrfPolicy = { allowedHosts: [] };
const LOOPBACK_ALLOWLISTED: SsrfPolicy = { allowedHosts: ['127.0.0.1/32'] };

function codeOf(url: string, policy: SsrfPolicy): string | undefined {
  try {
    checkEndpointUrl(url, policy);
    return undefined;
  } catch (error) {
    return error instanceof ApiError ? error.code : 'not an ApiError';
  }
}

describe('checkEndpointUrl', () => {
  it.each([
    ['http://127.0.0.1:8080/hooks', NOT_ALLOWLISTED, 'unsafe-webhook-url'],
    ['http://169.254.169.254/latest/meta-data/', NOT_ALLOWLISTED, 'unsafe-webhook-url'],
    ['http://[::1]/hooks', NOT_ALLOWLISTED, 'unsafe-webhook-url'],
    ['http://2130706433/hooks', NOT_ALLOWLISTED, 'unsafe-webhook-url'],
    ['http://user:pw@example.com/hooks', NOT_ALLOWLISTED, 'unsafe-webhook-url'],
    ['not a url', NOT_ALLOWLISTED, 'validation-failed'],
    ['http://127.0.0.1:8080/hooks', LOOPBACK_ALLOWLISTED, undefined],
    ['http://169.254.169.254/', LOOPBACK_ALLOWLISTED, 'unsafe-webhook-url'],
    ['https://lms.example.com/hooks', NOT_ALLOWLISTED, undefined],
  ])('%s (allowlist %j) → %s', (url, policy, expected) => {
    expect(codeOf(url, policy)).toBe(expected);
  });
});
