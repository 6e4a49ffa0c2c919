// LTI Dynamic Registration 1.0 (https://www.imsglobal.org/spec/lti-dr/v1p0), the tool's side: read
// the platform's OpenID configuration (§3.4), check that its issuer is on the host the
// configuration was read from (§3.5.1), and post the tool's configuration to the platform's
// registration endpoint with the one-time registration token (§3.5.2). Both requests go through the
// SSRF guard: the configuration URL arrives in the browser's query string.
import { sendGuardedRequest } from '../guarded-http';
import type { SsrfPolicy } from '../ssrf-guard';
import { LTI_MESSAGE_TYPES } from './lti-claims';

const CONFIGURATION_MAX_BYTES = 64 * 1024;
const TOOL_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-tool-configuration';
const PLATFORM_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-platform-configuration';

export interface PlatformOpenIdConfiguration {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  jwksUri: string;
  registrationEndpoint: string;
  productFamilyCode?: string;
}

export interface ToolRegistrationRequest {
  clientName: string;
  /** The service's public base URL; every URL below is under it. */
  baseUrl: string;
  jwksUri: string;
  scopes: readonly string[];
}

export interface RegisteredClient {
  clientId: string;
  deploymentId?: string;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; message: string };

export async function readPlatformConfiguration(
  url: string,
  policy: SsrfPolicy,
): Promise<Outcome<PlatformOpenIdConfiguration>> {
  const response = await sendGuardedRequest({
    url,
    method: 'GET',
    headers: { accept: 'application/json' },
    policy,
    maxBodyBytes: CONFIGURATION_MAX_BYTES,
  });
  if (response.errorClass)
    return {
      ok: false,
      message: `the platform's configuration could not be read: ${response.message ?? response.errorClass}`,
    };
  const json = parseObject(response.body);
  const field = (name: string) => (typeof json?.[name] === 'string' ? (json[name] as string) : '');
  const configuration = {
    issuer: field('issuer'),
    authorizationEndpoint: field('authorization_endpoint'),
    tokenEndpoint: field('token_endpoint'),
    jwksUri: field('jwks_uri'),
    registrationEndpoint: field('registration_endpoint'),
  };
  const missing = Object.entries(configuration).find(([, value]) => !value);
  if (missing)
    return { ok: false, message: `the platform's configuration has no ${snake(missing[0])}` };
  let issuerHost: string;
  try {
    issuerHost = new URL(configuration.issuer).host;
  } catch {
    return { ok: false, message: `the platform's issuer ${configuration.issuer} is not a URL` };
  }
  if (issuerHost !== new URL(url).host)
    return {
      ok: false,
      message: `the platform's issuer ${configuration.issuer} is not on the host its configuration came from`,
    };
  const platform = json?.[PLATFORM_CONFIGURATION] as Record<string, unknown> | undefined;
  return {
    ok: true,
    value: {
      ...configuration,
      productFamilyCode:
        typeof platform?.product_family_code === 'string'
          ? platform.product_family_code
          : undefined,
    },
  };
}

/** The tool configuration netplay registers (DR 1.0 §3.5.2; also served as tool-configuration.json). */
export function toolConfiguration(request: ToolRegistrationRequest): Record<string, unknown> {
  const { baseUrl } = request;
  return {
    application_type: 'web',
    response_types: ['id_token'],
    grant_types: ['implicit', 'client_credentials'],
    initiate_login_uri: `${baseUrl}/lti/login`,
    redirect_uris: [`${baseUrl}/lti/launch`],
    client_name: request.clientName,
    jwks_uri: request.jwksUri,
    token_endpoint_auth_method: 'private_key_jwt',
    scope: request.scopes.join(' '),
    [TOOL_CONFIGURATION]: {
      domain: new URL(baseUrl).host,
      target_link_uri: `${baseUrl}/lti/launch`,
      claims: ['iss', 'sub', 'name', 'email'],
      messages: [
        { type: LTI_MESSAGE_TYPES.deepLinkingRequest, label: 'netplay exercise' },
        { type: LTI_MESSAGE_TYPES.resourceLink },
      ],
    },
  };
}

export async function postToolRegistration(
  registrationEndpoint: string,
  registrationToken: string | undefined,
  request: ToolRegistrationRequest,
  policy: SsrfPolicy,
): Promise<Outcome<RegisteredClient>> {
  const response = await sendGuardedRequest({
    url: registrationEndpoint,
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      ...(registrationToken ? { authorization: `Bearer ${registrationToken}` } : {}),
    },
    body: JSON.stringify(toolConfiguration(request)),
    policy,
    maxBodyBytes: CONFIGURATION_MAX_BYTES,
  });
  if (response.errorClass)
    return {
      ok: false,
      message: `the platform refused the registration: ${response.message ?? response.errorClass}`,
    };
  const json = parseObject(response.body);
  const clientId = json?.client_id;
  if (typeof clientId !== 'string' || !clientId)
    return { ok: false, message: "the platform's registration answer has no client_id" };
  const tool = json?.[TOOL_CONFIGURATION] as Record<string, unknown> | undefined;
  const deploymentId = typeof tool?.deployment_id === 'string' ? tool.deployment_id : undefined;
  return { ok: true, value: { clientId, deploymentId } };
}

function parseObject(body: Buffer): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}
