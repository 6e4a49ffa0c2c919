import { Module } from '@nestjs/common';
import { LearnerSessionsController } from './learner-sessions.controller';
import { LearnerSessionsService } from './learner-sessions.service';

/** Exports LearnerSessionsService: the LTI launch creates sessions through it. */
@Module({
  controllers: [LearnerSessionsController],
  providers: [LearnerSessionsService],
  exports: [LearnerSessionsService],
})
export class LearnerSessionsModule {}
