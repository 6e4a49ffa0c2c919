// Turns an Authorization header into the caller, for the REST guard, the GraphQL HTTP gate and the
// graphql-ws handshake alike. The bearer is a tenant's API key (`np_…`) or a learner session's
// token (`nls_…`); sessions are looked up on every request (one indexed read), so a revocation or
// an expiry takes effect at once. A key this process holds in its cache costs nothing; any other costs
// a database lookup, so those are bounded per client address: a malformed key is refused without
// one, and an address whose keys failed too often this minute gets 429 before another lookup.
import { Inject, Injectable } from '@nestjs/common';
import {
  API_KEY_TOKENS,
  LEARNER_TOKENS,
  SHARE_TOKENS,
  type LearnerSessionRecord,
  type ShareLinkRecord,
} from '@netplay/db';
import { ApiError } from '../errors/api-error';
import { RateLimitsService } from '../throttling/rate-limits.service';
import type { CallerIdentity } from './request-of';

export interface ApiKeyIdentity {
  id: string;
  tenantId: string;
}

/** What authentication needs from the API key repository (and its cache). */
export interface ApiKeyAuthenticator {
  authenticate(plaintext: string): Promise<ApiKeyIdentity | undefined>;
  /** The identity when it is known without a lookup. */
  cached?(plaintext: string): ApiKeyIdentity | undefined;
}
export const API_KEY_AUTHENTICATOR = Symbol('API_KEY_AUTHENTICATOR');

/** What authentication needs from the learner session repository. */
export interface LearnerSessionAuthenticator {
  authenticate(token: string): Promise<LearnerSessionRecord | undefined>;
}
export const LEARNER_SESSION_AUTHENTICATOR = Symbol('LEARNER_SESSION_AUTHENTICATOR');

/** What authentication needs from the share link repository. */
export interface ShareLinkAuthenticator {
  authenticate(token: string): Promise<ShareLinkRecord | undefined>;
}
export const SHARE_LINK_AUTHENTICATOR = Symbol('SHARE_LINK_AUTHENTICATOR');

@Injectable()
export class ApiKeyAuthentication {
  constructor(
    @Inject(API_KEY_AUTHENTICATOR) private readonly keys: ApiKeyAuthenticator,
    private readonly limits: RateLimitsService,
    @Inject(LEARNER_SESSION_AUTHENTICATOR) private readonly sessions: LearnerSessionAuthenticator,
    @Inject(SHARE_LINK_AUTHENTICATOR) private readonly shareLinks: ShareLinkAuthenticator,
  ) {}

  /** The caller behind `Authorization: Bearer <key>`, or ApiError `unauthenticated` / `rate-limited`. */
  async authenticate(authorization: unknown, clientAddress: string): Promise<CallerIdentity> {
    const token = bearerToken(authorization);
    if (!token)
      throw new ApiError('unauthenticated', 'an API key is required (Authorization: Bearer <key>)');
    if (token.startsWith(LEARNER_TOKENS.marker))
      return this.authenticateLearner(token, clientAddress);
    if (token.startsWith(SHARE_TOKENS.marker)) return this.authenticateShare(token, clientAddress);
    const cached = this.keys.cached?.(token);
    if (cached) return { tenantId: cached.tenantId, apiKeyId: cached.id };
    await this.limits.assertMayAuthenticate(clientAddress);
    const key = API_KEY_TOKENS.isWellFormed(token)
      ? await this.keys.authenticate(token)
      : undefined;
    if (!key) {
      await this.limits.recordAuthFailure(clientAddress);
      throw new ApiError('unauthenticated', 'the API key is unknown or revoked');
    }
    return { tenantId: key.tenantId, apiKeyId: key.id };
  }

  /**
   * The tenant of an API key this process holds in its cache, known without any lookup; undefined
   * for anything else (no key, a key not cached, a learner session or share link).
   */
  cachedTenantOf(authorization: unknown): string | undefined {
    const token = bearerToken(authorization);
    return token && API_KEY_TOKENS.isWellFormed(token)
      ? this.keys.cached?.(token)?.tenantId
      : undefined;
  }

  private async authenticateLearner(token: string, clientAddress: string): Promise<CallerIdentity> {
    await this.limits.assertMayAuthenticate(clientAddress);
    const session = LEARNER_TOKENS.isWellFormed(token)
      ? await this.sessions.authenticate(token)
      : undefined;
    if (!session) {
      await this.limits.recordAuthFailure(clientAddress);
      throw new ApiError('unauthenticated', 'the learner session is unknown, expired or revoked');
    }
    return {
      tenantId: session.tenantId,
      learner: { sessionId: session.id, learnerRef: session.learnerRef, role: session.role },
      ownerRef: session.learnerRef,
    };
  }

  private async authenticateShare(token: string, clientAddress: string): Promise<CallerIdentity> {
    await this.limits.assertMayAuthenticate(clientAddress);
    const link = SHARE_TOKENS.isWellFormed(token)
      ? await this.shareLinks.authenticate(token)
      : undefined;
    if (!link) {
      await this.limits.recordAuthFailure(clientAddress);
      throw new ApiError('unauthenticated', 'the share link is unknown, expired or revoked');
    }
    return {
      tenantId: link.tenantId,
      share: { linkId: link.id, sandboxId: link.sandboxId, version: link.version },
    };
  }

  /** A wrong admin key counts as a failed authentication of its address, like a wrong API key. */
  async assertMayTryAdminKey(clientAddress: string): Promise<void> {
    await this.limits.assertMayAuthenticate(clientAddress);
  }

  async recordFailure(clientAddress: string): Promise<void> {
    await this.limits.recordAuthFailure(clientAddress);
  }
}

export function bearerToken(header: unknown): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** The peer address (the API does not trust X-Forwarded-For; a proxy in front must limit itself). */
export function clientAddressOf(request: {
  ip?: string;
  socket?: { remoteAddress?: string };
}): string {
  return request.ip ?? request.socket?.remoteAddress ?? 'unknown';
}
