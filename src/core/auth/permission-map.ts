import { buildAppSchema } from '../schema';
import { metadata } from '../type-graphql-metadata';

/**
 * Every operation and every resolved field, with the permissions its @Authorized names
 * (null: none declared). Emitted to schema/permissions.json and reviewed as a permission change.
 */
export async function permissionMap(): Promise<Record<string, string[] | null>> {
  await buildAppSchema();
  const storage = metadata();
  const typeName = (cls: Function | undefined) => storage.objectTypes.find((t) => t.target === cls)?.name ?? '?';
  const map: Record<string, string[] | null> = {};
  const add = (key: string, roles: string[] | undefined) => {
    map[key] = roles ? [...roles].sort() : null;
  };
  for (const q of storage.queries) add(`Query.${q.schemaName}`, q.roles);
  for (const m of storage.mutations) add(`Mutation.${m.schemaName}`, m.roles);
  for (const s of storage.subscriptions) add(`Subscription.${s.schemaName}`, s.roles);
  for (const f of storage.fieldResolvers) add(`${typeName(f.getObjectType?.())}.${f.schemaName}`, f.roles);
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => a.localeCompare(b)));
}
