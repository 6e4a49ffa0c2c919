/**
 * Largest accepted request body in bytes (2 MiB): JSON and YAML bodies over HTTP (413 beyond it)
 * and each graphql-ws message (the socket is closed with 1009 beyond it).
 */
export const BODY_LIMIT_BYTES = 2 * 1024 * 1024;
