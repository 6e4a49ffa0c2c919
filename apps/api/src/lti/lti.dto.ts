// REST bodies for LTI 1.3 platform registrations and a submission's LTI target (also in /v1/openapi.json).
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsOptional,
  IsString,
  IsInt,
  IsUUID,
  Length,
  Max,
  Min,
} from 'class-validator';
import type { JwksDocument, LtiPlatformView } from './lti.service';

export class CreateLtiPlatformBody {
  @ApiProperty({
    description: "The platform's issuer (`iss` of its launches)",
    example: 'https://lms.example.com',
    maxLength: 2000,
  })
  @IsString()
  @Length(1, 2000)
  issuer!: string;

  @ApiProperty({ description: 'The client id the platform assigned to the tool', maxLength: 500 })
  @IsString()
  @Length(1, 500)
  clientId!: string;

  @ApiProperty({
    description: "The platform's OAuth 2 token endpoint (checked like webhook URLs)",
    example: 'https://lms.example.com/oauth2/token',
    maxLength: 2000,
  })
  @IsString()
  @Length(1, 2000)
  tokenUrl!: string;

  @ApiPropertyOptional({ maxLength: 500, description: 'One deployment id (or use deploymentIds)' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  deploymentId?: string;

  @ApiPropertyOptional({
    description: 'The deployment ids launches may carry (`deployment_id` claim); at most 50',
    type: [String],
    maxItems: 50,
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 500, { each: true })
  deploymentIds?: string[];

  @ApiPropertyOptional({
    description: "The platform's OIDC authorization endpoint (launches are refused without it)",
    example: 'https://lms.example.com/mod/lti/auth.php',
    maxLength: 2000,
  })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  authUrl?: string;

  @ApiPropertyOptional({
    description: "The platform's public keyset URL (launches are refused without it)",
    example: 'https://lms.example.com/mod/lti/certs.php',
    maxLength: 2000,
  })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  platformJwksUrl?: string;

  @ApiPropertyOptional({
    description: 'Keep the name and email launches send (default false: only `sub` is kept)',
  })
  @IsOptional()
  @IsBoolean()
  storeLearnerIdentity?: boolean;
}

export class AddDeploymentBody {
  @ApiProperty({ maxLength: 500 })
  @IsString()
  @Length(1, 500)
  deploymentId!: string;
}

export class SubmissionLtiBody {
  @ApiProperty({ description: 'A platform registered with POST /v1/lti/platforms' })
  @IsUUID()
  platformId!: string;

  @ApiProperty({
    description: 'The line item URL from the launch (AGS endpoint claim `lineitem`)',
    maxLength: 2000,
  })
  @IsString()
  @Length(1, 2000)
  lineItemUrl!: string;

  @ApiProperty({ description: "The platform's user id from the launch (`sub`)", maxLength: 500 })
  @IsString()
  @Length(1, 500)
  userId!: string;
}

export class RotateKeyBody {
  @ApiPropertyOptional({
    description:
      'How long the replaced key stays in the JWKS, in seconds (default 1 day, at most 30 days)',
    minimum: 0,
    maximum: 2_592_000,
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(2_592_000)
  overlapSeconds?: number;
}

// Answers, as /v1/openapi.json describes them; each implements the service's view.

/** A public JSON Web Key (RFC 7517); RSA keys carry `n` and `e`. */
export class Jwk {
  @ApiProperty({ example: 'RSA' }) kty!: string;
  @ApiPropertyOptional() kid?: string;
  @ApiPropertyOptional({ example: 'RS256' }) alg?: string;
  @ApiPropertyOptional({ example: 'sig' }) use?: string;
  @ApiPropertyOptional() n?: string;
  @ApiPropertyOptional({ example: 'AQAB' }) e?: string;
}

export class LtiPlatform implements LtiPlatformView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'https://canvas.instructure.com' }) issuer!: string;
  @ApiProperty() clientId!: string;
  @ApiProperty() tokenUrl!: string;
  @ApiProperty({ type: 'string', nullable: true }) deploymentId!: string | null;
  @ApiProperty({ type: [String], description: 'Deployment ids the platform may launch with' })
  deploymentIds!: string[];
  @ApiProperty({ type: 'string', nullable: true, description: "The platform's OIDC auth endpoint" })
  authUrl!: string | null;
  @ApiProperty({ type: 'string', nullable: true, description: "The platform's JWKS URL" })
  platformJwksUrl!: string | null;
  @ApiProperty({ description: 'Whether names and emails the platform sends are stored' })
  storeLearnerIdentity!: boolean;
  @ApiProperty({ enum: ['manual', 'dynamic'], description: 'How the platform was registered' })
  registeredBy!: string;
  @ApiProperty() keyId!: string;
  @ApiProperty({ type: Jwk, description: 'The tool public key to register with the platform' })
  publicJwk!: unknown;
  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'The key replaced by the last rotation',
  })
  previousKeyId!: string | null;
  @ApiProperty({ type: 'string', nullable: true, format: 'date-time' })
  previousKeyExpiresAt!: string | null;
  @ApiProperty({
    example: '/v1/lti/0190f3c2-7b1a-7c3e-9d4f-2a6b8c0d1e2f/jwks.json',
    description: "Path of the tenant's public JWKS document, relative to the API origin",
  })
  jwksUrl!: string;
  @ApiProperty({
    description: 'The same document under NETPLAY_PUBLIC_URL: what the platform is given',
  })
  toolJwksUrl!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class LtiPlatformList {
  @ApiProperty({ type: [LtiPlatform] }) items!: LtiPlatform[];
}

export class Jwks implements JwksDocument {
  @ApiProperty({ type: [Jwk] }) keys!: unknown[];
}
