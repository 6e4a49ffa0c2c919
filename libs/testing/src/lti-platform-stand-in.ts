// A small LTI 1.3 platform on loopback for tests, following the specifications: its own RS256 keys
// and JWKS (`/jwks`, rotatable), an OpenID configuration (`/.well-known/openid-configuration`), an
// OIDC auth endpoint (`/auth`) answering the tool's login with an auto-posted id_token form, a
// dynamic registration endpoint (`/register`, one-time bearer token), a token endpoint verifying
// the client assertion (RFC 7523) against the tool's public keys — given directly, or fetched from
// the tool's JWKS URL as a real platform does — and granting the scopes asked for; AGS 2.0's line
// item container (`/lineitems`: GET filtered by resource_link_id, resource_id and tag, POST a new
// line item) and `/lineitems/<id>/scores`, checking the bearer token's scope, the media types and
// the bodies; `/memberships` answers NRPS, paged with `Link: rel="next"` when `membershipsPageSize`
// says; and `/deep-link-return` verifies the tool's LtiDeepLinkingResponse. `failNextScores`
// scripts 5xx answers for retry tests.
import http from 'node:http';
import type { KeyObject } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createLocalJWKSet, jwtVerify, SignJWT, type JSONWebKeySet, type JWK } from 'jose';
import {
  AGS_SCORE_SCOPE,
  CLIENT_ASSERTION_TYPE,
  generateLtiToolKey,
  LINE_ITEM_CONTAINER_MEDIA_TYPE,
  LINE_ITEM_MEDIA_TYPE,
  LTI_CLAIMS,
  LTI_MESSAGE_TYPES,
  LTI_SCOPES,
  NRPS_MEMBERSHIPS_MEDIA_TYPE,
  SCORE_CONTENT_TYPE,
  type LtiToolKey,
} from '@netplay/webhooks';

/** Access tokens the stand-in issues start with this; each carries the scopes it was granted. */
export const STAND_IN_ISSUED_TOKEN = 'platform-issued-token';

/** A line item as AGS 2.0 §3.2 shows it (`id` is its URL). */
export interface StandInLineItem {
  id: string;
  scoreMaximum: number;
  label: string;
  resourceId?: string;
  resourceLinkId?: string;
  tag?: string;
}

export interface ReceivedScore {
  /** Path and query of the scores URL the score was posted to. */
  path: string;
  score: Record<string, unknown>;
}

export interface PlatformLog {
  tokenRequests: number;
  scores: ReceivedScore[];
  refusals: string[];
  /** GETs of the platform's JWKS. */
  jwksFetches: number;
  /** Tool configurations posted to the registration endpoint. */
  registrations: Record<string, unknown>[];
  /** Verified LtiDeepLinkingResponse payloads posted back. */
  deepLinkResponses: Record<string, unknown>[];
  /** Auth requests (the query of each). */
  authRequests: Record<string, string>[];
  /** Line item container requests: method and path with query. */
  lineItemRequests: string[];
  /** Memberships pages served (path with query). */
  membershipPages: string[];
}

export interface StandInUser {
  sub: string;
  roles: string[];
  name?: string;
  email?: string;
}

export interface LtiPlatformStandInOptions {
  clientId: string;
  /** The tool's keys, read on every token request (e.g. fetched from the JWKS the API serves). */
  keys: () => JSONWebKeySet | Promise<JSONWebKeySet>;
  deploymentId?: string;
  /** The course's members (NRPS). */
  members?: StandInUser[];
  /** Members per memberships page; the whole roster in one answer without it. */
  membershipsPageSize?: number;
}

export interface IdTokenOptions {
  nonce: string;
  user?: StandInUser;
  messageType?: string;
  /** Claims added (or, with `undefined`, removed) after the defaults. */
  claims?: Record<string, unknown>;
  /** Signed with another key (its kid is still the platform's current one unless `kid` says). */
  signWith?: KeyObject;
  kid?: string;
  audience?: string | string[];
  issuedAt?: number;
  expiresIn?: number;
}

