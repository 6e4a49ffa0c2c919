// The ONE exception filter: REST answers `{error: {code, message, details}}` with the code's status;
// GraphQL gets a GraphQLError whose `extensions.code` carries the same code.
import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ApiError, graphqlCodeOf, httpStatusOf } from './api-error';
import { boundedError } from './bounded';
import { errorBody, toApiError } from './to-api-error';

@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): GraphQLError | void {
    const error = toApiError(exception);
    if (error.code === 'unavailable' && !(exception instanceof ApiError))
      this.logger.warn(
        `${error.message}: ${exception instanceof Error ? exception.message : String(exception)}`,
      );
    if (error.code === 'internal' && !(exception instanceof ApiError))
      this.logger.error(
        exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
      );
    if (host.getType<string>() === 'graphql') return toGraphqlError(error);
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    if (error.retryAfterSeconds !== undefined)
      response.setHeader('Retry-After', String(error.retryAfterSeconds));
    response.status(httpStatusOf(error.code)).json(errorBody(error));
  }
}

export function toGraphqlError(error: ApiError): GraphQLError {
  const { message, details } = boundedError(error.message, error.details);
  return new GraphQLError(message, {
    extensions: {
      code: graphqlCodeOf(error.code),
      apiCode: error.code,
      ...(error.details === undefined ? {} : { details }),
      // Apollo turns `http` into the response's status and headers, and removes it from the body.
      ...(error.retryAfterSeconds === undefined
        ? {}
        : {
            http: {
              status: httpStatusOf(error.code),
              headers: new HeaderMap([['retry-after', String(error.retryAfterSeconds)]]),
            },
          }),
    },
  });
}
