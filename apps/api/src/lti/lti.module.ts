import { Module } from '@nestjs/common';
import { LtiController } from './lti.controller';
import { LtiService } from './lti.service';

/** Exports LtiService: submissions (REST and GraphQL) check their LTI target with it. */
@Module({ controllers: [LtiController], providers: [LtiService], exports: [LtiService] })
export class LtiModule {}
