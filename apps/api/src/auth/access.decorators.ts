// Every route needs a tenant's API key unless marked otherwise: a forgotten decorator fails closed.
import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { ApiError } from '../errors/api-error';
import { requestOf, type CallerIdentity } from './request-of';

export type AccessLevel = 'public' | 'admin' | 'tenant';
export const ACCESS_METADATA = 'netplay:access';

/** Health, metrics and the API reference: no key. */
export const Public = () => SetMetadata(ACCESS_METADATA, 'public' satisfies AccessLevel);
/** The operator's endpoints: the NETPLAY_ADMIN_KEY bootstrap key. */
export const AdminOnly = () => SetMetadata(ACCESS_METADATA, 'admin' satisfies AccessLevel);

/** The authenticated caller (tenant + key); every query is scoped by its tenant. */
export const Caller = createParamDecorator(
  (_data: unknown, context: ExecutionContext): CallerIdentity => {
    const caller = requestOf(context).caller;
    if (!caller) throw new ApiError('unauthenticated', 'an API key is required');
    return caller;
  },
);
