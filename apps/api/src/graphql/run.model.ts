// GraphQL types of runs (code-first). Steps and step results are the types generated from the
// engine's trace schema (trace.model.ts).
import { Node } from './node.model';
import { RUN_STATUSES, type RunStatus } from '@netplay/contracts';
import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { PageInfo } from './page-info.model';
import { Step, StepKind, StepResultUnion } from './trace.model';

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
  @Field(() => StepKind) kind!: string;
  @Field(() => StepResultUnion) result!: unknown;
}

@ObjectType({ implements: () => [Node] })
export class Run implements Node {
  @Field(() => ID) id!: string;
  @Field(() => RunStatusEnum) status!: RunStatus;
  @Field(() => ID, { nullable: true }) sandboxId!: string | null;
  @Field(() => Int, { nullable: true, description: 'The sandbox version the run simulated' })
  sandboxVersion!: number | null;
  @Field(() => ID) sandboxRevisionId!: string;
  @Field(() => [Step], { description: 'The submitted steps' }) steps!: unknown;
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