export interface LtiPlatformStandIn {
  baseUrl: string;
  tokenUrl: string;
  issuer: string;
  authUrl: string;
  jwksUrl: string;
  openIdConfigurationUrl: string;
  deploymentId: string;
  registrationToken: string;
  log: PlatformLog;
  /** The line item container's URL (AGS endpoint claim `lineitems`). */
  lineItemsUrl: string;
  /** The line items the container holds (created by the tool or by `addLineItem`). */
  lineItems: StandInLineItem[];
  addLineItem(item: Omit<StandInLineItem, 'id'>): StandInLineItem;
  /** The next `count` score posts are answered with `status` (and not recorded). */
  failNextScores(count: number, status: number): void;
  /** A signed id_token as this platform issues it for the tool (client id = audience). */
  idToken(options: IdTokenOptions): Promise<string>;
  /** What `/auth` launches next: the user and extra claims. */
  nextLaunch(launch: {
    user: StandInUser;
    messageType?: string;
    claims?: Record<string, unknown>;
  }): void;
  /** A new signing key; the JWKS then publishes it (the old one too when `keepOld`). */
  rotateKey(keepOld: boolean): Promise<void>;
  close(): Promise<void>;
}

const MEMBERSHIP = 'http://purl.imsglobal.org/vocab/lis/v2/membership';
const GRANTABLE_SCOPES = new Set<string>([
  AGS_SCORE_SCOPE,
  LTI_SCOPES.lineItem,
  LTI_SCOPES.lineItemReadOnly,
  LTI_SCOPES.resultReadOnly,
  LTI_SCOPES.memberships,
]);

const SCORES_PATH = /^\/lineitems\/[^/?]+\/scores(\?.*)?$/;

