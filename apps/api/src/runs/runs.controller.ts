// REST for runs. Handlers map HTTP to RunsService calls; the GraphQL resolver calls the same methods.
import { isTerminalRunStatus } from '@netplay/contracts';
import { Body, Controller, Get, Headers, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiHeader,
  ApiOkResponse,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Caller } from '../auth/access.decorators';
import type { CallerIdentity } from '../auth/request-of';
import {
  chooseTraceFormat,
  renderRun,
  TRACE_CONTENT_TYPES,
  TRACE_FORMATS,
  type TraceFormat,
} from './run-format';
import { invalidParameter, readLimit, readOptionalString, readWaitFlag } from './run-query';
import { RunsService, type RunPage } from './runs.service';
import type { RunView, RunWithResult } from './run-view';
import { runJsonBody } from './stored-json';
import { RATE_COSTS, RateCost } from '../throttling/rate-costs';

/** Set on the answer to a submit whose Idempotency-Key made the run earlier (the run as it is now). */
const IDEMPOTENT_REPLAY_HEADER = 'Idempotent-Replayed';

interface RunQuery {
  wait?: string;
  format?: string;
}

@ApiTags('runs')
@ApiBearerAuth('api-key')
@Controller()
export class RunsController {
  constructor(private readonly runs: RunsService) {}

  /** 202 + Location while the run is not finished; 200 with the result when `?wait=true` saw it finish. */
  @RateCost(RATE_COSTS.run)
  @Post('sandboxes/:id/runs')
  @ApiBody({
    description: 'Scenario steps as in a Scenario file’s spec.steps (docs/cli.md)',
    schema: {
      type: 'object',
      required: ['steps'],
      properties: { steps: { type: 'array', items: { type: 'object' } } },
    },
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'A retry with the same key returns the same run',
  })
  @ApiQuery({
    name: 'wait',
    required: false,
    enum: ['true', 'false'],
    description: 'Hold the request until the run is finished (up to RUN_WAIT_MAX_MS)',
  })
  @ApiQuery({ name: 'format', required: false, enum: [...TRACE_FORMATS] })
  @ApiProduces('application/json', 'text/plain', 'text/vnd.graphviz')
  @ApiAcceptedResponse({ description: 'The run, queued or running; Location: /v1/runs/:id' })
  @ApiOkResponse({ description: 'With ?wait=true: the finished run and its result' })
  async submit(
    @Caller() caller: CallerIdentity,
    @Param('id') sandboxId: string,
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Headers('accept') accept: string | undefined,
    @Query() query: RunQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const format = this.format(query, accept);
    const wait = readWaitFlag(query.wait);
    const input = { sandboxId, body, idempotencyKey };
    const { run, created } = wait
      ? await this.runs.submitAndWait(caller.tenantId, input)
      : await this.runs.submit(caller.tenantId, input);
    if (!created) res.setHeader(IDEMPOTENT_REPLAY_HEADER, 'true');
    return respond(res, wait && isTerminalRunStatus(run.status) ? 200 : 202, run, format, accept);
  }

  @Get('runs/:id')
  @ApiQuery({ name: 'wait', required: false, enum: ['true', 'false'] })
  @ApiQuery({ name: 'format', required: false, enum: [...TRACE_FORMATS] })
  @ApiProduces('application/json', 'text/plain', 'text/vnd.graphviz')
  @ApiOkResponse({ description: 'The run; `result` holds the traces once it is finished' })
  async get(
    @Caller() caller: CallerIdentity,
    @Param('id') runId: string,
    @Headers('accept') accept: string | undefined,
    @Query() query: RunQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const format = this.format(query, accept);
    if (!readWaitFlag(query.wait))
      return respond(res, 200, await this.runs.get(caller.tenantId, runId), format, accept);
    const run = await this.runs.waitForTerminal(caller.tenantId, runId);
    return respond(res, isTerminalRunStatus(run.status) ? 200 : 202, run, format, accept);
  }

  @Get('runs')
  @ApiQuery({ name: 'sandboxId', required: false })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false, type: Number })
  @ApiOkResponse({ description: '{items, nextCursor}: runs newest first, without results' })
  list(
    @Caller() caller: CallerIdentity,
    @Query() query: Record<string, unknown>,
  ): Promise<RunPage> {
    return this.runs.list(caller.tenantId, {
      sandboxId: readOptionalString(query.sandboxId, 'sandboxId'),
      cursor: readOptionalString(query.cursor, 'cursor'),
      limit: readLimit(query.limit),
    });
  }

  private format(query: RunQuery, accept: string | undefined): TraceFormat {
    const choice = chooseTraceFormat(query.format, accept);
    if (!choice.ok) throw invalidParameter('format', choice.message);
    return choice.format;
  }
}

/**
 * Status, Location and the body in the chosen rendering. A plain submit is always 202 (a retried
 * submit with the same Idempotency-Key answers like the first); `?wait=true` answers 200 once terminal.
 */
function respond(
  res: Response,
  status: 200 | 202,
  run: RunView | RunWithResult,
  format: TraceFormat,
  accept: string | undefined,
): string {
  res.status(status);
  res.setHeader('Location', `/v1/runs/${run.id}`);
  if (accept !== undefined) res.vary('Accept');
  if (format === 'json') {
    res.type('application/json');
    return runJsonBody(run);
  }
  res.type(TRACE_CONTENT_TYPES[format]);
  return renderRun(
    run,
    'result' in run && run.result !== null ? run.result.value : undefined,
    format,
  );
}
