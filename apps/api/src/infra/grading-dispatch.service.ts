// Submissions and webhook messages in the API: the submission outbox's relay and reconciler and the
// webhook delivery reconciler in every API process; in embedded mode (in-process queues) this
// process also takes the grading and delivery jobs, through the same startGradingConsumers as a
// worker. The queues close after this, in the composition root, and their close waits for the
// jobs in progress.
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { OutboxRepository } from '@netplay/db';
import {
  GradingDispatch,
  startGradingConsumers,
  type GradingConsumers,
  type GradingSources,
} from '@netplay/jobs';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { ApiEngine } from '../engine/api-engine';
import type { ServiceMode } from './infrastructure';
import { GRADING_SOURCES, SERVICE_MODE } from './tokens';

/** Submissions graded at once when embedded: the worker's default; the engine pool bounds the work. */
const EMBEDDED_GRADING_CONCURRENCY = 4;

@Injectable()
export class GradingDispatchService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('webhooks');
  private readonly dispatch: GradingDispatch;
  private consumers?: GradingConsumers;

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(SERVICE_MODE) private readonly mode: ServiceMode,
    @Inject(GRADING_SOURCES) private readonly sources: GradingSources,
    outbox: OutboxRepository,
    private readonly engine: ApiEngine,
  ) {
    this.dispatch = new GradingDispatch(
      { ...sources, outbox, settings: config.webhooks },
      { onError: (error) => this.logger.warn(String(error)) },
    );
  }

  onApplicationBootstrap(): void {
    this.dispatch.start();
    if (this.mode.queue !== 'in-process') return;
    this.consumers = startGradingConsumers(this.sources, {
      settings: this.config.webhooks,
      // Embedded, this process grades: in its engine pool, never on the thread that answers requests.
      engine: this.engine.pool,
      gradingConcurrency: EMBEDDED_GRADING_CONCURRENCY,
      warn: (message) => this.logger.warn(message),
    });
  }

  /** Relays submissions now (the submit path calls it right after committing). */
  nudge(): void {
    this.dispatch.nudge();
  }

  async onModuleDestroy(): Promise<void> {
    this.consumers?.stop();
    await this.dispatch.stop();
  }
}
