import { timingSafeEqual } from 'node:crypto';
import type express from 'express';
import type { IncomingHttpHeaders } from 'node:http';
import { Role, type Principal } from '../../core/auth/roles';
import type { ServiceCalendar } from '../../core/calendar';
import { createContext, type RequestContext } from '../../core/context';
import type { Db } from '../../core/db';
import { AppError } from '../../core/errors';
import { sendRouteError, type FormatError } from '../../core/http-route';
import { factsOf } from '../../core/observability';
import { recordAuditAlone, type AuditEntry } from '../audit';
import { storedKey, type StoredKey } from './api-key.cache';
import { KEY_PATTERN, secretDigest } from './api-key.service';
import { operationsByHash, sha256Hex, type PersistedOperation } from './persisted-operations';
import { RateLimiter } from './rate-limit';

// The door for third parties (issue 9 §3), in front of Apollo on POST /graphql. A request that
// presents an API key (`Authorization: ApiKey <key>` or `X-Api-Key: <key>`) is decided here,
// before any GraphQL parsing: the key (hashed, compared in constant time, not revoked), the
// key's rate, then the operation, which must be a registered one named by its hash
// (extensions.persistedQuery.sha256Hash, Apollo's APQ shape); query text, an unknown hash, GET and
// batches are refused. An admitted request continues to Apollo with the registered document in
// place of the body and the key's principal; the server audits it once it is answered
// (`auditThirdPartyCall`). Every refusal here is audited too, once the key id is known.

/** What a presented key looks like before it is checked. */
export type PresentedKey = { key: string } | { malformed: string };

/** The API key a request presents; null when it presents none (a staff call, or anonymous). */
export function presentedApiKey(headers: IncomingHttpHeaders): PresentedKey | null {
  const authorization = headers.authorization;
  const header = headers['x-api-key'];
  const scheme = typeof authorization === 'string' ? /^ApiKey\s+(\S*)\s*$/i.exec(authorization) : null;
  if (header !== undefined) {
    if (authorization !== undefined) return { malformed: 'send one credential: X-Api-Key or Authorization, not both' };
    return typeof header === 'string' ? { key: header.trim() } : { malformed: 'one X-Api-Key header' };
  }
  return scheme ? { key: scheme[1] } : null;
}

/** An admitted third-party call, as the server carries it from the gate to the audit. */
export interface ThirdPartyCall {
  principal: Principal;
  operation: PersistedOperation;
  /** Region the key's audit records are filed under. */
  regionCode: string;
}

const CALL = Symbol('thirdPartyCall');

/** The third-party call a request was admitted as (undefined: not a third party). */
export function thirdPartyCallOf(req: express.Request): ThirdPartyCall | undefined {
  return (req as express.Request & { [CALL]?: ThirdPartyCall })[CALL];
}

export interface GateDeps {
  db: Db;
  calendar: ServiceCalendar;
  formatError: FormatError;
  /** Requests per minute of a key without its own (config API_KEY_RATE_PER_MINUTE). */
  defaultRatePerMinute: number;
  /** How long a looked-up key is trusted (config API_KEY_CACHE_MS): the bound on revocation elsewhere. */
  keyCacheMs: number;
  /** The registered operations (default: schema/third-party-operations.json). */
  operations?: ReadonlyMap<string, PersistedOperation>;
  /** The JSON body parser of /graphql: the gate reads a third party's body only once its key and rate pass. */
  jsonBody: express.RequestHandler;
}

const unauthenticated = () =>
  new AppError('UNAUTHENTICATED', 'Not authenticated: unknown, revoked or malformed API key', { http: { status: 401 } });

/** The principal of a key: a third party, reaching what its permissions (aggregate:read) and entries open. */
export function principalOfKey(key: StoredKey): Principal {
  // Scope '' (the whole country): published aggregates are not cut by region; what a third party
  // may reach is decided by its one permission, its catalog entries and the registered operations.
  return { subject: `apikey:${key.id}`, role: Role.THIRD_PARTY, department: null, scope: '', organisation: key.organisation, catalogEntries: key.catalogEntries };
}

/** The audit record of one third-party call: key (subject), organisation, operation hash and name, outcome. */
export function thirdPartyAuditEntry(
  call: { principal: Principal; regionCode: string },
  operation: { sha256Hash: string | null; operationName: string | null },
  outcome: AuditEntry['outcome'],
  note: string,
): AuditEntry {
  return {
    action: 'read',
    entity: 'ThirdPartyCall',
    entityId: operation.sha256Hash,
    fields: operation.operationName ? [operation.operationName] : [],
    purpose: `organisation: ${call.principal.organisation ?? ''}; ${note}`,
    outcome,
    regionCode: call.regionCode,
  };
}

/** Writes the record of a call in a transaction of its own. */
export async function auditThirdPartyCall(ctx: RequestContext, entry: AuditEntry): Promise<void> {
  await recordAuditAlone(ctx, [entry]);
}

