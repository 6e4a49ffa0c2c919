import { Module } from '@nestjs/common';
import { LtiModule } from '../lti/lti.module';
import { ExercisesController } from './exercises.controller';
import { ExercisesService } from './exercises.service';
import { ExerciseResultsService } from './exercise-results.service';
import { ExerciseDigestsModule } from './exercise-digests';

/** Exports the services: the GraphQL resolver calls the same methods as the REST controller. */
@Module({
  imports: [LtiModule, ExerciseDigestsModule],
  controllers: [ExercisesController],
  providers: [ExercisesService, ExerciseResultsService],
  exports: [ExercisesService, ExerciseResultsService],
})
export class ExercisesModule {}
