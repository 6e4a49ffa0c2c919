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

export const LEARNER_ALLOWED_METADATA = 'netplay:learner-allowed';
/**
 * Routes a learner session may call (its own sandboxes, runs and submissions; exercises read-only).
 * Every other route refuses a learner session with 403, so a route added later is closed to
 * learners until someone decides otherwise.
 */
export const LearnerAllowed = () => SetMetadata(LEARNER_ALLOWED_METADATA, true);

export const SHARE_ALLOWED_METADATA = 'netplay:share-allowed';
/** The only routes a share link's token may call; it is refused (403) everywhere else. */
export const ShareAllowed = () => SetMetadata(SHARE_ALLOWED_METADATA, true);

/** The authenticated caller (tenant + key or learner session); every query is scoped by it. */
export const Caller = createParamDecorator(
  (_data: unknown, context: ExecutionContext): CallerIdentity => {
    const caller = requestOf(context).caller;
    if (!caller) throw new ApiError('unauthenticated', 'an API key is required');
    return caller;
  },
);
