import DataLoader from 'dataloader';
import type { RequestContext } from './context';

/** Builds one DataLoader for one relation, for one request. Name it `<target>By<Key>`. */
export type LoaderFactory<K, V> = (ctx: RequestContext) => DataLoader<K, V, string>;

/** Per-request loader cache: each factory is instantiated at most once per request. */
export class Loaders {
  private readonly cache = new Map<LoaderFactory<unknown, unknown>, DataLoader<unknown, unknown, string>>();

  constructor(private readonly ctx: RequestContext) {}

  get<K, V>(factory: LoaderFactory<K, V>): DataLoader<K, V, string> {
    let loader = this.cache.get(factory);
    if (!loader) {
      loader = factory(this.ctx);
      this.cache.set(factory, loader);
    }
    return loader as DataLoader<K, V, string>;
  }

  // Values read ahead for this request (core/prefetch), by loader and key. DataLoader answers
  // even a primed key with a promise, and a promise per field makes graphql-js complete every
  // object below it asynchronously: on a village dashboard, several thousand promises. A field
  // whose rows were read ahead is served from here at once.
  private readonly ahead = new Map<LoaderFactory<unknown, unknown>, Map<string, unknown>>();

  /** Primes `factory`'s loader with a value read ahead, and keeps it to be served at once. */
  prime<V>(factory: LoaderFactory<string, V>, key: string, value: V): void {
    let values = this.ahead.get(factory);
    if (!values) {
      values = new Map();
      this.ahead.set(factory, values);
    }
    // Like DataLoader's prime: the first value of a request stands.
    if (!values.has(key)) values.set(key, value);
    this.get(factory).prime(key, value);
  }

  /** `factory`'s value for `key`: at once when it was read ahead, else through the loader. */
  load<V>(factory: LoaderFactory<string, V>, key: string): V | Promise<V> {
    const values = this.ahead.get(factory);
    if (values?.has(key)) return values.get(key) as V;
    return this.get(factory).load(key);
  }

  /** `then(value)` for `factory`'s value for `key`, at once when it was read ahead. */
  map<V, R>(factory: LoaderFactory<string, V>, key: string, then: (value: V) => R): R | Promise<R> {
    const value = this.load(factory, key);
    return value instanceof Promise ? value.then(then) : then(value);
  }

  /** A loader that also depends on field arguments: one instance per distinct `key`. */
  keyed<K, V>(key: string, make: () => DataLoader<K, V, string>): DataLoader<K, V, string> {
    let loader = this.byKey.get(key);
    if (!loader) {
      loader = make();
      this.byKey.set(key, loader);
    }
    return loader as DataLoader<K, V, string>;
  }

  private readonly byKey = new Map<string, DataLoader<unknown, unknown, string>>();
}

/** Groups rows by a key column in the order of `keys` (for one-to-many loaders). */
export function groupBy<R, K extends string | number>(keys: readonly K[], rows: R[], key: (row: R) => K): R[][] {
  const groups = new Map<K, R[]>();
  for (const row of rows) {
    const k = key(row);
    const list = groups.get(k);
    if (list) list.push(row);
    else groups.set(k, [row]);
  }
  return keys.map((k) => groups.get(k) ?? []);
}

/** Picks the row for each key, or null (for one-to-one loaders). */
export function indexBy<R, K extends string | number>(keys: readonly K[], rows: R[], key: (row: R) => K): (R | null)[] {
  const byKey = new Map<K, R>();
  for (const row of rows) byKey.set(key(row), row);
  return keys.map((k) => byKey.get(k) ?? null);
}

/** A loader keyed by string ids whose batch function receives the request context. */
export function loaderFactory<V>(batch: (ctx: RequestContext, keys: readonly string[]) => Promise<V[]>): LoaderFactory<string, V> {
  return (ctx) => new DataLoader<string, V, string>((keys) => batch(ctx, keys), { maxBatchSize: 5000 });
}

/**
 * Gives plain rows the prototype of their GraphQL object class, in place. type-graphql copies a
 * root that is not an instance of its object type into a new instance before each of its field
 * resolvers runs, and again for `@Root()`: on a household card, about thirty copies of every
 * person. Instances pass through. Only the prototype changes (the classes have no methods or
 * initialisers); the fields are the row's own.
 */
export function asInstances<T extends object>(cls: { prototype: T }, rows: readonly object[]): T[] {
  for (const row of rows) Object.setPrototypeOf(row, cls.prototype);
  return rows as T[];
}
