import { Module } from '@nestjs/common';
import { LtiModule } from '../lti/lti.module';
import { ExercisesController } from './exercises.controller';
import { ExercisesService } from './exercises.service';

/** Exports ExercisesService: the GraphQL resolver calls the same methods as the REST controller. */
@Module({
  imports: [LtiModule],
  controllers: [ExercisesController],
  providers: [ExercisesService],
  exports: [ExercisesService],
})
export class ExercisesModule {}
