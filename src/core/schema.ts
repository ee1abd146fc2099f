import 'reflect-metadata';
import { GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { AuthChecker, buildSchema } from 'type-graphql';
import { resolvers } from '../modules';
import { guardSchema } from './auth/field-guard';
import { callFieldResolversDirectly } from './direct-resolvers';
import { acceptGlobalIds } from './global-id';
import { nullFirstMeansDefault } from './pagination';

let built: Promise<GraphQLSchema> | undefined;

const NO_TOPICS = {
  publish(): void {
    throw new Error('subscriptions follow the change-event feed (modules/live); there are no pub/sub topics');
  },
  subscribe(): AsyncIterable<unknown> {
    throw new Error('subscriptions follow the change-event feed (modules/live); there are no pub/sub topics');
  },
};

/** The one executable schema, built from the modules' resolvers (memoised per process). */
export function buildAppSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers,
    // type-graphql v2 validates nothing unless told to; inputs carry class-validator rules.
    validate: { forbidUnknownValues: false },
    // Default deny: @Authorized decides, and tests/contract fails on any operation without one.
    // The check runs synchronously in front of each resolver (auth/field-guard.ts), not as
    // type-graphql's async middleware. type-graphql insists on a checker whenever @Authorized
    // is used, and adds its middleware only for a truthy one: null passes the first test and
    // not the second. (Should a later version call it anyway, every checked field fails loudly.)
    authChecker: null as unknown as AuthChecker,
    authMode: 'error',
    // type-graphql wants a PubSub as soon as there is a subscription, even when each one brings
    // its own `subscribe` (modules/live: they read the change-event feed). No topic is ever used,
    // so one that is asked for is a programming error.
    pubSub: NO_TOPICS,
  }).then((schema) => guardSchema(nullFirstMeansDefault(acceptGlobalIds(callFieldResolversDirectly(schema, resolvers))), resolvers));
  return built;
}

/** The SDL checked in at schema/schema.graphql: sorted so that diffs show real changes only. */
export async function printAppSchema(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await buildAppSchema()))}\n`;
}
