import { Module } from '@nestjs/common';
import { SandboxesController } from './sandboxes.controller';
import { SandboxesService } from './sandboxes.service';

/** Exports SandboxesService: the GraphQL resolvers call the same methods as the REST controller. */
@Module({
  controllers: [SandboxesController],
  providers: [SandboxesService],
  exports: [SandboxesService],
})
export class SandboxesModule {}
