// The Express request behind a REST call or a GraphQL operation (the GraphQL module puts `req` in
// its context), so guards and decorators work the same for both.
import type { ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { Request } from 'express';

export type LearnerRole = 'learner' | 'instructor';

/** A learner session's identity (POST /v1/learner-sessions). */
export interface LearnerIdentity {
  sessionId: string;
  learnerRef: string;
  role: LearnerRole;
}

/**
 * The principal every query is scoped by: a tenant's API key sees everything of the tenant; a
 * learner session carries `learner`, and `ownerRef` (its learnerRef), which the repositories filter
 * sandboxes, runs and submissions by (CallerIdentity is an OwnerScope).
 */
export interface CallerIdentity {
  tenantId: string;
  /** The API key that authenticated the request; absent for a learner session. */
  apiKeyId?: string;
  learner?: LearnerIdentity;
  /** Set exactly when `learner` is: the owner of the rows this caller may see and change. */
  ownerRef?: string;
  /** A share link's token: it reads one sandbox revision (GET /v1/shared-revision) and nothing else. */
  share?: ShareIdentity;
}

export interface ShareIdentity {
  linkId: string;
  sandboxId: string;
  version: number;
}

export type AuthenticatedRequest = Request & { caller?: CallerIdentity };

export function requestOf(context: ExecutionContext): AuthenticatedRequest {
  if (context.getType<string>() === 'graphql') {
    const graphqlContext = GqlExecutionContext.create(context).getContext<{
      req?: AuthenticatedRequest;
    }>();
    if (!graphqlContext.req) throw new Error('the GraphQL context must carry the request as `req`');
    return graphqlContext.req;
  }
  return context.switchToHttp().getRequest<AuthenticatedRequest>();
}
