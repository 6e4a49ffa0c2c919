// How long a share link may live, for the REST body's validation and the service alike.
export const DEFAULT_SHARE_LINK_TTL_SECONDS = 7 * 86_400;
export const MIN_SHARE_LINK_TTL_SECONDS = 60;
export const MAX_SHARE_LINK_TTL_SECONDS = 90 * 86_400;