export async function startLtiPlatformStandIn(
  options: LtiPlatformStandInOptions,
): Promise<LtiPlatformStandIn> {
  const log: PlatformLog = {
    tokenRequests: 0,
    scores: [],
    refusals: [],
    jwksFetches: 0,
    registrations: [],
    deepLinkResponses: [],
    authRequests: [],
    lineItemRequests: [],
    membershipPages: [],
  };
  const lineItems: StandInLineItem[] = [];
  const grantedScopes = new Map<string, string[]>();
  const deploymentId = options.deploymentId ?? 'deployment-1';
  const registrationToken = 'one-time-registration-token';
  let signingKeys: LtiToolKey[] = [await generateLtiToolKey('platform-key-1')];
  let keyCounter = 1;
  let pendingLaunch: { user: StandInUser; messageType?: string; claims?: Record<string, unknown> } =
    { user: { sub: 'learner-sub-1', roles: [`${MEMBERSHIP}#Learner`] } };
  const members = options.members ?? [
    { sub: 'learner-sub-1', roles: [`${MEMBERSHIP}#Learner`], name: 'Ada' },
    { sub: 'learner-sub-2', roles: [`${MEMBERSHIP}#Learner`], name: 'Grace' },
    { sub: 'teacher-sub-1', roles: [`${MEMBERSHIP}#Instructor`], name: 'Barbara' },
  ];
  let scriptedFailures: { count: number; status: number } = { count: 0, status: 500 };
  let baseUrl = '';
  const refuse = (res: http.ServerResponse, status: number, why: string) => {
    log.refusals.push(why);
    res
      .writeHead(status, { 'content-type': 'application/json' })
      .end(JSON.stringify({ error: why }));
  };

  const handleToken = async (body: string, res: http.ServerResponse) => {
    log.tokenRequests++;
    const form = new URLSearchParams(body);
    if (form.get('grant_type') !== 'client_credentials')
      return refuse(res, 400, 'unsupported_grant_type');
    if (form.get('client_assertion_type') !== CLIENT_ASSERTION_TYPE)
      return refuse(res, 400, 'invalid_client');
    const scopes = (form.get('scope') ?? '').split(' ');
    if (!scopes.every((scope) => GRANTABLE_SCOPES.has(scope)))
      return refuse(res, 400, 'invalid_scope');
    try {
      const keys = createLocalJWKSet(await options.keys());
      const { payload } = await jwtVerify(form.get('client_assertion') ?? '', keys, {
        issuer: options.clientId,
        subject: options.clientId,
        audience: `${baseUrl}/token`,
        algorithms: ['RS256'],
      });
      if (!payload.jti) return refuse(res, 401, 'invalid_client');
    } catch {
      return refuse(res, 401, 'invalid_client');
    }
    const accessToken = `${STAND_IN_ISSUED_TOKEN}-${grantedScopes.size + 1}`;
    grantedScopes.set(accessToken, scopes);
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        access_token: accessToken,
        token_type: 'Bearer',
        expires_in: 3600,
        scope: form.get('scope'),
      }),
    );
  };

  const idToken = async (token: IdTokenOptions): Promise<string> => {
    const current = signingKeys[signingKeys.length - 1]!;
    const user = token.user ?? pendingLaunch.user;
    const now = token.issuedAt ?? Math.floor(Date.now() / 1000);
    const payload: Record<string, unknown> = {
      nonce: token.nonce,
      name: user.name,
      email: user.email,
      [LTI_CLAIMS.messageType]: token.messageType ?? LTI_MESSAGE_TYPES.resourceLink,
      [LTI_CLAIMS.version]: '1.3.0',
      [LTI_CLAIMS.deploymentId]: deploymentId,
      [LTI_CLAIMS.roles]: user.roles,
      [LTI_CLAIMS.context]: { id: 'course-1', title: 'Kubernetes networking' },
      [LTI_CLAIMS.resourceLink]: { id: 'resource-link-1' },
      [LTI_CLAIMS.nrps]: {
        context_memberships_url: `${baseUrl}/memberships`,
        service_versions: ['2.0'],
      },
      ...(token.claims ?? {}),
    };
    for (const [name, value] of Object.entries(payload))
      if (value === undefined) delete payload[name];
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', kid: token.kid ?? current.keyId, typ: 'JWT' })
      .setIssuer(baseUrl)
      .setSubject(user.sub)
      .setAudience(token.audience ?? options.clientId)
      .setIssuedAt(now)
      .setExpirationTime(now + (token.expiresIn ?? 300))
      .sign(token.signWith ?? current.privateKey);
  };

  /** The OIDC authentication request (Security Framework §5.1.1.2), answered with a form post. */
  const handleAuth = async (url: URL, res: http.ServerResponse) => {
    const query = Object.fromEntries(url.searchParams);
    log.authRequests.push(query);
    const expected: Record<string, string> = {
      scope: 'openid',
      response_type: 'id_token',
      response_mode: 'form_post',
      prompt: 'none',
      client_id: options.clientId,
    };
    const wrong = Object.entries(expected).find(([name, value]) => query[name] !== value);
    if (wrong) return refuse(res, 400, `auth: ${wrong[0]} is not ${wrong[1]}`);
    if (!query.redirect_uri || !query.nonce || !query.state || !query.login_hint)
      return refuse(res, 400, 'auth: redirect_uri, nonce, state and login_hint are required');
    const token = await idToken({
      nonce: query.nonce,
      user: pendingLaunch.user,
      messageType: pendingLaunch.messageType,
      claims: pendingLaunch.claims,
    });
    res
      .writeHead(200, { 'content-type': 'text/html' })
      .end(
        `<!doctype html><form id="f" method="post" action="${query.redirect_uri}">` +
          `<input type="hidden" name="id_token" value="${token}">` +
          `<input type="hidden" name="state" value="${query.state}"></form>` +
          `<script>document.getElementById('f').submit()</script>`,
      );
  };

  /** Dynamic Registration 1.0 §3.5.2: one-time token, tool configuration in, client id out. */
  const handleRegister = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => {
    if (req.headers.authorization !== `Bearer ${registrationToken}`)
      return refuse(res, 401, 'register: bad registration token');
    const configuration = JSON.parse(body) as Record<string, unknown>;
    const tool = configuration['https://purl.imsglobal.org/spec/lti-tool-configuration'] as
      Record<string, unknown> | undefined;
    if (
      !Array.isArray(configuration.redirect_uris) ||
      typeof configuration.initiate_login_uri !== 'string' ||
      typeof configuration.jwks_uri !== 'string' ||
      configuration.token_endpoint_auth_method !== 'private_key_jwt' ||
      !tool ||
      typeof tool.target_link_uri !== 'string'
    )
      return refuse(res, 400, 'register: incomplete tool configuration');
    log.registrations.push(configuration);
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        ...configuration,
        client_id: options.clientId,
        'https://purl.imsglobal.org/spec/lti-tool-configuration': {
          ...tool,
          deployment_id: deploymentId,
        },
      }),
    );
  };

  /** The tool's LtiDeepLinkingResponse (Deep Linking 2.0 §4.2), verified with the tool's keys. */
  const handleDeepLinkReturn = async (body: string, res: http.ServerResponse) => {
    const jwt = new URLSearchParams(body).get('JWT') ?? '';
    try {
      const { payload } = await jwtVerify(jwt, createLocalJWKSet(await options.keys()), {
        issuer: options.clientId,
        audience: baseUrl,
        algorithms: ['RS256'],
      });
      if (payload[LTI_CLAIMS.messageType] !== LTI_MESSAGE_TYPES.deepLinkingResponse)
        return refuse(res, 400, 'deep link: wrong message type');
      log.deepLinkResponses.push(payload as Record<string, unknown>);
      res.writeHead(200, { 'content-type': 'text/html' }).end('<p id="linked">Linked</p>');
    } catch (error) {
      refuse(res, 401, `deep link: ${String(error)}`);
    }
  };

  /** Whether the request's bearer token was issued with one of `scopes`. */
  const authorized = (req: http.IncomingMessage, scopes: string[]): boolean => {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    return (grantedScopes.get(token) ?? []).some((scope) => scopes.includes(scope));
  };

  /** NRPS 2.0 §2.4: the membership container, paged by `Link: <…>; rel="next"` (§2.4.2). */
  const handleMemberships = (url: URL, req: http.IncomingMessage, res: http.ServerResponse) => {
    if (!authorized(req, [LTI_SCOPES.memberships])) return refuse(res, 401, 'bad token');
    log.membershipPages.push(`${url.pathname}${url.search}`);
    const size = options.membershipsPageSize ?? members.length;
    const page = Number(url.searchParams.get('page') ?? '1');
    const pageMembers = members.slice((page - 1) * size, page * size);
    const hasNext = page * size < members.length;
    res
      .writeHead(200, {
        'content-type': NRPS_MEMBERSHIPS_MEDIA_TYPE,
        ...(hasNext
          ? {
              link: `<${baseUrl}/memberships?page=${page + 1}>; rel="next", <${baseUrl}/memberships?page=1>; rel="first"`,
            }
          : {}),
      })
      .end(
        JSON.stringify({
          id: `${baseUrl}/memberships`,
          context: { id: 'course-1' },
          members: pageMembers.map((member) => ({
            status: 'Active',
            user_id: member.sub,
            roles: member.roles,
            name: member.name,
          })),
        }),
      );
  };

  const addLineItem = (item: Omit<StandInLineItem, 'id'>): StandInLineItem => {
    const created = { id: `${baseUrl}/lineitems/${lineItems.length + 1001}`, ...item };
    lineItems.push(created);
    return created;
  };

  /** AGS 2.0 §3.2: GET the container (filters `resource_link_id`, `resource_id`, `tag`, `limit`). */
  const handleListLineItems = (url: URL, req: http.IncomingMessage, res: http.ServerResponse) => {
    log.lineItemRequests.push(`GET ${url.pathname}${url.search}`);
    if (!authorized(req, [LTI_SCOPES.lineItem, LTI_SCOPES.lineItemReadOnly]))
      return refuse(res, 401, 'line items: bad token');
    if (!(req.headers.accept ?? '').includes(LINE_ITEM_CONTAINER_MEDIA_TYPE))
      return refuse(res, 406, 'line items: accept the line item container media type');
    const filters: [keyof StandInLineItem, string | null][] = [
      ['resourceLinkId', url.searchParams.get('resource_link_id')],
      ['resourceId', url.searchParams.get('resource_id')],
      ['tag', url.searchParams.get('tag')],
    ];
    const limit = Number(url.searchParams.get('limit') ?? '100');
    const found = lineItems
      .filter((item) => filters.every(([field, value]) => value === null || item[field] === value))
      .slice(0, limit);
    res
      .writeHead(200, { 'content-type': LINE_ITEM_CONTAINER_MEDIA_TYPE })
      .end(JSON.stringify(found));
  };

  /** AGS 2.0 §3.2.5: POST a line item (scoreMaximum > 0 and a label required), 201 with its id. */
  const handleCreateLineItem = (
    url: URL,
    req: http.IncomingMessage,
    body: string,
    res: http.ServerResponse,
  ) => {
    log.lineItemRequests.push(`POST ${url.pathname}${url.search}`);
    if (!authorized(req, [LTI_SCOPES.lineItem])) return refuse(res, 401, 'line items: bad token');
    if (req.headers['content-type'] !== LINE_ITEM_MEDIA_TYPE)
      return refuse(res, 415, 'line items: bad content type');
    const item = JSON.parse(body) as Record<string, unknown>;
    const optional = ['resourceId', 'resourceLinkId', 'tag'] as const;
    if (
      typeof item.scoreMaximum !== 'number' ||
      !(item.scoreMaximum > 0) ||
      typeof item.label !== 'string' ||
      item.label === '' ||
      optional.some((field) => item[field] !== undefined && typeof item[field] !== 'string')
    )
      return refuse(res, 400, 'line items: bad line item');
    const created = addLineItem({
      scoreMaximum: item.scoreMaximum,
      label: item.label,
      ...Object.fromEntries(
        optional.flatMap((field) => (item[field] ? [[field, item[field]]] : [])),
      ),
    });
    res.writeHead(201, { 'content-type': LINE_ITEM_MEDIA_TYPE }).end(JSON.stringify(created));
  };

  const handleScore = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => {
    if (!authorized(req, [AGS_SCORE_SCOPE])) return refuse(res, 401, 'bad token');
    if (req.headers['content-type'] !== SCORE_CONTENT_TYPE)
      return refuse(res, 415, 'bad content type');
    if (scriptedFailures.count > 0) {
      scriptedFailures = { ...scriptedFailures, count: scriptedFailures.count - 1 };
      return refuse(res, scriptedFailures.status, 'scripted failure');
    }
    const score = JSON.parse(body) as Record<string, unknown>;
    const valid =
      typeof score.userId === 'string' &&
      typeof score.scoreGiven === 'number' &&
      typeof score.scoreMaximum === 'number' &&
      score.activityProgress === 'Completed' &&
      score.gradingProgress === 'FullyGraded' &&
      typeof score.timestamp === 'string' &&
      !Number.isNaN(Date.parse(score.timestamp));
    if (!valid) return refuse(res, 400, 'bad score');
    log.scores.push({ path: req.url ?? '', score });
    res.writeHead(200).end();
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', baseUrl);
      if (req.method === 'GET' && url.pathname === '/jwks') {
        log.jwksFetches++;
        return void res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ keys: signingKeys.map((key) => key.publicJwk as JWK) }));
      }
      if (req.method === 'GET' && url.pathname === '/.well-known/openid-configuration')
        return void res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            issuer: baseUrl,
            authorization_endpoint: `${baseUrl}/auth`,
            token_endpoint: `${baseUrl}/token`,
            jwks_uri: `${baseUrl}/jwks`,
            registration_endpoint: `${baseUrl}/register`,
            scopes_supported: ['openid', ...GRANTABLE_SCOPES],
            response_types_supported: ['id_token'],
            id_token_signing_alg_values_supported: ['RS256'],
            'https://purl.imsglobal.org/spec/lti-platform-configuration': {
              product_family_code: 'netplay-stand-in',
              version: '1.0',
              messages_supported: [
                { type: LTI_MESSAGE_TYPES.resourceLink },
                { type: LTI_MESSAGE_TYPES.deepLinkingRequest },
              ],
            },
          }),
        );
      if (req.method === 'GET' && url.pathname === '/auth') return void handleAuth(url, res);
      if (req.method === 'POST' && url.pathname === '/register')
        return handleRegister(req, body, res);
      if (req.method === 'POST' && url.pathname === '/deep-link-return')
        return void handleDeepLinkReturn(body, res);
      if (req.method === 'GET' && url.pathname === '/memberships')
        return handleMemberships(url, req, res);
      if (req.method === 'GET' && url.pathname === '/lineitems')
        return handleListLineItems(url, req, res);
      if (req.method === 'POST' && url.pathname === '/lineitems')
        return handleCreateLineItem(url, req, body, res);
      if (req.url === '/token' && req.method === 'POST') return void handleToken(body, res);
      if (req.method === 'POST' && SCORES_PATH.test(req.url ?? ''))
        return handleScore(req, body, res);
      refuse(res, 404, `no route ${req.method} ${req.url}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    tokenUrl: `${baseUrl}/token`,
    issuer: baseUrl,
    authUrl: `${baseUrl}/auth`,
    jwksUrl: `${baseUrl}/jwks`,
    openIdConfigurationUrl: `${baseUrl}/.well-known/openid-configuration`,
    deploymentId,
    registrationToken,
    log,
    lineItemsUrl: `${baseUrl}/lineitems`,
    lineItems,
    addLineItem,
    idToken,
    nextLaunch: (launch) => {
      pendingLaunch = launch;
    },
    rotateKey: async (keepOld) => {
      keyCounter++;
      const fresh = await generateLtiToolKey(`platform-key-${keyCounter}`);
      signingKeys = keepOld ? [...signingKeys, fresh] : [fresh];
    },
    failNextScores: (count, status) => {
      scriptedFailures = { count, status };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
