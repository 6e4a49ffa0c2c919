import { Field, ObjectType } from '@nestjs/graphql';

/** Relay-style page information: pass `endCursor` as `after` for the next page. */
@ObjectType()
export class PageInfo {
  @Field() hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}
