import { Module } from '@nestjs/common';
import { RetentionTimer } from './retention-timer.service';

@Module({ providers: [RetentionTimer] })
export class RetentionModule {}
