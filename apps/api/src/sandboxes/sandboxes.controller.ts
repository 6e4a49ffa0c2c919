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
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Caller } from '../auth/access.decorators';
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
  UpdateSandboxBody,
  UpdateSandboxYamlQuery,
  ViewQuery,
} from './sandbox.dto';
import { SandboxesService, type SandboxWithWarnings } from './sandboxes.service';
import { RATE_COSTS, RateCost } from '../throttling/rate-costs';

@ApiTags('sandboxes')
@ApiBearerAuth('api-key')
@Controller('sandboxes')
export class SandboxesController {
  constructor(private readonly sandboxes: SandboxesService) {}

  @RateCost(RATE_COSTS.sandboxWrite)
  @Post()
  @ApiSandboxWriteBody(
    CreateSandboxBody,
    CreateSandboxYamlQuery,
    'With YAML, `name` (required) and `description` are query parameters.',
  )
  @ApiCreatedResponse({ type: SandboxView })
  async create(
    @Caller() caller: CallerIdentity,
    @SandboxWriteBody(CreateSandboxBody, CreateSandboxYamlQuery) body: CreateSandboxBody,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SandboxView & { warnings: SandboxWithWarnings['warnings'] }> {
    const { sandbox, warnings } = await this.sandboxes.create(caller.tenantId, body);
    response
      .setHeader('ETag', etagOf(sandbox.version))
      .setHeader('Location', `/v1/sandboxes/${sandbox.id}`);
    return { ...sandbox, warnings };
  }

  @Get()
  @ApiOkResponse({ type: SandboxPage })
  list(@Caller() caller: CallerIdentity, @Query() query: ListSandboxesQuery): Promise<SandboxPage> {
    const { include, ...page } = query;
    return this.sandboxes.list(caller.tenantId, {
      ...page,
      includeManifests: include === 'manifests',
    });
  }

  @Get(':id')
  @ApiOkResponse({ type: SandboxView })
  async get(
    @Caller() caller: CallerIdentity,
    @Param('id') id: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SandboxView> {
    const sandbox = await this.sandboxes.get(caller.tenantId, id);
    response.setHeader('ETag', etagOf(sandbox.version));
    return sandbox;
  }

  @RateCost(RATE_COSTS.sandboxWrite)
  @Patch(':id')
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
  @ApiOkResponse({ type: SandboxView })
  async update(
    @Caller() caller: CallerIdentity,
    @Param('id') id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @SandboxWriteBody(UpdateSandboxBody, UpdateSandboxYamlQuery) body: UpdateSandboxBody,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SandboxView & { warnings: SandboxWithWarnings['warnings'] }> {
    const { version, ...change } = body;
    const { sandbox, warnings } = await this.sandboxes.update(
      caller.tenantId,
      id,
      expectedVersion(ifMatch, version),
      change,
    );
    response.setHeader('ETag', etagOf(sandbox.version));
    return { ...sandbox, warnings };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  remove(@Caller() caller: CallerIdentity, @Param('id') id: string): Promise<void> {
    return this.sandboxes.remove(caller.tenantId, id);
  }

  @Get(':id/revisions')
  @ApiOkResponse({ type: SandboxRevisionPage })
  revisions(
    @Caller() caller: CallerIdentity,
    @Param('id') id: string,
    @Query() query: ListRevisionsQuery,
  ): Promise<SandboxRevisionPage> {
    const { include, ...page } = query;
    return this.sandboxes.listRevisions(caller.tenantId, id, {
      ...page,
      includeManifests: include === 'manifests',
    });
  }

  @RateCost(RATE_COSTS.view)
  @Get(':id/views/:kind')
  @ApiProduces('text/plain', 'application/json')
  @ApiOkResponse({
    description:
      'pods, services, endpointslices, nodes, deployments, namespaces, ingresses, resolv.conf (?pod=), env (?pod=), dns-records, kube-proxy-rules (?node=), routes (?node=)',
  })
  async view(
    @Caller() caller: CallerIdentity,
    @Param('id') id: string,
    @Param('kind') kind: string,
    @Query() query: ViewQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<unknown> {
    const format = query.format ?? (prefersJson(accept) ? 'json' : 'text');
    const result = await this.sandboxes.view(caller.tenantId, id, {
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

/** JSON only when asked for it: a browser or curl without Accept gets the text kubectl would print. */
function prefersJson(accept: string | undefined): boolean {
  return (
    accept !== undefined && /application\/json/i.test(accept) && !/^\s*text\/plain/i.test(accept)
  );
}
