import 'reflect-metadata';
import { GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema, NonEmptyArray } from 'type-graphql';
import { resolvers } from '../modules';
import { authChecker } from './auth/auth-checker';

let built: Promise<GraphQLSchema> | undefined;

/** The one executable schema, built from the modules' resolvers (memoised per process). */
export function buildAppSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: resolvers as unknown as NonEmptyArray<Function>,
    // type-graphql v2 validates nothing unless told to; inputs carry class-validator rules.
    validate: { forbidUnknownValues: false },
    // Default deny: @Authorized decides, and tests/contract fails on any operation without one.
    authChecker,
    authMode: 'error',
  });
  return built;
}

/** The SDL checked in at schema/schema.graphql: sorted so that diffs show real changes only. */
export async function printAppSchema(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await buildAppSchema()))}\n`;
}
