// GraphQL for sandboxes: the same SandboxesService methods as the REST controller.
import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { encodeVersionCursor } from '@netplay/db';
import { Caller, LearnerAllowed } from '../auth/access.decorators';
import type { CallerIdentity } from '../auth/request-of';
import type { SandboxRevisionView, SandboxView } from '../sandboxes/sandbox.dto';
import { SandboxesService, type SandboxWithWarnings } from '../sandboxes/sandboxes.service';
import { connectionCost, pageSizeArg, toConnection, type Connection } from './connection';
import {
  CreateSandboxInput,
  Sandbox,
  SandboxConnection,
  SandboxPayload,
  SandboxRevision,
  SandboxRevisionConnection,
  SandboxViewResult,
  UpdateSandboxInput,
} from './sandbox.model';
import { RATE_COSTS, RateCost } from '../throttling/rate-costs';

/**
 * Manifests are up to 2 MiB of text, read for the asking sandbox or revision only: a query pays
 * for each one it asks for, so the cost limit bounds the manifests one answer can carry.
 */
const MANIFESTS_FIELD_COST = 25;

@LearnerAllowed()
@Resolver(() => Sandbox)
export class SandboxesResolver {
  constructor(private readonly sandboxService: SandboxesService) {}

  @Query(() => Sandbox)
  sandbox(
    @Caller() caller: CallerIdentity,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<SandboxView> {
    return this.sandboxService.get(caller, id);
  }

  @Query(() => SandboxConnection, {
    description: 'Sandboxes, newest first',
    complexity: connectionCost,
  })
  async sandboxes(
    @Caller() caller: CallerIdentity,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
    @Args('name', { nullable: true, description: 'Case-insensitive part of the name' })
    name?: string,
  ): Promise<Connection<SandboxView>> {
    return toConnection(
      await this.sandboxService.list(caller, {
        cursor: after ?? undefined,
        limit: pageSizeArg(first),
        name: name ?? undefined,
      }),
    );
  }

  @RateCost(RATE_COSTS.view)
  @Query(() => SandboxViewResult, {
    description: '`kubectl get`-style and node-level views of the sandbox’s cluster',
  })
  async sandboxView(
    @Caller() caller: CallerIdentity,
    @Args('id', { type: () => ID }) id: string,
    @Args('kind', {
      description:
        'pods, services, endpointslices, nodes, resolv.conf, dns-records, upstream-records, kube-proxy-rules, cni-rules, routes …',
    })
    kind: string,
    @Args('pod', { nullable: true }) pod?: string,
    @Args('node', { nullable: true }) node?: string,
    @Args('namespace', { nullable: true }) namespace?: string,
    @Args('kubeProxyOnly', {
      nullable: true,
      defaultValue: false,
      description:
        "kube-proxy-rules: kube-proxy's own rule input, without the built-in chains' jumps",
    })
    kubeProxyOnly?: boolean,
    @Args('json', {
      nullable: true,
      defaultValue: false,
      description: 'Structured objects instead of text (resource views)',
    })
    json?: boolean,
  ): Promise<SandboxViewResult> {
    const view = await this.sandboxService.view(caller, id, {
      kind,
      pod: pod ?? undefined,
      node: node ?? undefined,
      namespace: namespace ?? undefined,
      kubeProxyOnly: kubeProxyOnly ?? false,
      format: json ? 'json' : 'text',
    });
    return view.format === 'text' ? { kind, text: view.text } : { kind, json: view.body };
  }

  @RateCost(RATE_COSTS.sandboxWrite)
  @Mutation(() => SandboxPayload)
  createSandbox(
    @Caller() caller: CallerIdentity,
    @Args('input') input: CreateSandboxInput,
  ): Promise<SandboxWithWarnings> {
    return this.sandboxService.create(caller, input);
  }

  @RateCost(RATE_COSTS.sandboxWrite)
  @Mutation(() => SandboxPayload)
  updateSandbox(
    @Caller() caller: CallerIdentity,
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdateSandboxInput,
  ): Promise<SandboxWithWarnings> {
    const { version, ...change } = input;
    return this.sandboxService.update(caller, id, version, change);
  }

  @Mutation(() => Boolean, {
    description: 'Soft delete: past runs keep showing what they simulated',
  })
  async deleteSandbox(
    @Caller() caller: CallerIdentity,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<boolean> {
    await this.sandboxService.remove(caller, id);
    return true;
  }

  @ResolveField(() => String, {
    complexity: MANIFESTS_FIELD_COST,
    description: 'The manifests as YAML text',
  })
  async manifests(
    @Caller() caller: CallerIdentity,
    @Parent() sandbox: SandboxView,
  ): Promise<string> {
    // Listings leave manifests out; a sandbox read whole has them already.
    return sandbox.manifests ?? (await this.sandboxService.get(caller, sandbox.id)).manifests ?? '';
  }

  @ResolveField(() => SandboxRevisionConnection, {
    complexity: connectionCost,
    description: 'Newest version first',
  })
  async revisions(
    @Caller() caller: CallerIdentity,
    @Parent() sandbox: SandboxView,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
  ): Promise<Connection<SandboxRevisionView>> {
    const page = await this.sandboxService.listRevisions(caller, sandbox.id, {
      limit: pageSizeArg(first),
      cursor: after ?? undefined,
    });
    const edges = page.items.map((node) => ({ cursor: encodeVersionCursor(node.version), node }));
    return {
      edges,
      pageInfo: {
        hasNextPage: page.nextCursor !== undefined,
        endCursor: edges[edges.length - 1]?.cursor ?? null,
      },
    };
  }
}

@LearnerAllowed()
@Resolver(() => SandboxRevision)
export class SandboxRevisionsResolver {
  constructor(private readonly sandboxService: SandboxesService) {}

  @ResolveField(() => String, { complexity: MANIFESTS_FIELD_COST })
  manifests(
    @Caller() caller: CallerIdentity,
    @Parent() revision: SandboxRevisionView,
  ): Promise<string> {
    return this.sandboxService.revisionManifests(caller, revision.sandboxId, revision.version);
  }
}
