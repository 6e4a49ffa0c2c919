import { Module } from '@nestjs/common';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { INFRASTRUCTURE, type Infrastructure } from '../infra/infrastructure';
import { AdminController } from './admin.controller';
import { AdminService } from './admin.service';
import { API_KEY_AUTHENTICATOR, ApiKeyAuthentication } from './api-key-authentication';
import { AuthGuard } from './auth.guard';
import { CachedApiKeyAuthenticator } from './cached-api-key-authenticator';

@Module({
  controllers: [AdminController],
  providers: [
    AdminService,
    AuthGuard,
    ApiKeyAuthentication,
    {
      provide: CachedApiKeyAuthenticator,
      useFactory: (infra: Infrastructure, config: ApiConfig) =>
        new CachedApiKeyAuthenticator(infra.apiKeys, { ttlMs: config.apiKeyCacheTtlMs }),
      inject: [INFRASTRUCTURE, API_CONFIG],
    },
    { provide: API_KEY_AUTHENTICATOR, useExisting: CachedApiKeyAuthenticator },
  ],
  exports: [AuthGuard, ApiKeyAuthentication, API_KEY_AUTHENTICATOR],
})
export class AuthModule {}
