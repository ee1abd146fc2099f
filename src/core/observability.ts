import type { Pool } from 'pg';
import type express from 'express';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { Principal } from './auth/roles';

// What operators see (issue 10 §1): one structured log line per HTTP request, and Prometheus
// metrics (prom-client). A line carries who (the principal's sub, role, department and scope),
// what (operation name and type, never its variables), how long, how many SQL statements and
// which error codes; never a token, a variable value or a personal field.

/** Facts about one request, filled in as it is served (server.ts) and logged when it ends. */
export interface RequestFacts {
  requestId?: string;
  operationName?: string | null;
  operationType?: string;
  sqlStatements?: number;
  principal?: Principal | null;
  errorCodes?: string[];
}

/** The distinct error codes of an answer's errors, in order (an error without one counts as INTERNAL_SERVER_ERROR). */
export function errorCodesOf(errors: readonly { extensions?: Record<string, unknown> }[]): string[] {
  return [...new Set(errors.map((e) => (typeof e.extensions?.code === 'string' ? e.extensions.code : 'INTERNAL_SERVER_ERROR')))];
}

/** The facts of the request `res` answers (created by `requestLog`). */
export function factsOf(res: express.Response): RequestFacts {
  const locals = res.locals as { requestFacts?: RequestFacts };
  locals.requestFacts ??= {};
  return locals.requestFacts;
}

/** The routes requests are counted under (a fixed set: a label never takes a client's path). */
function routeOf(path: string): string {
  if (path === '/graphql') return 'graphql';
  if (path.startsWith('/imports')) return 'imports';
  if (path.startsWith('/exports')) return 'exports';
  if (path.startsWith('/reports')) return 'reports';
  if (path === '/healthz' || path === '/readyz' || path === '/metrics') return path.slice(1);
  return 'other';
}

const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** Distinct operation names kept as label values; later ones count as `other` (a client chooses names). */
const MAX_OPERATION_LABELS = 200;

export class Metrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'route' | 'operation' | 'outcome'>;
  private readonly duration: Histogram<'route' | 'operation' | 'outcome'>;
  private readonly statements: Histogram<'operation'>;
  private readonly operations = new Set<string>();

  constructor(dataSource: DataSource) {
    collectDefaultMetrics({ register: this.registry, prefix: 'household_graph_' });
    this.requests = new Counter({
      name: 'household_graph_requests_total',
      help: 'HTTP requests by route, GraphQL operation name and outcome (ok, or the first error code)',
      labelNames: ['route', 'operation', 'outcome'],
      registers: [this.registry],
    });
    this.duration = new Histogram({
      name: 'household_graph_request_duration_seconds',
      help: 'HTTP request latency by route, GraphQL operation name and outcome',
      labelNames: ['route', 'operation', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.statements = new Histogram({
      name: 'household_graph_sql_statements_per_request',
      help: 'SQL statements one GraphQL request issued',
      labelNames: ['operation'],
      buckets: [0, 1, 2, 3, 5, 8, 13, 21, 34],
      registers: [this.registry],
    });
    const pool = () => (dataSource.driver as unknown as { master?: Pool }).master;
    const gauge = (name: string, help: string, read: (p: Pool) => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          const p = pool();
          this.set(p ? read(p) : 0);
        },
      });
    gauge('household_graph_pg_pool_clients', 'PostgreSQL clients the pool holds (idle and in use)', (p) => p.totalCount);
    gauge('household_graph_pg_pool_idle_clients', 'PostgreSQL clients idle in the pool', (p) => p.idleCount);
    gauge('household_graph_pg_pool_waiting_requests', 'Requests waiting for a pooled PostgreSQL client', (p) => p.waitingCount);
  }

  /** The live-event feed of this instance (modules/live): open subscriptions and the statements it sent, read at each scrape. */
  trackLiveFeed(feed: { readonly size: number; readonly statements: { readonly reads: number; readonly loads: number } }): void {
    new Gauge({
      name: 'household_graph_live_subscribers',
      help: 'Live subscriptions (graphql-ws) open on this instance',
      registers: [this.registry],
      collect() {
        this.set(feed.size);
      },
    });
    new Gauge({
      name: 'household_graph_live_statements',
      help: 'Statements the live-event feed has sent since start: outbox reads, and record loads (one per visibility group and page)',
      labelNames: ['kind'],
      registers: [this.registry],
      collect() {
        this.set({ kind: 'read' }, feed.statements.reads);
        this.set({ kind: 'load' }, feed.statements.loads);
      },
    });
  }

  /** The label of an operation name: bounded in shape and in number. */
  operationLabel(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    if (!OPERATION_NAME.test(name)) return 'invalid';
    if (this.operations.has(name)) return name;
    if (this.operations.size >= MAX_OPERATION_LABELS) return 'other';
    this.operations.add(name);
    return name;
  }

  observe(route: string, facts: RequestFacts, status: number, seconds: number): void {
    const operation = route === 'graphql' || route === 'ws' ? this.operationLabel(facts.operationName) : '';
    const outcome = facts.errorCodes?.[0] ?? (status >= 400 ? `http_${status}` : 'ok');
    this.requests.inc({ route, operation, outcome });
    this.duration.observe({ route, operation, outcome }, seconds);
    if ((route === 'graphql' || route === 'ws') && facts.sqlStatements !== undefined) this.statements.observe({ operation }, facts.sqlStatements);
  }
}

