import { createSourceEventStream, execute, print, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { RequestContext } from '../../core/context';

// Executing a subscription's selection once per group of subscribers, not once per subscriber.
//
// graphql-js runs the document against every event for every subscription: with thousands of
// subscribers that is most of the cost of an event (about 40 µs each here). The feed hands the
// subscribers of one visibility group (same scope, role, department: live-declaration.ts) the
// SAME item objects; a result computed for one of them answers every other that sent the same
// document and variables on the same service day, because nothing else enters it: the payload
// types' fields read only the item and, for nested edges, loaders under the same visibility.
// Declarations whose payload could reach a field that depends on who asks beyond that (a read
// that is audited per person) set `shareResults: false`, and their items are never shared.
// A result with errors is never shared: each subscriber executes again, and its errors carry
// its own request id.

/** Items whose results may be shared, with the results computed so far, by operation key. */
const sharedResults = new WeakMap<object, Map<string, Promise<ExecutionResult>>>();

/** Marks `item` as shareable within the group it was loaded for. */
export function shareResultsOf(item: object): void {
  sharedResults.set(item, new Map());
}

/** graphql-ws's `subscribe` option: graphql-js's subscribe, with shared results for shareable items. */
export async function subscribeSharingResults(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in (source as object))) return source as ExecutionResult;
  const key = `${args.operationName ?? ''}\u0000${print(args.document)}\u0000${JSON.stringify(args.variableValues ?? {})}\u0000${(args.contextValue as RequestContext).today}`;
  const run = (payload: unknown) => execute({ ...args, rootValue: payload }) as ExecutionResult | Promise<ExecutionResult>;
  const map = async (payload: unknown): Promise<ExecutionResult> => {
    const cache = typeof payload === 'object' && payload !== null ? sharedResults.get(payload) : undefined;
    if (!cache) return run(payload);
    const known = cache.get(key);
    if (!known) {
      const mine = Promise.resolve(run(payload));
      cache.set(key, mine);
      return mine;
    }
    const result = await known;
    return result.errors ? run(payload) : result;
  };
  return new MappedIterator(source as AsyncIterableIterator<unknown>, map);
}

/** `source` with each value mapped; return() and throw() reach the source at once. */
class MappedIterator<T, R> implements AsyncIterableIterator<R> {
  constructor(
    private readonly source: AsyncIterator<T>,
    private readonly map: (value: T) => Promise<R>,
  ) {}

  async next(): Promise<IteratorResult<R>> {
    const r = await this.source.next();
    return r.done ? { value: undefined, done: true } : { value: await this.map(r.value), done: false };
  }

  async return(): Promise<IteratorResult<R>> {
    await this.source.return?.();
    return { value: undefined, done: true };
  }

  async throw(err: unknown): Promise<IteratorResult<R>> {
    if (this.source.throw) await this.source.throw(err);
    throw err;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
