// GraphQL types of a submission's LTI 1.3 score passback (REST: SubmissionLtiBody, SubmissionLtiView).
import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';

@InputType({
  description: 'From an LTI 1.3 launch: the graded score is passed back to this line item',
})
export class SubmissionLtiInput {
  @Field(() => ID, { description: 'A platform registered with POST /v1/lti/platforms' })
  platformId!: string;
  @Field({ description: 'The line item URL from the launch (AGS endpoint claim `lineitem`)' })
  lineItemUrl!: string;
  @Field({ description: "The platform's user id from the launch (`sub`)" }) userId!: string;
}

@ObjectType()
export class SubmissionLti {
  @Field(() => ID) platformId!: string;
  @Field() lineItemUrl!: string;
  @Field() userId!: string;
  @Field({ description: 'pending, sent or failed' }) status!: string;
  @Field(() => String, { nullable: true }) error!: string | null;
}
