// One hostile input as data: what an attacker sends, what the service must answer (status and
// error code), and how long it may take. The suite (test/hostile) and the noisy-neighbour bench
// (test/bench) both read these lists.

/** What a case may refer to: the attacker's own key and sandbox. */
export interface AttackContext {
  key: string;
  sandboxId: string;
}

export interface HostileRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  /** Omitted: `Authorization: Bearer <key>`. `null`: no Authorization header at all. */
  authorization?: string | null;
  contentType?: string;
  body?: string | Uint8Array;
}

export interface HostileExpectation {
  status: number;
  /** REST `error.code`, or GraphQL `errors[0].extensions.code`. */
  code: string;
  /** An engine issue code that must appear in the answer's details (e.g. `YAML_ALIAS_LIMIT`). */
  issueCode?: string;
}

export interface HostileCase {
  family: 'yaml' | 'expansion' | 'graphql' | 'http';
  name: string;
  request(context: AttackContext): HostileRequest;
  expect: HostileExpectation;
  /** The answer's time bound, generous for a loaded 2-core machine. */
  withinMs: number;
  /**
   * Why the case is not run yet: the limit it needs has not landed. The suite lists pending cases
   * by name and checks nothing else about them; an empty list means every case runs.
   */
  pendingUntil?: string;
}

let writes = 0;

/**
 * A sandbox write of `manifests` (YAML text, or objects as the JSON route also takes them) through
 * the JSON route (the engine validates them). Each request gets a name of its own (the process id
 * too: the bench sends the corpus from one process after another to one tenant), so a case that is
 * accepted can be sent again.
 */
export function sandboxWrite(name: string, manifests: string | object[]): HostileRequest {
  writes += 1;
  return {
    method: 'POST',
    path: '/v1/sandboxes',
    contentType: 'application/json',
    body: JSON.stringify({ name: `${name}-${process.pid}-${writes}`, manifests }),
  };
}

/** A GraphQL POST of `body` (already JSON). */
export function graphqlPost(body: string, authorization?: string | null): HostileRequest {
  return {
    method: 'POST',
    path: '/graphql',
    contentType: 'application/json',
    body,
    ...(authorization === undefined ? {} : { authorization }),
  };
}
