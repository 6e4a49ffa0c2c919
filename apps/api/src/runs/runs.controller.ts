// REST for runs. Handlers map HTTP to RunsService calls; the GraphQL resolver calls the same methods.
import { isTerminalRunStatus } from '@netplay/contracts';
import { Body, Controller, Get, Headers, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiErrors } from '../openapi/error-responses';
import { Caller, LearnerAllowed } from '../auth/access.decorators';
import type { CallerIdentity } from '../auth/request-of';
import {
  chooseTraceFormat,
  renderRun,
  TRACE_CONTENT_TYPES,
  TRACE_FORMATS,
  type TraceFormat,
} from './run-format';
import {
  Run,
  RunBody,
  RunListQuery,
  RunPage as RunPageView,
  RunWithResult as RunWithResultView,
} from './run.dto';
import { invalidParameter, readLimit, readOptionalString, readWaitFlag } from './run-query';
import { RunsService, type RunPage } from './runs.service';
import type { RunView, RunWithResult } from './run-view';
import { runJsonBody } from './stored-json';
import { RATE_COSTS, RateCost } from '../throttling/rate-costs';

const RENDERING_DOC =
  'The body is JSON, or the traces rendered as text (`text/plain`, what `netplay run` prints), Graphviz DOT, Mermaid or SVG: chosen by `format`, else by `Accept` (with q-values; JSON when the client has no preference).';

const FORMAT_QUERY = {
  name: 'format',
  required: false,
  enum: [...TRACE_FORMATS],
  description: 'The rendering; overrides Accept',
};

const LOCATION_HEADER = {
  Location: { description: '/v1/runs/{id}', schema: { type: 'string' as const } },
};

/** The media types a run is answered in: the JSON view, or a rendering of its traces. */
function renderings(json: typeof Run) {
  const text = (example: string) => ({ schema: { type: 'string' as const }, example });
  return {
    'application/json': { schema: { $ref: getSchemaPath(json) } },
    'text/plain': text('run 0190f3c2-…: succeeded\n'),
    'text/vnd.graphviz': text('digraph "run 0190f3c2-…" {\n}\n'),
    'text/vnd.mermaid': text('flowchart TB\n'),
    'image/svg+xml': text('<svg xmlns="http://www.w3.org/2000/svg"></svg>'),
  };
}

/** Set on the answer to a submit whose Idempotency-Key made the run earlier (the run as it is now). */
const IDEMPOTENT_REPLAY_HEADER = 'Idempotent-Replayed';

interface RunQuery {
  wait?: string;
  format?: string;
}

@ApiTags('runs')
@ApiBearerAuth('api-key')
@LearnerAllowed()
@ApiExtraModels(Run, RunWithResultView)
@Controller()
export class RunsController {
  constructor(private readonly runs: RunsService) {}

  /** 202 + Location while the run is not finished; 200 with the result when `?wait=true` saw it finish. */
  @RateCost(RATE_COSTS.run)
  @Post('sandboxes/:id/runs')
  @ApiOperation({
    summary: "Run scenario steps against a sandbox's current revision",
    description: `${RENDERING_DOC} A plain submit answers 202; with \`wait=true\` the request holds until the run is finished (up to RUN_WAIT_MAX_MS) and answers 200 with its result, or 202 if it is still running then.`,
  })
  @ApiBody({ type: RunBody })
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
  @ApiQuery(FORMAT_QUERY)
  @ApiAcceptedResponse({
    description: 'The run, queued or running; Location: /v1/runs/{id}',
    headers: LOCATION_HEADER,
    content: renderings(Run),
  })
  @ApiOkResponse({
    description: 'With wait=true: the finished run and its result',
    headers: LOCATION_HEADER,
    content: renderings(RunWithResultView),
  })
  @ApiErrors(422)
  async createRun(
    @Caller() caller: CallerIdentity,
    @Param('id') sandboxId: string,
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() req: Request,
    @Query() query: RunQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const format = this.format(query, req);
    const wait = readWaitFlag(query.wait);
    const input = { sandboxId, body, idempotencyKey };
    const { run, created } = wait
      ? await this.runs.submitAndWait(caller, input)
      : await this.runs.submit(caller, input);
    if (!created) res.setHeader(IDEMPOTENT_REPLAY_HEADER, 'true');
    return respond(res, wait && isTerminalRunStatus(run.status) ? 200 : 202, run, format);
  }

  @Get('runs/:id')
  @ApiOperation({
    summary: 'Read a run and, once it is finished, its traces',
    description: `${RENDERING_DOC} With \`wait=true\` the request holds until the run is finished (up to RUN_WAIT_MAX_MS); 202 if it is still not.`,
  })
  @ApiQuery({
    name: 'wait',
    required: false,
    enum: ['true', 'false'],
    description: 'Hold the request until the run is finished',
  })
  @ApiQuery(FORMAT_QUERY)
  @ApiOkResponse({
    description: 'The run; `result` holds the traces once it is finished',
    content: renderings(RunWithResultView),
  })
  @ApiAcceptedResponse({
    description: 'With wait=true: the run is not finished yet',
    content: renderings(RunWithResultView),
  })
  async getRun(
    @Caller() caller: CallerIdentity,
    @Param('id') runId: string,
    @Req() req: Request,
    @Query() query: RunQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const format = this.format(query, req);
    if (!readWaitFlag(query.wait))
      return respond(res, 200, await this.runs.get(caller, runId), format);
    const run = await this.runs.waitForTerminal(caller, runId);
    return respond(res, isTerminalRunStatus(run.status) ? 200 : 202, run, format);
  }

  @Get('runs')
  @ApiOperation({ summary: "List the tenant's runs, newest first (without results)" })
  @ApiQuery({ type: RunListQuery })
  @ApiOkResponse({ type: RunPageView })
  listRuns(
    @Caller() caller: CallerIdentity,
    @Query() query: Record<string, unknown>,
  ): Promise<RunPage> {
    return this.runs.list(caller, {
      sandboxId: readOptionalString(query.sandboxId, 'sandboxId'),
      cursor: readOptionalString(query.cursor, 'cursor'),
      limit: readLimit(query.limit),
    });
  }

  private format(query: RunQuery, req: Request): TraceFormat {
    const choice = chooseTraceFormat(query.format, (types) => req.accepts(types));
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
): string {
  res.status(status);
  res.setHeader('Location', `/v1/runs/${run.id}`);
  res.vary('Accept');
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
