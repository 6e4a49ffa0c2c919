// The Relay `Node` interface (Global Object Identification): every object a client may refetch by
// id alone. Ids are the resources' UUIDs, the same as REST's: unique across every type, so one id
// names one object, and a client can pass an id it got from REST to `node(id)`.
import { Field, ID, InterfaceType } from '@nestjs/graphql';

/** Set on a value `node(id)` found, to tell the interface which type it is. */
export const NODE_TYPE = Symbol('netplay.nodeType');

export type NodeTypeName = 'Sandbox' | 'Run' | 'Exercise' | 'Submission' | 'WebhookEndpoint';

@InterfaceType({
  description: 'An object with an id: refetch any of them with node(id)',
  resolveType: (value: { [NODE_TYPE]?: NodeTypeName }) => value[NODE_TYPE],
})
export abstract class Node {
  @Field(() => ID, { description: 'Unique across every type (a UUID, the same as in REST)' })
  id!: string;
}
