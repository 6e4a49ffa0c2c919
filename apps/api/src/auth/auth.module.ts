import { Module } from '@nestjs/common';
import { INFRASTRUCTURE, type Infrastructure } from '../infra/infrastructure';
import { AdminController } from './admin.controller';
import { AdminService } from './admin.service';
import { API_KEY_AUTHENTICATOR, AuthGuard } from './auth.guard';

@Module({
  controllers: [AdminController],
  providers: [
    AdminService,
    AuthGuard,
    { provide: API_KEY_AUTHENTICATOR, useFactory: (infra: Infrastructure) => infra.apiKeys, inject: [INFRASTRUCTURE] },
  ],
  exports: [AuthGuard, API_KEY_AUTHENTICATOR],
})
export class AuthModule {}
