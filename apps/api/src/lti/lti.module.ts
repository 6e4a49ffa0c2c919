import { Module } from '@nestjs/common';
import { ExerciseDigestsModule } from '../exercises/exercise-digests';
import { LearnerSessionsModule } from '../learner-sessions/learner-sessions.module';
import { LearnerSessionsService } from '../learner-sessions/learner-sessions.service';
import { LtiLaunchController } from './lti-launch.controller';
import { LtiLaunchService } from './lti-launch.service';
import { learnerSessionStarter, LTI_SESSION_STARTER } from './lti-session-starter';
import { LtiController } from './lti.controller';
import { LtiService } from './lti.service';

/** Exports LtiService: submissions (REST and GraphQL) check their LTI target with it. */
@Module({
  imports: [LearnerSessionsModule, ExerciseDigestsModule],
  controllers: [LtiController, LtiLaunchController],
  providers: [
    LtiService,
    LtiLaunchService,
    {
      provide: LTI_SESSION_STARTER,
      useFactory: learnerSessionStarter,
      inject: [LearnerSessionsService],
    },
  ],
  exports: [LtiService],
})
export class LtiModule {}
