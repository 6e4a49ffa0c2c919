// A sandbox write arrives as JSON (`{name, manifests, …}`) or as the raw YAML one would
// `kubectl apply -f`, with the other fields in the query string. Both forms become the same
// validated body, by the JSON body's own rules and error messages, so handlers do not branch.
// Nest routes by path and method only, hence one parameter decorator rather than two handlers.
import {
  applyDecorators,
  createParamDecorator,
  type ExecutionContext,
  type PipeTransform,
  type Type,
} from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOperation,
  ApiQuery,
  ApiUnsupportedMediaTypeResponse,
  getSchemaPath,
  PartialType,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiError } from '../errors/api-error';
import { createValidationPipe } from '../errors/validation';

/** `application/yaml` is the registered type (RFC 9512 §2.1); the others are its deprecated aliases, still widely sent. */
export const YAML_MEDIA_TYPES = [
  'application/yaml',
  'application/x-yaml',
  'text/yaml',
  'text/x-yaml',
];
const JSON_MEDIA_TYPE = 'application/json';
const SANDBOX_WRITE_MEDIA_TYPES = [JSON_MEDIA_TYPE, ...YAML_MEDIA_TYPES];

/**
 * The request body as an instance of `json`: the JSON body itself, or the `yamlQuery` fields of the
 * query string plus the raw YAML body as `manifests`. Any other Content-Type is a 415.
 */
export function SandboxWriteBody<Body extends object>(
  json: Type<Body>,
  yamlQuery: Type<object>,
): ParameterDecorator {
  return RawRequest(new SandboxWriteBodyPipe(json, yamlQuery));
}

/**
 * The OpenAPI side of `SandboxWriteBody`: both request body types, and the YAML form's query fields,
 * listed as optional because a JSON body ignores them; `yamlForm` says which the YAML form needs.
 */
export function ApiSandboxWriteBody(
  json: Type<object>,
  yamlQuery: Type<object>,
  yamlForm: string,
): MethodDecorator {
  const yaml = {
    schema: { type: 'string', description: 'The manifests: the YAML you would `kubectl apply`' },
  };
  return applyDecorators(
    ApiExtraModels(json),
    ApiOperation({
      // ApiOperation fills in an empty summary unless told undefined; the other routes have none.
      summary: undefined,
      description: `A JSON body, or the manifests as a raw YAML body (Content-Type ${YAML_MEDIA_TYPES.join(', ')}). ${yamlForm}`,
      requestBody: {
        required: true,
        content: {
          [JSON_MEDIA_TYPE]: { schema: { $ref: getSchemaPath(json) } },
          ...Object.fromEntries(YAML_MEDIA_TYPES.map((type) => [type, yaml])),
        },
      },
    }),
    ApiQuery({ type: PartialType(yamlQuery) }),
    ApiUnsupportedMediaTypeResponse({
      description: `A Content-Type other than ${SANDBOX_WRITE_MEDIA_TYPES.join(', ')}`,
    }),
  );
}

const RawRequest = createParamDecorator((_data: unknown, context: ExecutionContext): Request =>
  context.switchToHttp().getRequest<Request>(),
);

class SandboxWriteBodyPipe<Body extends object> implements PipeTransform<Request, Promise<Body>> {
  // The global ValidationPipe skips custom parameter decorators; this one applies the same options.
  private readonly validation = createValidationPipe();

  constructor(
    private readonly json: Type<Body>,
    private readonly yamlQuery: Type<object>,
  ) {}

  async transform(request: Request): Promise<Body> {
    // `is` answers null without a body: validated as an empty JSON body, so the 400 names the fields.
    const mediaType = request.is(SANDBOX_WRITE_MEDIA_TYPES);
    if (mediaType === false) throw unsupportedMediaType(request.headers['content-type']);
    if (mediaType === null || mediaType === JSON_MEDIA_TYPE)
      return this.validation.transform(request.body, { type: 'body', metatype: this.json });
    const fields: object = await this.validation.transform(request.query, {
      type: 'query',
      metatype: this.yamlQuery,
    });
    return { ...fields, manifests: request.body } as Body;
  }
}

function unsupportedMediaType(contentType: string | undefined): ApiError {
  const sent = contentType ? `Content-Type ${contentType}` : 'a body without Content-Type';
  return new ApiError(
    'unsupported-media-type',
    `${sent} is not accepted here; send ${JSON_MEDIA_TYPE}, or the manifests as ${YAML_MEDIA_TYPES.join(', ')}`,
    { accepted: SANDBOX_WRITE_MEDIA_TYPES },
  );
}
