// REST bodies and answers for runs, as /v1/openapi.json describes them. The classes implement the
// views the service returns, so a field added to a view and not here is a compile error.
import { RUN_STATUSES, type RunStatus } from '@netplay/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { componentRef } from '../openapi/trace-components';
import type { RunView } from './run-view';

const EXAMPLE_STEPS = [{ probe: { from: 'default/client', to: 'http://website.default/' } }];

export class RunBody {
  @ApiProperty({
    type: 'array',
    items: componentRef('Step'),
    minItems: 1,
    description: 'Scenario steps as in a Scenario file’s spec.steps (docs/cli.md)',
    example: EXAMPLE_STEPS,
  })
  steps!: unknown[];
}

export class Run implements RunView {
  @ApiProperty({ format: 'uuid', description: 'Time-ordered (UUIDv7)' }) id!: string;
  @ApiProperty({ enum: RUN_STATUSES, enumName: 'RunStatus' }) status!: RunStatus;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, description: 'Null once deleted' })
  sandboxId!: string | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'The revision the run ran against' })
  sandboxVersion!: number | null;
  @ApiProperty({ format: 'uuid' }) sandboxRevisionId!: string;
  @ApiProperty({ type: 'array', items: componentRef('Step'), example: EXAMPLE_STEPS })
  steps!: unknown;
  @ApiProperty({ type: 'integer', minimum: 0 }) attempts!: number;
  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'Why a failed run failed (the engine issues, one per line)',
  })
  error!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) startedAt!: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) finishedAt!: string | null;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'Milliseconds from submit to start',
  })
  queuedMs!: number | null;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'Milliseconds from start to finish',
  })
  runMs!: number | null;
}

export class RunWithResult extends Run {
  @ApiProperty({
    oneOf: [componentRef('ScenarioResult'), { type: 'null' }],
    description:
      "The engine's result once the run is finished: load issues and one result per step (a ProbeTrace, DnsTrace, view or mutation); null before",
  })
  result!: unknown;
}

export class RunPage {
  @ApiProperty({ type: [Run], description: 'Newest first, without results' }) items!: Run[];
  @ApiPropertyOptional({ description: 'Absent on the last page' }) nextCursor?: string;
}

export class RunListQuery {
  @ApiPropertyOptional({ format: 'uuid', description: "Only this sandbox's runs" })
  sandboxId?: string;
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' }) cursor?: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20 }) limit?: number;
}
