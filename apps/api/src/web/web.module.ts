import { Module } from '@nestjs/common';
import { EmbedOriginsController } from './embed-origins.controller';

/** The playground page's server side: the tenant's embed origins (the files are mounted in create-app). */
@Module({ controllers: [EmbedOriginsController] })
export class WebModule {}
