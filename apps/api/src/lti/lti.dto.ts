// REST bodies for LTI 1.3 platform registrations and a submission's LTI target (also in /v1/openapi.json).
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length } from 'class-validator';

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

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  deploymentId?: string;
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
