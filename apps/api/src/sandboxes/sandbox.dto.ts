// REST bodies and answers for sandboxes (also what /v1/openapi.json describes).
import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import {
  IsDefined,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  Min,
} from 'class-validator';
import { Type } from 'class-transformer';
import { PageQuery } from '../paging/page-query.dto';

const MANIFESTS_DOC =
  'The YAML you would `kubectl apply` (documents separated by `---`), or a JSON array of Kubernetes objects';
export const SANDBOX_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ._-]*$/;

export class CreateSandboxBody {
  @ApiProperty({ example: 'website', maxLength: 100 })
  @IsString()
  @Length(1, 100)
  @Matches(SANDBOX_NAME_PATTERN, {
    message:
      'name must start with a letter or digit and contain only letters, digits, spaces, ".", "_" and "-"',
  })
  name!: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @ApiProperty({
    description: MANIFESTS_DOC,
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'object' } }],
  })
  @IsDefined()
  manifests!: unknown;

  @ApiPropertyOptional({
    description: 'Cluster settings stored with the sandbox (a JSON object)',
    type: 'object',
    additionalProperties: true,
  })
  @IsOptional()
  @IsObject()
  clusterSettings?: Record<string, unknown>;
}

export class UpdateSandboxBody {
  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @Matches(SANDBOX_NAME_PATTERN, {
    message:
      'name must start with a letter or digit and contain only letters, digits, spaces, ".", "_" and "-"',
  })
  name?: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @ApiPropertyOptional({
    description: MANIFESTS_DOC,
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'object' } }],
  })
  @IsOptional()
  manifests?: unknown;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  clusterSettings?: Record<string, unknown>;

  @ApiPropertyOptional({
    description: 'The version you read; alternatively send it as `If-Match: "<version>"`',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

/** `POST /v1/sandboxes` with a raw YAML body (the manifests): the other fields, by the same rules. */
export class CreateSandboxYamlQuery extends PickType(CreateSandboxBody, [
  'name',
  'description',
] as const) {}

/** `PATCH /v1/sandboxes/:id` with a raw YAML body (the new manifests): the other fields, by the same rules. */
export class UpdateSandboxYamlQuery extends PickType(UpdateSandboxBody, [
  'name',
  'description',
] as const) {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    description: 'The version you read; alternatively send it as `If-Match: "<version>"`',
  })
  @IsOptional()
  // A query value is text; the JSON body's version is a number and stays strictly one.
  @Type(() => Number)
  @IsInt()
  @Min(1)
  version?: number;
}

export class ListSandboxesQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Case-insensitive part of the name' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional({ enum: ['manifests'], description: 'Items carry their manifests too' })
  @IsOptional()
  @Matches(/^manifests$/, { message: 'include must be manifests' })
  include?: 'manifests';
}

export class ListRevisionsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['manifests'], description: 'Items carry their manifests too' })
  @IsOptional()
  @Matches(/^manifests$/, { message: 'include must be manifests' })
  include?: 'manifests';
}

export class ViewQuery {
  @ApiPropertyOptional({
    description: 'For resolv.conf, env and routes: namespace/name of the pod',
  })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  pod?: string;

  @ApiPropertyOptional({ description: 'For kube-proxy-rules, cni-rules and routes: the node name' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  node?: string;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description:
      "For kube-proxy-rules: kube-proxy's own rule input, without the built-in chains' jumps",
  })
  @IsOptional()
  @Matches(/^(true|false)$/, { message: 'kubeProxyOnly must be true or false' })
  kubeProxyOnly?: 'true' | 'false';

  @ApiPropertyOptional({ description: 'Namespace to list (default: default)' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  namespace?: string;

  @ApiPropertyOptional({ enum: ['text', 'json'], description: 'Overrides the Accept header' })
  @IsOptional()
  @Matches(/^(text|json)$/, { message: 'format must be text or json' })
  format?: 'text' | 'json';
}

export class SandboxView {
  @ApiProperty({ format: 'uuid', example: '0190f3c2-7b1a-7c3e-9d4f-2a6b8c0d1e2f' }) id!: string;
  @ApiProperty({ example: 'website' }) name!: string;
  @ApiProperty({ example: 'A Deployment behind a ClusterIP Service' }) description!: string;
  @ApiPropertyOptional({
    description: 'The manifests as YAML text (in lists only with include=manifests)',
  })
  manifests?: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) clusterSettings!: unknown;
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    example: 1,
    description: 'Bumped by every update; send it back as If-Match',
  })
  version!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

/** The engine's warnings about stored manifests (an error makes the write a 422 instead). */
export class ManifestWarning {
  @ApiProperty({ enum: ['error', 'warning'] }) severity!: 'error' | 'warning';
  @ApiProperty({ example: 'SELECTOR_MATCHES_NOTHING' }) code!: string;
  @ApiProperty() message!: string;
  @ApiPropertyOptional({ type: 'integer', description: 'Which YAML document (from 1)' })
  doc?: number;
  @ApiPropertyOptional({ example: 'Service default/web' }) object?: string;
  @ApiPropertyOptional({ example: 'spec.selector' }) path?: string;
}

/** The answer to a create or update: the sandbox and what the engine noticed in its manifests. */
export class SandboxWriteView extends SandboxView {
  @ApiProperty({ type: [ManifestWarning] }) warnings!: ManifestWarning[];
}

export class SandboxPage {
  @ApiProperty({ type: [SandboxView] }) items!: SandboxView[];
  @ApiPropertyOptional({ description: 'Absent on the last page' }) nextCursor?: string;
}

export class SandboxRevisionView {
  @ApiProperty({ format: 'uuid' }) sandboxId!: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) version!: number;
  @ApiPropertyOptional({ description: 'Only with include=manifests' }) manifests?: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) clusterSettings!: unknown;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class SandboxRevisionPage {
  @ApiProperty({ type: [SandboxRevisionView] }) items!: SandboxRevisionView[];
  @ApiPropertyOptional({ description: 'Absent on the last page' }) nextCursor?: string;
}