const sameDigest = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Express middleware on /graphql, before the JSON body parser (it parses a third party's body itself) and Apollo. */
export function thirdPartyGate(deps: GateDeps): express.RequestHandler {
  const operations = deps.operations ?? operationsByHash();
  const limiter = new RateLimiter();
  return (req, res, next) => {
    const presented = presentedApiKey(req.headers);
    if (!presented) return next();
    admit(req, res, presented).then((admitted) => (admitted ? next() : undefined), (err: unknown) => sendRouteError(res, err, deps.formatError));
  };

  async function admit(req: express.Request, res: express.Response, presented: PresentedKey): Promise<boolean> {
    const facts = factsOf(res);
    const match = 'key' in presented ? KEY_PATTERN.exec(presented.key) : null;
    if (!match) throw 'malformed' in presented ? new AppError('UNAUTHENTICATED', `Not authenticated: ${presented.malformed}`, { http: { status: 401 } }) : unauthenticated();
    const db = deps.db.forRequest();
    // Unknown ids are refused unaudited (nothing to file them under; the request log has them).
    const key = await storedKey(db, match[1], deps.keyCacheMs);
    if (!key) throw unauthenticated();
    const principal = principalOfKey(key);
    facts.principal = principal;
    const call = { principal, regionCode: key.regionCode };
    const ctx = createContext(db, { requestId: facts.requestId, principal, today: deps.calendar.today() });
    const refuse = async (err: AppError, outcome: AuditEntry['outcome'], note: string, op: { sha256Hash: string | null; operationName: string | null } = { sha256Hash: null, operationName: null }) => {
      await auditThirdPartyCall(ctx, thirdPartyAuditEntry(call, op, outcome, `refused: ${note}`));
      throw err;
    };
    if (!sameDigest(secretDigest(match[2]), key.secretSha256)) return refuse(unauthenticated(), 'forbidden', 'wrong secret (an old one after rotation, or a guess)');
    if (key.revoked) return refuse(unauthenticated(), 'forbidden', 'revoked key');

    const wait = limiter.take(key.id, key.ratePerMinute ?? deps.defaultRatePerMinute);
    if (wait !== null) {
      res.setHeader('retry-after', String(wait));
      return refuse(
        new AppError('RATE_LIMITED', `Too many requests for this API key (${key.ratePerMinute ?? deps.defaultRatePerMinute} a minute); retry in ${wait} s`, { retryAfterSeconds: wait, http: { status: 429 } }),
        'rate_limited',
        'over the rate limit',
      );
    }
    if (req.method !== 'POST') {
      return refuse(new AppError('BAD_REQUEST', 'Third parties call POST /graphql with a registered operation\'s hash', { http: { status: 405 } }), 'forbidden', `method ${req.method.slice(0, 10)}`);
    }
    const parsed = await new Promise<{ status?: number } | null>((resolve) => {
      deps.jsonBody(req, res, (err?: unknown) => resolve(err ? (err) : null));
    });
    if (parsed) {
      const tooLarge = parsed.status === 413;
      return refuse(new AppError('BAD_REQUEST', tooLarge ? 'Request body too large' : 'Malformed request body', { http: { status: tooLarge ? 413 : 400 } }), 'invalid', tooLarge ? 'body too large' : 'malformed JSON body');
    }
    const body: unknown = req.body;
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      return refuse(persistedOnly('a JSON object body (one operation, no batch)', 400, 'PERSISTED_QUERY_NOT_FOUND'), 'not_found', 'no JSON object body');
    }
    const { query, extensions, variables } = body as { query?: unknown; extensions?: unknown; variables?: unknown };
    const sent = (extensions as { persistedQuery?: { version?: unknown; sha256Hash?: unknown } } | undefined)?.persistedQuery;
    const hash = typeof sent?.sha256Hash === 'string' && /^[0-9a-f]{64}$/.test(sent.sha256Hash) ? sent.sha256Hash : null;
    if (query !== undefined && query !== null) {
      // The text is never parsed; its digest is kept so an auditor can tell attempts apart.
      const digest = typeof query === 'string' ? sha256Hex(query) : null;
      return refuse(persistedOnly('query text is refused', 403, 'FORBIDDEN'), 'forbidden', 'query text sent', { sha256Hash: digest, operationName: null });
    }
    const operation = hash && sent?.version === 1 ? operations.get(hash) : undefined;
    if (!operation) {
      return refuse(persistedOnly('no registered operation has this hash', 400, 'PERSISTED_QUERY_NOT_FOUND'), 'not_found', hash ? 'unknown hash' : 'no hash', { sha256Hash: hash, operationName: null });
    }
    if (variables !== undefined && variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) {
      return refuse(new AppError('BAD_REQUEST', '`variables` must be a JSON object', { http: { status: 400 } }), 'invalid', 'variables not an object', operation);
    }
    // Apollo sees the registered document only, under its registered name; no APQ extension
    // reaches it (its cache is for staff clients).
    req.body = { query: operation.document, operationName: operation.operationName, variables: variables ?? {} };
    (req as express.Request & { [CALL]?: ThirdPartyCall })[CALL] = { ...call, operation };
    return true;
  }
}

/** The refusal of anything but a registered operation. */
function persistedOnly(why: string, status: number, code: 'FORBIDDEN' | 'PERSISTED_QUERY_NOT_FOUND'): AppError {
  return new AppError(
    code,
    `Third parties send only registered operations, by hash (extensions.persistedQuery {version: 1, sha256Hash}; see schema/third-party-operations.json): ${why}`,
    { http: { status } },
  );
}
