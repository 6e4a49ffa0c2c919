// The bounds of a learner session, shared by the REST body's validation and the service (which the
// LTI launch calls directly).
export const DEFAULT_LEARNER_SESSION_TTL_SECONDS = 3_600;
export const MIN_LEARNER_SESSION_TTL_SECONDS = 60;
/** Twelve hours: a lesson, not a standing credential; the platform makes a new one per launch. */
export const MAX_LEARNER_SESSION_TTL_SECONDS = 12 * 3_600;
export const MAX_LEARNER_REF_LENGTH = 200;
