import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, ID, Info, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../core/context';
import { AppError, badInput } from '../../core/errors';
import { asNode, fromGlobalId, NodeInterface, NodeTypeName } from '../../core/global-id';

// Relay's refetch entry points (issue 10 §3). A node is read through the typed root field that
// reads its type (household(id), person(id), region(code), village(code)), resolver and guard
// included, so that scope, permissions, masking and read audit are the typed field's: a record
// outside the caller's scope is NOT_FOUND here exactly as there (foreign ≡ missing).

/** The typed root field that reads each node type, and its argument. */
const TYPED: Record<NodeTypeName, { field: string; arg: string }> = {
  Household: { field: 'household', arg: 'id' },
  Person: { field: 'person', arg: 'id' },
  Region: { field: 'region', arg: 'code' },
  Village: { field: 'village', arg: 'code' },
};

/** The node a global id names, read through its typed root field (throws as that field does). */
async function readNode(ctx: RequestContext, info: GraphQLResolveInfo, id: string, field: string): Promise<object> {
  const global = fromGlobalId(id);
  if (!global) throw badInput(field, 'not a global id this API issued (use `id`, not `databaseId`)');
  const typed = TYPED[global.type];
  const resolve = info.schema.getQueryType()?.getFields()[typed.field]?.resolve;
  if (!resolve) throw new Error(`Query.${typed.field} is missing: cannot read a ${global.type} node`);
  const value = (await resolve(undefined, { [typed.arg]: global.key }, ctx, info)) as object;
  return asNode(global.type, value);
}

@Resolver()
export class NodeResolver {
  @Query(() => NodeInterface, {
    nullable: true,
    description:
      'Any node by its global id (按全局标识查询, Relay). Answers as the typed field would (household, person, region, village): NOT_FOUND when missing or outside your scope, FORBIDDEN when your role may not read the type.',
  })
  @Authorized()
  node(@Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo, @Arg('id', () => ID, { description: 'Global id (全局标识), a node\'s `id`.' }) id: string): Promise<object> {
    return readNode(ctx, info, id, 'id');
  }

  @Query(() => [NodeInterface], {
    nullable: 'items',
    description:
      'Nodes by their global ids, in the order given (批量按全局标识查询, Relay); null for each one that is missing or outside your scope. Refused as a whole (FORBIDDEN, BAD_USER_INPUT) when any id is refused otherwise. At most 100 ids.',
  })
  @Authorized()
  async nodes(@Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo, @Arg('ids', () => [ID], { description: 'Global ids (全局标识), at most 100.' }) ids: string[]): Promise<Array<object | null>> {
    if (ids.length > 100) throw badInput('ids', 'at most 100 ids');
    // Read together (the loaders batch them). Missing or foreign is null; any other refusal
    // (FORBIDDEN for a type your role may not read, a malformed id) refuses the whole list, as
    // the typed field refuses, rather than answering data beside an error.
    const settled = await Promise.allSettled(ids.map((id, i) => readNode(ctx, info, id, `ids[${i}]`)));
    return settled.map((r) => {
      if (r.status === 'fulfilled') return r.value;
      if (r.reason instanceof AppError && r.reason.extensions.code === 'NOT_FOUND') return null;
      throw r.reason;
    });
  }
}
