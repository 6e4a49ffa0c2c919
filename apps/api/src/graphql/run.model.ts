// GraphQL types of runs (code-first). A step's result is the engine's JSON as it is.
import { RUN_STATUSES, type RunStatus } from '@netplay/contracts';
import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { JsonScalar } from './json.scalar';
import { PageInfo } from './page-info.model';

export const RunStatusEnum = Object.fromEntries(RUN_STATUSES.map((status) => [status, status])) as {
  [Status in RunStatus]: Status;
};
registerEnumType(RunStatusEnum, {
  name: 'RunStatus',
  description: 'queued → running → succeeded | failed',
});

@ObjectType({
  description:
    'One step of a finished run: its kind and the engine’s result (a trace, a view or a mutation)',
})
export class RunStep {
  @Field(() => Int) index!: number;
  @Field({ nullable: true }) name?: string;
  @Field() kind!: string;
  @Field(() => JsonScalar, {
    description: 'ProbeTrace, DnsTrace, {view, issues} or {mutation, issues}: see docs/engine.md',
  })
  result!: unknown;
}

@ObjectType()
export class Run {
  @Field(() => ID) id!: string;
  @Field(() => RunStatusEnum) status!: RunStatus;
  @Field(() => ID, { nullable: true }) sandboxId!: string | null;
  @Field(() => Int, { nullable: true, description: 'The sandbox version the run simulated' })
  sandboxVersion!: number | null;
  @Field(() => ID) sandboxRevisionId!: string;
  @Field(() => JsonScalar, { description: 'The submitted steps' }) steps!: unknown;
  @Field(() => Int) attempts!: number;
  @Field(() => String, { nullable: true }) error!: string | null;
  @Field() createdAt!: string;
  @Field(() => String, { nullable: true }) startedAt!: string | null;
  @Field(() => String, { nullable: true }) finishedAt!: string | null;
  @Field(() => Int, { nullable: true }) queuedMs!: number | null;
  @Field(() => Int, { nullable: true }) runMs!: number | null;
}

@ObjectType()
export class RunEdge {
  @Field() cursor!: string;
  @Field(() => Run) node!: Run;
}

@ObjectType()
export class RunConnection {
  @Field(() => [RunEdge]) edges!: RunEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@ObjectType()
export class RunStatusChange {
  @Field(() => ID) runId!: string;
  @Field(() => RunStatusEnum) status!: RunStatus;
  @Field() at!: string;
}
