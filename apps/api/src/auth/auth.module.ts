import { Module } from '@nestjs/common';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { ApiKeyRepository, LearnerSessionRepository, ShareLinkRepository } from '@netplay/db';
import { AdminController } from './admin.controller';
import { AdminService } from './admin.service';
import {
  API_KEY_AUTHENTICATOR,
  ApiKeyAuthentication,
  LEARNER_SESSION_AUTHENTICATOR,
  SHARE_LINK_AUTHENTICATOR,
} from './api-key-authentication';
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
      useFactory: (apiKeys: ApiKeyRepository, config: ApiConfig) =>
        new CachedApiKeyAuthenticator(apiKeys, { ttlMs: config.apiKeyCacheTtlMs }),
      inject: [ApiKeyRepository, API_CONFIG],
    },
    { provide: API_KEY_AUTHENTICATOR, useExisting: CachedApiKeyAuthenticator },
    {
      provide: LEARNER_SESSION_AUTHENTICATOR,
      useExisting: LearnerSessionRepository,
    },
    {
      provide: SHARE_LINK_AUTHENTICATOR,
      useExisting: ShareLinkRepository,
    },
  ],
  exports: [AuthGuard, ApiKeyAuthentication, API_KEY_AUTHENTICATOR],
})
export class AuthModule {}
