import type { Principal } from '../../core/auth';
import type { RequestContext } from '../../core/context';
import type { ChangeEventRow } from '../events';

// What one live subscription is (实时订阅): which change events it carries, and how to load the
// record an event names as a given caller may see it. The feed (live-feed.ts) does the rest —
// reading the outbox, grouping subscribers, catch-up and resume — the same for every
// subscription, so a new one (procedureAdvanced) is one declaration in live.subscriptions.ts.

/** One event as a subscriber receives it: the event's sequence and the record as the subscriber may see it. */
export interface LiveItem<T = unknown> {
  /** Global sequence of the event (decimal text): pass the last one as afterSeq to resume. */
  seq: string;
  kind: string;
  entityId: string;
  fields: string[];
  occurredAt: Date;
  node: T;
}

export interface LiveDeclaration<T> {
  /** The Subscription field's name (measureChanged, gapChanged, …). */
  name: string;
  /** change_event.entity values this subscription carries. */
  entities: readonly string[];
  /** change_event.kind values it carries; all when absent. */
  kinds?: readonly string[];
  /**
   * A necessary condition, from the event row alone, for `principal` to see the record (its
   * region under the caller's scope, its owner department): it only spares statements for
   * callers who could not see it anyway. `load` decides.
   */
  mayConcern(event: ChangeEventRow, principal: Principal): boolean;
  /**
   * The records with these ids that `ctx`'s caller may see, by id, in one statement: the same
   * visibility predicate as the record's query fields (missing and hidden alike are absent).
   */
  load(ctx: RequestContext, ids: readonly string[]): Promise<Map<string, T>>;
  /**
   * Whether one execution of a subscriber's document may answer every subscriber of its
   * visibility group (live-execution.ts): true only when no field reachable from the record's
   * type depends on who asks beyond scope, role and department (no per-person read audit).
   */
  shareResults: boolean;
}

/**
 * The key of what a principal may see. Every `load` reads only the caller's scope (region
 * prefix), role and department (the predicates in core/scope.ts, gapVisibility,
 * ImportBatchService, facet loaders), and the subscription's permission depends on role and
 * department: principals with one key see exactly the same records, so one load serves them all.
 * A third party's organisation joins the key so that, should one ever pass a permission check,
 * it never shares another's load.
 */
export function visibilityKey(p: Principal): string {
  return `${p.role}|${p.department ?? ''}|${p.scope}|${p.organisation ?? ''}`;
}

/** Whether a 12-digit division code lies under a scope prefix ('' = everything). */
export const underScope = (code: string, scope: string): boolean => code.startsWith(scope);
