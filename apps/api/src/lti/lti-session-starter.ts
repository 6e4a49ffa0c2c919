// Where a valid resource-link launch lands: a learner session of the playground page for the
// launch's user (LearnerSessionsService), opened on the exercise inside the platform's iframe.
import { createHash } from 'node:crypto';
import type { LearnerSessionsService } from '../learner-sessions/learner-sessions.service';

export interface LtiSessionRequest {
  tenantId: string;
  learnerRef: string;
  exerciseId: string;
  role: 'learner' | 'instructor';
}

export interface LtiSessionStarter {
  /** The session and the URL (relative to the service) the launch redirects the iframe to. */
  start(request: LtiSessionRequest): Promise<{ url: string; sessionId: string }>;
}

export const LTI_SESSION_STARTER = Symbol('LTI_SESSION_STARTER');

/** A launch's session lasts a lesson; the platform launches again for the next one. */
const LTI_SESSION_TTL_SECONDS = 4 * 3600;

export function learnerSessionStarter(sessions: LearnerSessionsService): LtiSessionStarter {
  return {
    start: async (request) => {
      const created = await sessions.create({ ...request, ttl: LTI_SESSION_TTL_SECONDS });
      return { url: created.embedUrl, sessionId: created.session.id };
    },
  };
}

/**
 * The learnerRef of a platform user: `lti:<registration id>:<sub>` (a sub longer than 150
 * characters, which OIDC allows up to 255, by its sha256), within the 200 characters a learnerRef
 * may have. The same user gets the same ref on every launch, so rosters match submissions by it.
 */
export function ltiLearnerRef(platformId: string, subject: string): string {
  const user =
    subject.length <= 150
      ? subject
      : `sha256-${createHash('sha256').update(subject).digest('base64url')}`;
  return `lti:${platformId}:${user}`;
}
