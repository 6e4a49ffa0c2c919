// `node(id)`: any object of the caller's tenant by its id alone. The id is looked up as each node
// type at once (the same service reads REST uses, so tenant scoping is theirs); another tenant's
// id, an unknown one or a malformed one is null, never an error.
import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { Caller } from '../auth/access.decorators';
import type { CallerIdentity } from '../auth/request-of';
import { ApiError } from '../errors/api-error';
import { isUuid } from '@netplay/contracts';
import { ExercisesService } from '../exercises/exercises.service';
import { RunsService } from '../runs/runs.service';
import { SandboxesService } from '../sandboxes/sandboxes.service';
import { WebhooksService } from '../webhooks/webhooks.service';
import { Node, NODE_TYPE, type NodeTypeName } from './node.model';

/** One read per node type: the cost of a run read with its result. */
const NODE_COST = 10;

@Resolver(() => Node)
export class NodeResolver {
  constructor(
    private readonly sandboxes: SandboxesService,
    private readonly runs: RunsService,
    private readonly exercises: ExercisesService,
    private readonly webhooks: WebhooksService,
  ) {}

  @Query(() => Node, {
    nullable: true,
    complexity: NODE_COST,
    description: "The object with this id, if the caller's tenant has one",
  })
  async node(
    @Caller() caller: CallerIdentity,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<object | null> {
    if (!isUuid(id)) return null;
    const found = await Promise.all([
      absentIfNotFound('Sandbox', () => this.sandboxes.get(caller, id)),
      absentIfNotFound('Run', () => this.runs.get(caller, id)),
      absentIfNotFound('Exercise', () => this.exercises.get(caller, id)),
      absentIfNotFound('Submission', () => this.exercises.getSubmission(caller, id, 'learner')),
      // A learner's session sees its own work, never the tenant's endpoints.
      caller.learner
        ? null
        : absentIfNotFound('WebhookEndpoint', () => this.webhooks.get(caller.tenantId, id)),
    ]);
    return found.find((value) => value !== null) ?? null;
  }
}

async function absentIfNotFound(
  type: NodeTypeName,
  read: () => Promise<object>,
): Promise<object | null> {
  try {
    return { ...(await read()), [NODE_TYPE]: type };
  } catch (error) {
    if (error instanceof ApiError && error.code === 'not-found') return null;
    throw error;
  }
}
