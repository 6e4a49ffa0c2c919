// GraphQL for runs: the same RunsService methods as the REST controller.
import { isTerminalRunStatus, type RunStatusChangedEvent } from '@netplay/contracts';
import {
  Args,
  ID,
  Int,
  Mutation,
  Parent,
  Query,
  ResolveField,
  Resolver,
  Subscription,
} from '@nestjs/graphql';
import { Caller, LearnerAllowed } from '../auth/access.decorators';
import type { CallerIdentity } from '../auth/request-of';
import { asScenarioResult, renderRun } from '../runs/run-format';
import type { RunView, RunWithResult } from '../runs/run-view';
import { RunsService } from '../runs/runs.service';
import { connectionCost, pageSizeArg, toConnection, type Connection } from './connection';
import { Run, RunConnection, RunStatusChange, RunStep } from './run.model';
import { EngineIssue, StepInput, stepsFromInput } from './trace.model';
import { RATE_COSTS, RateCost } from '../throttling/rate-costs';

/** Reading a run's stored result is a database read of possibly large JSON: it costs more than a column. */
const RESULT_FIELD_COST = 10;

@LearnerAllowed()
@Resolver(() => Run)
export class RunsResolver {
  constructor(private readonly runService: RunsService) {}

  @Query(() => Run, { description: 'One run; its results once it is finished' })
  run(
    @Caller() caller: CallerIdentity,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<RunWithResult> {
    return this.runService.get(caller, id);
  }

  @Query(() => RunConnection, { description: 'Runs, newest first', complexity: connectionCost })
  async runs(
    @Caller() caller: CallerIdentity,
    @Args('sandboxId', { type: () => ID, nullable: true }) sandboxId?: string,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { nullable: true }) after?: string,
  ): Promise<Connection<RunView>> {
    return toConnection(
      await this.runService.list(caller, {
        sandboxId: sandboxId ?? undefined,
        cursor: after ?? undefined,
        limit: pageSizeArg(first),
      }),
    );
  }

  @RateCost(RATE_COSTS.run)
  @Mutation(() => Run, {
    description: 'Queues a run of these scenario steps against the sandbox’s current revision',
  })
  async submitRun(
    @Caller() caller: CallerIdentity,
    @Args('sandboxId', { type: () => ID }) sandboxId: string,
    @Args('steps', {
      type: () => [StepInput],
      description: 'Scenario steps, as in a Scenario file’s spec.steps: one action each',
    })
    steps: object[],
    @Args('idempotencyKey', {
      nullable: true,
      description: 'A retry with the same key returns the same run',
    })
    idempotencyKey?: string,
  ): Promise<RunView> {
    const { run } = await this.runService.submit(caller, {
      sandboxId,
      body: { steps: stepsFromInput(steps) },
      idempotencyKey: idempotencyKey ?? undefined,
    });
    return run;
  }

  @Subscription(() => RunStatusChange, {
    description: 'The run’s status now, then every change until it is finished',
    resolve: (event: RunStatusChangedEvent) => event,
  })
  runStatusChanged(
    @Caller() caller: CallerIdentity,
    @Args('runId', { type: () => ID }) runId: string,
  ): Promise<AsyncGenerator<RunStatusChangedEvent>> {
    return this.runService.statusChanges(caller, runId);
  }

  @ResolveField(() => [RunStep], {
    nullable: true,
    complexity: RESULT_FIELD_COST,
    description: 'Each step’s result; null until the run is finished',
  })
  async results(
    @Caller() caller: CallerIdentity,
    @Parent() run: RunView | RunWithResult,
  ): Promise<RunStep[] | null> {
    const stored = await this.storedResult(caller, run);
    return stored === null ? null : asScenarioResult(stored).steps;
  }

  @ResolveField(() => [EngineIssue], {
    nullable: true,
    complexity: RESULT_FIELD_COST,
    description: 'Problems loading the manifests',
  })
  async issues(
    @Caller() caller: CallerIdentity,
    @Parent() run: RunView | RunWithResult,
  ): Promise<unknown[] | null> {
    const stored = await this.storedResult(caller, run);
    return stored === null ? null : asScenarioResult(stored).issues;
  }

  @ResolveField(() => String, {
    complexity: RESULT_FIELD_COST,
    description: 'The run as `netplay run` prints it',
  })
  async text(
    @Caller() caller: CallerIdentity,
    @Parent() run: RunView | RunWithResult,
  ): Promise<string> {
    const stored = await this.storedResult(caller, run);
    return renderRun(run, stored ?? undefined, 'text');
  }

  @ResolveField(() => String, {
    complexity: RESULT_FIELD_COST,
    description: 'Graphviz DOT of each probe’s hops',
  })
  async dot(
    @Caller() caller: CallerIdentity,
    @Parent() run: RunView | RunWithResult,
  ): Promise<string> {
    const stored = await this.storedResult(caller, run);
    return renderRun(run, stored ?? undefined, 'dot');
  }

  /** Runs read with `run(id)` carry their result; list items load it when a client asks. */
  private async storedResult(
    caller: CallerIdentity,
    run: RunView | RunWithResult,
  ): Promise<unknown> {
    if ('result' in run) return run.result?.value ?? null;
    if (!isTerminalRunStatus(run.status)) return null;
    return (await this.runService.get(caller, run.id)).result?.value ?? null;
  }
}
