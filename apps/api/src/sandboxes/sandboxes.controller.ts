import {
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiErrors } from '../openapi/error-responses';
import { Caller, LearnerAllowed } from '../auth/access.decorators';
import type { CallerIdentity } from '../auth/request-of';
import { etagOf, expectedVersion } from './if-match';
import { ApiSandboxWriteBody, SandboxWriteBody } from './sandbox-write-body.decorator';
import {
  CreateSandboxBody,
  CreateSandboxYamlQuery,
  ListRevisionsQuery,
  ListSandboxesQuery,
  SandboxPage,
  SandboxRevisionPage,
  SandboxView,
  SandboxWriteView,
  UpdateSandboxBody,
  UpdateSandboxYamlQuery,
  ViewQuery,
} from './sandbox.dto';
import { SandboxesService, type SandboxWithWarnings } from './sandboxes.service';
import { RATE_COSTS, RateCost } from '../throttling/rate-costs';

@ApiTags('sandboxes')
@ApiBearerAuth('api-key')
@LearnerAllowed()
@Controller('sandboxes')
export class SandboxesController {
  constructor(private readonly sandboxes: SandboxesService) {}

  @RateCost(RATE_COSTS.sandboxWrite)
  @Post()
  @ApiOperation({ summary: 'Create a sandbox from manifests' })
  @ApiSandboxWriteBody(
    CreateSandboxBody,
    CreateSandboxYamlQuery,
    'With YAML, `name` (required) and `description` are query parameters.',
  )
  @ApiCreatedResponse({ type: SandboxWriteView, description: 'Location: /v1/sandboxes/{id}' })
  @ApiErrors(422)
  async createSandbox(
    @Caller() caller: CallerIdentity,
    @SandboxWriteBody(CreateSandboxBody, CreateSandboxYamlQuery) body: CreateSandboxBody,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SandboxView & { warnings: SandboxWithWarnings['warnings'] }> {
    const { sandbox, warnings } = await this.sandboxes.create(caller, body);
    response
      .setHeader('ETag', etagOf(sandbox.version))
      .setHeader('Location', `/v1/sandboxes/${sandbox.id}`);
    return { ...sandbox, warnings };
  }

  @Get()
  @ApiOperation({ summary: "List the tenant's sandboxes" })
  @ApiOkResponse({ type: SandboxPage })
  listSandboxes(
    @Caller() caller: CallerIdentity,
    @Query() query: ListSandboxesQuery,
  ): Promise<SandboxPage> {
    const { include, ...page } = query;
    return this.sandboxes.list(caller, {
      ...page,
      includeManifests: include === 'manifests',
    });
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read a sandbox (ETag: its version)' })
  @ApiOkResponse({ type: SandboxView })
  async getSandbox(
    @Caller() caller: CallerIdentity,
    @Param('id') id: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SandboxView> {
    const sandbox = await this.sandboxes.get(caller, id);
    response.setHeader('ETag', etagOf(sandbox.version));
    return sandbox;
  }

  @RateCost(RATE_COSTS.sandboxWrite)
  @Patch(':id')
  @ApiOperation({ summary: 'Change a sandbox (a new revision)' })
  @ApiSandboxWriteBody(
    UpdateSandboxBody,
    UpdateSandboxYamlQuery,
    'With YAML, the body replaces the manifests; `name`, `description` and `version` (or If-Match) are query parameters.',
  )
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description:
      'The ETag (version) you read; or send `version` in the body (in the query with a YAML body)',
  })
  @ApiOkResponse({ type: SandboxWriteView })
  @ApiErrors(409, 422, 428)
  async updateSandbox(
    @Caller() caller: CallerIdentity,
    @Param('id') id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @SandboxWriteBody(UpdateSandboxBody, UpdateSandboxYamlQuery) body: UpdateSandboxBody,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SandboxView & { warnings: SandboxWithWarnings['warnings'] }> {
    const { version, ...change } = body;
    const { sandbox, warnings } = await this.sandboxes.update(
      caller,
      id,
      expectedVersion(ifMatch, version),
      change,
    );
    response.setHeader('ETag', etagOf(sandbox.version));
    return { ...sandbox, warnings };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a sandbox' })
  @ApiNoContentResponse({ description: 'Deleted' })
  deleteSandbox(@Caller() caller: CallerIdentity, @Param('id') id: string): Promise<void> {
    return this.sandboxes.remove(caller, id);
  }

  @Get(':id/revisions')
  @ApiOperation({ summary: "List a sandbox's revisions, newest first" })
  @ApiOkResponse({ type: SandboxRevisionPage })
  listSandboxRevisions(
    @Caller() caller: CallerIdentity,
    @Param('id') id: string,
    @Query() query: ListRevisionsQuery,
  ): Promise<SandboxRevisionPage> {
    const { include, ...page } = query;
    return this.sandboxes.listRevisions(caller, id, {
      ...page,
      includeManifests: include === 'manifests',
    });
  }

  @RateCost(RATE_COSTS.view)
  @Get(':id/views/:kind')
  @ApiOperation({
    summary: 'A view of the simulated cluster',
    description:
      '`kind`: pods, services, endpointslices, nodes, deployments, namespaces, ingresses, resolv.conf (?pod=), env (?pod=), dns-records, upstream-records, kube-proxy-rules (?node=), routes (?node=). The text kubectl (or the node) would print, or JSON: chosen by `format`, else by `Accept` (q-values honoured; text when both are equally acceptable).',
  })
  @ApiOkResponse({
    description: 'The view',
    content: {
      'text/plain': { schema: { type: 'string' }, example: 'NAME     READY   STATUS\n' },
      'application/json': { schema: { description: 'The view as data (depends on the kind)' } },
    },
  })
  async getSandboxView(
    @Caller() caller: CallerIdentity,
    @Param('id') id: string,
    @Param('kind') kind: string,
    @Query() query: ViewQuery,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<unknown> {
    response.vary('Accept');
    const format = query.format ?? viewFormatFor(request);
    const result = await this.sandboxes.view(caller, id, {
      kind,
      pod: query.pod,
      node: query.node,
      namespace: query.namespace,
      kubeProxyOnly: query.kubeProxyOnly === 'true',
      format,
    });
    if (result.format === 'json') return result.body;
    response.type('text/plain');
    return result.text;
  }
}

/**
 * JSON only when the request prefers it (`Accept` with its q-values, through Express's
 * negotiation): a browser or curl without Accept gets the text kubectl would print, and so does an
 * Accept that names neither.
 */
function viewFormatFor(request: Request): 'text' | 'json' {
  return request.accepts(['text/plain', 'application/json']) === 'application/json'
    ? 'json'
    : 'text';
}
