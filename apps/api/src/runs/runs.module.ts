import { Module } from '@nestjs/common';
import { RunsController } from './runs.controller';
import { RunsService } from './runs.service';

/** Runs over REST; the GraphQL module uses RunsService too. The repositories, queues, API_CONFIG and RunDispatcher come from the global CoreModule. */
@Module({
  controllers: [RunsController],
  providers: [RunsService],
  exports: [RunsService],
})
export class RunsModule {}