/**
 * Express middleware: when the answer has been sent, one log line and the metrics. Paths are
 * logged without their query string (a GET query carries the document and its variables).
 */
export function requestLog(logger: Logger, metrics: Metrics | null): express.RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const facts = factsOf(res);
    // Before any router mounted on a path rewrites req.url.
    const path = req.path;
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeOf(path);
      metrics?.observe(route, facts, res.statusCode, seconds);
      if (route === 'healthz' || route === 'readyz' || route === 'metrics') return;
      const p = facts.principal;
      logger.info(
        {
          requestId: facts.requestId,
          method: req.method,
          path,
          status: res.statusCode,
          durationMs: Math.round(seconds * 1e4) / 10,
          operationName: facts.operationName ? (OPERATION_NAME.test(facts.operationName) ? facts.operationName : 'invalid') : undefined,
          operationType: facts.operationType,
          sqlStatements: facts.sqlStatements,
          sub: p?.subject,
          role: p?.role,
          department: p?.department ?? undefined,
          scope: p?.scope,
          errorCodes: facts.errorCodes?.length ? facts.errorCodes : undefined,
        },
        'request',
      );
    });
    next();
  };
}

/** One WebSocket operation in progress: what its log line will say. */
interface WsOperation {
  started: bigint;
  facts: RequestFacts;
  /** Results sent (a subscription's events; 1 for a query or mutation). */
  results: number;
  sql?: () => number | undefined;
}

/**
 * The WebSocket side of the request log: one line per graphql-ws operation when it ends
 * (completed, cancelled by the client, refused before it ran, or cut by the socket closing),
 * with the same fields as an HTTP request's line plus `transport: "ws"` and the results it sent.
 */
export class WsOperationLog {
  private readonly open = new WeakMap<object, Map<string, WsOperation>>();

  constructor(
    private readonly logger: Logger,
    private readonly metrics: Metrics | null,
  ) {}

  /** An operation that runs: its line is written by `end` (or `endAll` when the socket closes). */
  start(connection: object, id: string, facts: RequestFacts, sql?: () => number | undefined): void {
    let ops = this.open.get(connection);
    if (!ops) this.open.set(connection, (ops = new Map<string, WsOperation>()));
    ops.set(id, { started: process.hrtime.bigint(), facts, results: 0, sql });
  }

  /** A result sent: its error codes join the line. */
  result(connection: object, id: string, errorCodes: readonly string[]): void {
    const op = this.open.get(connection)?.get(id);
    if (!op) return;
    op.results += 1;
    if (errorCodes.length) op.facts.errorCodes = [...new Set([...(op.facts.errorCodes ?? []), ...errorCodes])];
  }

  end(connection: object, id: string): void {
    const ops = this.open.get(connection);
    const op = ops?.get(id);
    if (!op) return;
    ops!.delete(id);
    this.write(op.facts, Number(process.hrtime.bigint() - op.started) / 1e9, op.results, op.sql?.());
  }

  /** The socket closed: every operation still open ends now. */
  endAll(connection: object): void {
    for (const id of [...(this.open.get(connection)?.keys() ?? [])]) this.end(connection, id);
    this.open.delete(connection);
  }

  /** An operation refused before it ran (expired token, limits, parse, validation, variables). */
  refused(facts: RequestFacts): void {
    this.write(facts, 0, 0, undefined);
  }

  private write(facts: RequestFacts, seconds: number, results: number, sqlStatements: number | undefined): void {
    this.metrics?.observe('ws', { ...facts, sqlStatements }, 200, seconds);
    const p = facts.principal;
    this.logger.info(
      {
        requestId: facts.requestId,
        transport: 'ws',
        durationMs: Math.round(seconds * 1e4) / 10,
        operationName: facts.operationName ? (OPERATION_NAME.test(facts.operationName) ? facts.operationName : 'invalid') : undefined,
        operationType: facts.operationType,
        results,
        sqlStatements,
        sub: p?.subject,
        role: p?.role,
        department: p?.department ?? undefined,
        scope: p?.scope,
        errorCodes: facts.errorCodes?.length ? facts.errorCodes : undefined,
      },
      'ws operation',
    );
  }
}
