// /healthz: the process is alive (no dependencies checked, so a database outage does not get the
// process restarted). /readyz: it can serve: PostgreSQL answers `SELECT 1` and Redis answers PING
// with the one eviction policy BullMQ is correct under (`noeviction`);
// in embedded mode it names what it uses instead of Redis. While the process drains after SIGTERM,
// /readyz answers 503 `draining` without asking either.
import { Controller, Get, Inject, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { redisEvictionProblem } from '@netplay/queue';
import type { Response } from 'express';
import { Public } from '../auth/access.decorators';
import { Unmetered } from '../throttling/rate-costs';
import { Readiness } from './readiness';
import type { ServiceMode } from '../infra/infrastructure';
import { ServiceStatusRepository } from '@netplay/db';
import { RATE_LIMIT_REDIS, SERVICE_MODE } from '../infra/tokens';
import type IORedis from 'ioredis';

export interface ReadinessCheck {
  name: 'database' | 'queue';
  ok: boolean;
  uses: string;
  error?: string;
}

const CHECK_TIMEOUT_MS = 2_000;

class Liveness {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
}

class ReadinessCheckView implements ReadinessCheck {
  @ApiProperty({ enum: ['database', 'queue'] }) name!: 'database' | 'queue';
  @ApiProperty() ok!: boolean;
  @ApiProperty({ example: 'postgresql' }) uses!: string;
  @ApiPropertyOptional() error?: string;
}

class ReadinessView {
  @ApiProperty({ enum: ['ok', 'unavailable', 'draining'] }) status!:
    'ok' | 'unavailable' | 'draining';
  @ApiProperty({ enum: ['production', 'embedded'] }) mode!: string;
  @ApiProperty({ type: [ReadinessCheckView] }) checks!: ReadinessCheckView[];
}

@ApiTags('health')
@Public()
@Unmetered()
@Controller()
export class HealthController {
  constructor(
    @Inject(SERVICE_MODE) private readonly mode: ServiceMode,
    private readonly serviceStatus: ServiceStatusRepository,
    private readonly readiness: Readiness,
    @Inject(RATE_LIMIT_REDIS) private readonly rateLimitRedis: { redis?: IORedis },
  ) {}

  @Get('healthz')
  @ApiOperation({ summary: 'Liveness: the process is running' })
  @ApiOkResponse({ type: Liveness, description: 'The process is running' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  @ApiOperation({ summary: 'Readiness: the database and the queue answer' })
  @ApiOkResponse({ type: ReadinessView, description: 'Database and queue answer' })
  @ApiServiceUnavailableResponse({
    type: ReadinessView,
    description: 'A dependency does not answer, or the process is shutting down',
  })
  async ready(@Res({ passthrough: true }) response: Response): Promise<{
    status: 'ok' | 'unavailable' | 'draining';
    mode: string;
    checks: ReadinessCheck[];
  }> {
    const mode =
      this.mode.database === 'postgres' && this.mode.queue === 'redis' ? 'production' : 'embedded';
    if (this.readiness.draining) {
      response.status(503);
      return { status: 'draining', mode, checks: [] };
    }
    const { redis } = this.rateLimitRedis;
    const checks = await Promise.all([
      check(
        'database',
        this.mode.database === 'postgres' ? 'postgresql' : 'pglite (embedded)',
        () => this.serviceStatus.ping(),
      ),
      redis
        ? check('queue', 'redis', async () => {
            await redis.ping();
            // An evicting Redis answers PING and loses queued runs under memory pressure.
            const evicting = await redisEvictionProblem(redis);
            if (evicting) throw new Error(evicting);
          })
        : check('queue', 'in-process (embedded)', async () => undefined),
    ]);
    const ok = checks.every((entry) => entry.ok);
    response.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'unavailable', mode, checks };
  }
}

async function check(
  name: ReadinessCheck['name'],
  uses: string,
  probe: () => Promise<void>,
): Promise<ReadinessCheck> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
          CHECK_TIMEOUT_MS,
        );
      }),
    ]);
    return { name, ok: true, uses };
  } catch (error) {
    return { name, ok: false, uses, error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
