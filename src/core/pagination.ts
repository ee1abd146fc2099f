import { getNamedType, GraphQLFieldResolver, GraphQLSchema, isObjectType } from 'graphql';
import { ArgsType, ClassType, Field, Int, ObjectType } from 'type-graphql';
import { Max, Min } from 'class-validator';
import { AppError } from './errors';

const DEFAULT_PAGE = 20;

/** Relay page arguments. Pages are keyset pages over the record id (stable under inserts). */
@ArgsType()
export class PageArgs {
  // Nullable as the Relay connection spec has it; a null is replaced by the default before the
  // resolver runs (nullFirstMeansDefault), so resolvers always see a number.
  @Field(() => Int, { nullable: true, defaultValue: DEFAULT_PAGE, description: 'Page size (每页条数), 1–100; null means 20. Pages go forward only (`first`/`after`).' })
  @Min(1)
  @Max(100)
  first!: number;

  @Field(() => String, { nullable: true, description: 'Cursor of the last edge of the previous page.' })
  after?: string | null;
}

@ObjectType({ description: 'Relay page information (分页信息).' })
export class PageInfo {
  @Field({ description: 'Whether another page follows.' })
  hasNextPage!: boolean;

  @Field({ description: 'Whether a page precedes (true whenever `after` was given).' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first edge.' })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last edge; pass as `after` for the next page.' })
  endCursor!: string | null;
}

export const encodeCursor = (id: string) => Buffer.from(`id:${id}`).toString('base64url');

/** Decodes a cursor to the id it stands for; a malformed cursor is the caller's error. */
export function decodeCursor(cursor: string | null | undefined): string | null {
  if (cursor === null || cursor === undefined) return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^id:(\d{1,18})$/.exec(text);
  if (!match) throw new AppError('BAD_USER_INPUT', 'after: not a cursor this API issued', { field: 'after' });
  return match[1];
}

/** What a connection resolver hands back: a page of rows plus a lazily counted total. */
export interface ConnectionValue<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: PageInfo;
  /** Counted only when the client asks for it (a getter, read by the field resolver). */
  readonly totalCount: Promise<number>;
}

/** Builds a page from rows fetched with LIMIT first + 1, ordered by id. */
export function toConnection<T extends { id: string }>(
  rows: T[],
  page: { first: number; after?: string | null },
  totalCount: () => Promise<number>,
): ConnectionValue<T> {
  const hasNextPage = rows.length > page.first;
  const nodes = hasNextPage ? rows.slice(0, page.first) : rows;
  const edges = nodes.map((node) => ({ cursor: encodeCursor(node.id), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage,
      hasPreviousPage: page.after != null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    get totalCount() {
      return totalCount();
    },
  };
}

/** Declares `<Name>Connection` and `<Name>Edge` GraphQL types for a node type. */
export function Connection<T extends object>(nodeType: ClassType<T>, name: string, zh: string) {
  @ObjectType(`${name}Edge`, { description: `An edge to a ${name} (${zh}).` })
  class Edge {
    @Field({ description: 'Opaque cursor of this edge.' })
    cursor!: string;

    @Field(() => nodeType, { description: `The ${name}.` })
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${name} records (${zh}列表).` })
  class ConnectionType {
    @Field(() => [Edge], { description: 'The records on this page.' })
    edges!: Edge[];

    @Field(() => PageInfo, { description: 'Where this page stands.' })
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'Number of records matching the filter, over all pages (总数).' })
    totalCount!: number;
  }
  return ConnectionType;
}

/**
 * `first: null` on a connection means the default page size (the connection spec lets clients
 * send null): replaces it, in place, in front of every connection field's resolver.
 */
export function nullFirstMeansDefault(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !isObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      if (!getNamedType(field.type).name.endsWith('Connection') || !field.resolve) continue;
      const first = field.args.find((a) => a.name === 'first');
      if (!first) continue;
      const resolve: GraphQLFieldResolver<unknown, unknown> = field.resolve;
      const fallback = first.defaultValue ?? DEFAULT_PAGE;
      field.resolve = (root, args: Record<string, unknown>, ctx, info) =>
        resolve(root, args.first === null ? { ...args, first: fallback } : args, ctx, info);
    }
  }
  return schema;
}
