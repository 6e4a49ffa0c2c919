// The Express request behind a REST call or a GraphQL operation (the GraphQL module puts `req` in
// its context), so guards and decorators work the same for both.
import type { ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { Request } from 'express';

export interface CallerIdentity {
  tenantId: string;
  apiKeyId: string;
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
