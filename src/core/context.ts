import { randomUUID } from 'node:crypto';
import { registeredAuditSink, type AuditSink } from './audit-sink';
import { DEFAULT_CALENDAR } from './calendar';
import { Db } from './db';
import { Loaders } from './loaders';
import { NOTHING, Scope } from './scope';

import type { Principal } from './auth/roles';
import type { LiveFeed } from '../modules/live';
export type { Principal } from './auth/roles';

/**
 * What an operation on a graphql-ws connection carries beside the request: this instance's
 * live-event feed (modules/live) and the connection's token, checked again before each event.
 */
export interface LiveSession {
  feed: LiveFeed;
  /** Whether the connection's token still holds; when not, the connection is closed (4401). */
  stillAuthorized: () => Promise<boolean>;
}

/**
 * Everything a resolver or service needs for one request. Services take it as their first
 * argument and reach the database only through `db` and `loaders`.
 */
export interface RequestContext {
  requestId: string;
  principal: Principal | null;
  scope: Scope;
  db: Db;
  loaders: Loaders;
  /** Where this request's audit records go (core/audit-sink.ts; modules/audit implements it). */
  audit: AuditSink;
  /** Reference date for ages, "not in the future" checks and "as of" defaults: today on the service calendar (ISO date). */
  today: string;
  /** Set on WebSocket operations only: subscriptions need it (modules/live). */
  live?: LiveSession;
}

export function createContext(db: Db, opts: { requestId?: string; principal?: Principal | null; scope?: Scope; today?: string; audit?: AuditSink } = {}): RequestContext {
  const ctx = {
    requestId: opts.requestId ?? randomUUID(),
    principal: opts.principal ?? null,
    // The scope follows the principal; anonymous callers see nothing (and every operation
    // refuses them before it runs).
    scope: opts.scope ?? (opts.principal ? { regionPrefix: opts.principal.scope } : NOTHING),
    // Its own handle, so that the statements it sends are counted for it alone.
    db: db.forRequest(),
    audit: opts.audit ?? registeredAuditSink,
    // A Beijing day (core/calendar.ts), fixed for the whole request.
    today: opts.today ?? DEFAULT_CALENDAR.today(),
  } as RequestContext;
  ctx.loaders = new Loaders(ctx);
  return ctx;
}
