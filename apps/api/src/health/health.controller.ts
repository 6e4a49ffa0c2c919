// /healthz: the process is alive (no dependencies checked, so a database outage does not get the
// process restarted). /readyz: it can serve: PostgreSQL answers `SELECT 1` and Redis answers PING;
// in embedded mode it names what it uses instead of Redis.
import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/access.decorators';
import { INFRASTRUCTURE, type Infrastructure } from '../infra/infrastructure';
import { Unmetered } from '../throttling/rate-costs';

export interface ReadinessCheck {
  name: 'database' | 'queue';
  ok: boolean;
  uses: string;
  error?: string;
}

const CHECK_TIMEOUT_MS = 2_000;

@ApiTags('health')
@Public()
@Unmetered()
@Controller()
export class HealthController {
  constructor(@Inject(INFRASTRUCTURE) private readonly infra: Infrastructure) {}

  @Get('healthz')
  @ApiOkResponse({ description: 'The process is running' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  @ApiOkResponse({ description: 'Database and queue answer' })
  @ApiServiceUnavailableResponse({ description: 'A dependency does not answer' })
  async ready(
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ status: 'ok' | 'unavailable'; mode: string; checks: ReadinessCheck[] }> {
    const { redis } = this.infra;
    const checks = await Promise.all([
      check(
        'database',
        this.infra.mode.database === 'postgres' ? 'postgresql' : 'pglite (embedded)',
        () => this.infra.status.ping(),
      ),
      redis
        ? check('queue', 'redis', async () => void (await redis.ping()))
        : check('queue', 'in-process (embedded)', async () => undefined),
    ]);
    const ok = checks.every((entry) => entry.ok);
    response.status(ok ? 200 : 503);
    const mode =
      this.infra.mode.database === 'postgres' && this.infra.mode.queue === 'redis'
        ? 'production'
        : 'embedded';
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
