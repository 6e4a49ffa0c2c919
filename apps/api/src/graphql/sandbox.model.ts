// GraphQL types of sandboxes (code-first). Field values come from SandboxesService's views.
import { Node } from './node.model';
import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import {
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  Min,
} from 'class-validator';
import { SANDBOX_NAME_PATTERN } from '../sandboxes/sandbox.dto';
import { PageInfo } from './page-info.model';
import { JsonScalar } from './json.scalar';
import { EngineIssue } from './trace.model';

@ObjectType({ implements: () => [Node] })
export class Sandbox implements Node {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field() description!: string;
  @Field({ description: 'The manifests as YAML text' }) manifests!: string;
  @Field(() => JsonScalar) clusterSettings!: unknown;
  @Field(() => Int, { description: 'Bumped by every update; pass it to updateSandbox' })
  version!: number;
  @Field() createdAt!: string;
  @Field() updatedAt!: string;
}

@ObjectType()
export class SandboxRevision {
  @Field(() => Int) version!: number;
  @Field() manifests!: string;
  @Field(() => JsonScalar) clusterSettings!: unknown;
  @Field() createdAt!: string;
}

@ObjectType()
export class SandboxRevisionEdge {
  @Field() cursor!: string;
  @Field(() => SandboxRevision) node!: SandboxRevision;
}

@ObjectType()
export class SandboxRevisionConnection {
  @Field(() => [SandboxRevisionEdge]) edges!: SandboxRevisionEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@ObjectType()
export class SandboxEdge {
  @Field() cursor!: string;
  @Field(() => Sandbox) node!: Sandbox;
}

@ObjectType()
export class SandboxConnection {
  @Field(() => [SandboxEdge]) edges!: SandboxEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@ObjectType({ description: 'A written sandbox and the engine’s warnings about its manifests' })
export class SandboxPayload {
  @Field(() => Sandbox) sandbox!: Sandbox;
  @Field(() => [EngineIssue], { description: 'The engine’s warnings about the manifests' })
  warnings!: unknown[];
}

@ObjectType()
export class SandboxViewResult {
  @Field() kind!: string;
  @Field({ nullable: true, description: 'What kubectl or the node’s tool prints' }) text?: string;
  @Field(() => JsonScalar, {
    nullable: true,
    description: 'Structured objects, for resource views',
  })
  json?: unknown;
}

@InputType()
export class CreateSandboxInput {
  @Field()
  @IsString()
  @Length(1, 100)
  @Matches(SANDBOX_NAME_PATTERN, {
    message:
      'name must start with a letter or digit and contain only letters, digits, spaces, ".", "_" and "-"',
  })
  name!: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @Field({ description: 'The YAML you would `kubectl apply`' })
  @IsString()
  manifests!: string;

  @Field(() => JsonScalar, { nullable: true })
  @IsOptional()
  @IsObject()
  clusterSettings?: Record<string, unknown>;
}

@InputType()
export class UpdateSandboxInput {
  @Field(() => Int, {
    description: 'The version you read; a newer write since is a VERSION_CONFLICT',
  })
  @IsInt()
  @Min(1)
  version!: number;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @Matches(SANDBOX_NAME_PATTERN, {
    message:
      'name must start with a letter or digit and contain only letters, digits, spaces, ".", "_" and "-"',
  })
  name?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  manifests?: string;

  @Field(() => JsonScalar, { nullable: true })
  @IsOptional()
  @IsObject()
  clusterSettings?: Record<string, unknown>;
}
