import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import cors from 'cors';
import express from 'express';
import helmet from 'helmet';
import { ExecutionArgs, ExecutionResult, getOperationAST, GraphQLError, GraphQLSchema, OperationTypeNode, parse, specifiedRules, validate } from 'graphql';
import type { Context as WsServerContext, SubscribePayload } from 'graphql-ws';
import { useServer, type Extra as WsExtra } from 'graphql-ws/use/ws';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { WebSocketServer } from 'ws';
import type { TokenVerifier } from './auth/tokens';
import type { Principal } from './auth/roles';
import { createContext, RequestContext } from './context';
import { Db } from './db';
import { AppError, makeFormatError, tagWithRequestId } from './errors';
import { DEFAULT_CALENDAR, type ServiceCalendar } from './calendar';
import { explorerHeadersFor } from './demo';
import { EXPLORER_CSP, explorerHtml, explorerRouter } from './explorer';
import { closeOnExpiry, tokenExpired, type TokenExpiry } from './ws-expiry';
import { DEFAULT_LIMITS, isIntrospection, limitRules, QueryLimits } from './limits';
import { databaseReady, DEFAULT_WAIT_LIMITS, type WaitLimits } from './db-limits';
import { connectionLimiter, MAX_MESSAGE_BYTES, tooManyOperations, variableErrors } from './ws-guards';
import { buildAppSchema } from './schema';
import { exportsRouter } from '../modules/exports';
import { ServerDrain } from './shutdown';
import { importLimitsOf, importRouter, useImportLimits } from '../modules/ingest';
import { usePairingLoadLimit } from '../modules/poverty-office';
import { errorCodesOf, factsOf, type Metrics, requestLog, type RequestFacts, WsOperationLog } from './observability';
import { timingSafeEqual } from 'node:crypto';
import { reportExport } from '../modules/reports';
import { LiveFeed, subscribeSharingResults } from '../modules/live';
import { listenerConnection } from '../modules/events';
import {
  auditThirdPartyCall, operationsByHash, presentedApiKey, publishedManifest, thirdPartyAuditEntry, thirdPartyCallOf, thirdPartyGate, type PersistedOperation, type ThirdPartyCall,
} from '../modules/api-keys';
import type { AuditEntry } from './audit-sink';

export interface AppServer {
  httpServer: http.Server;
  app: express.Express;
  schema: GraphQLSchema;
  /** This instance's live-event feed (subscriptions): its subscriber count and statements, for metrics and tests. */
  liveFeed: LiveFeed;
  close(): Promise<void>;
}

// 401 like a bad token: the request is refused as a whole, and it is the caller's to fix.
const introspectionRefused = () =>
  new AppError('UNAUTHENTICATED', 'Introspection is for authenticated staff: send "Authorization: Bearer <token>"', { http: { status: 401 } });

/**
 * HTTP (graphql over HTTP at /graphql), WebSocket (graphql-ws at /graphql) and the offline
 * explorer (GET /graphql from a browser), all on one http.Server, with the same
 * authentication, limits and error masking on both transports.
 */
/** What a WebSocket connection carries from connect to close. */
type WsConnectionExtra = {
  principal?: Principal | null;
  expiry?: TokenExpiry;
  authorization?: string;
};

export async function createServer(opts: {
  dataSource: DataSource;
  verifier: TokenVerifier;
  config: {
    EXPOSE_SQL_COUNT: boolean;
    SHUTDOWN_GRACE_MS?: number;
    CORS_ORIGINS?: readonly string[];
    METRICS_TOKEN?: string;
    /** Import limits (config: IMPORT_*); defaults when absent. */
    IMPORT_MAX_BYTES?: number;
    IMPORT_MAX_ROWS?: number;
    IMPORT_MAX_JSON_ROWS?: number;
    IMPORT_STATEMENT_TIMEOUT_MS?: number;
    /** Requests per minute of an API key without a rate of its own (config); default 60. */
    API_KEY_RATE_PER_MINUTE?: number;
    /** How long a looked-up API key is trusted (config): revocation reaches other instances within it; default 2000. */
    API_KEY_CACHE_MS?: number;
    /** Default cadre load limit of `overloadedCadres` (config: PAIRING_MAX_HOUSEHOLDS). */
    PAIRING_MAX_HOUSEHOLDS?: number;
  };
  /** Prometheus metrics served at /metrics (none: no /metrics). */
  metrics?: Metrics;
  logger: Logger;
  limits?: QueryLimits;
  explorerHeaders?: string;
  /** The service calendar ("today"); Asia/Shanghai on the real clock by default. */
  calendar?: ServiceCalendar;
  /** Readiness timeout and WebSocket bounds (config: READY_TIMEOUT_MS, WS_MAX_*). */
  waits?: WaitLimits;
  /** The operations third parties may run, by hash; default: schema/third-party-operations.json. */
  thirdPartyOperations?: ReadonlyMap<string, PersistedOperation>;
}): Promise<AppServer> {
  const calendar = opts.calendar ?? DEFAULT_CALENDAR;
  const schema = await buildAppSchema();
  const db = new Db(opts.dataSource);
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const waits = opts.waits ?? DEFAULT_WAIT_LIMITS;
  const rules = limitRules(limits);
  const formatError = makeFormatError(
    (err, requestId) => opts.logger.error({ err, requestId }, 'unexpected error'),
    (problem, requestId) => opts.logger.warn({ ...problem, requestId }, 'database wait ran out or database unavailable'),
  );
  const app = express();
  app.disable('x-powered-by');
  // One log line per request, and the request metrics, when its answer has been sent.
  app.use(requestLog(opts.logger, opts.metrics ?? null));
  // The usual security headers (helmet) on every answer, with a content security policy under
  // which the offline explorer still runs (core/explorer.ts).
  app.use(helmet({ contentSecurityPolicy: { useDefaults: false, directives: EXPLORER_CSP } }));
  // The facts of a GraphQL request, found from its context by the plugin below (a property, not
  // a WeakMap entry: Apollo hands plugins a shallow clone of the context).
  const FACTS = Symbol('requestFacts');
  const factsOfContext = (ctx: RequestContext) => (ctx as RequestContext & { [FACTS]?: RequestFacts })[FACTS];
  // The API-key call a request was admitted as (modules/api-keys), found the same way.
  const CALL = Symbol('thirdPartyCall');
  const callOfContext = (ctx: RequestContext) => (ctx as RequestContext & { [CALL]?: ThirdPartyCall })[CALL];
  const httpServer = http.createServer(app);
  const drain = new ServerDrain(httpServer);

  // WebSocket: the token travels in connectionParams.authorization; a bad one closes the
  // connection at connect time (4401 Unauthorized), before any operation runs.
  // Messages over the HTTP body limit close the socket (1009) unread; connections per address
  // and operations per connection are bounded (core/ws-guards.ts).
  const wsConnections = connectionLimiter(waits.wsMaxConnectionsPerIp);
  // Live subscriptions (modules/live): one feed per instance, with one LISTEN connection of its
  // own, opened when the first subscription starts.
  const liveFeed = new LiveFeed(db, () => listenerConnection(opts.dataSource), opts.logger);
  opts.metrics?.trackLiveFeed(liveFeed);
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: MAX_MESSAGE_BYTES, verifyClient: wsConnections.verifyClient });
  // One log line per WebSocket operation, as per HTTP request (observability.ts).
  const wsLog = new WsOperationLog(opts.logger, opts.metrics ?? null);
  type WsContext = WsServerContext<Record<string, unknown> | undefined, WsExtra & WsConnectionExtra>;
  const wsCleanup = useServer<Record<string, unknown> | undefined, WsConnectionExtra>(
    {
      schema,
      // Subscriptions execute once per group of subscribers who see alike (modules/live).
      subscribe: subscribeSharingResults,
      onConnect: async (ctx) => {
        const auth = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
        // Third parties are HTTP-only (persisted operations, audited per call): an API key, in the
        // upgrade's headers or in connectionParams, closes the connection (4403 Forbidden).
        const params = Object.fromEntries(Object.entries(ctx.connectionParams ?? {}).map(([k, v]) => [k.toLowerCase(), typeof v === 'string' ? v : undefined]));
        if (presentedApiKey(ctx.extra.request.headers) || presentedApiKey({ authorization: params.authorization, 'x-api-key': params['x-api-key'] })) return false;
        try {
          const verified = await opts.verifier.verify(typeof auth === 'string' ? auth : undefined);
          ctx.extra.principal = verified?.principal ?? null;
          if (typeof auth === 'string') ctx.extra.authorization = auth;
          if (verified) ctx.extra.expiry = closeOnExpiry(ctx.extra.socket, verified.expiresAt);
        } catch {
          return false;
        }
        return true;
      },
      onSubscribe: (ctx, id, payload) => {
        const admitted = admit(ctx, id, payload);
        const principal = ctx.extra.principal ?? null;
        if (isRefusal(admitted)) {
          wsLog.refused({ operationName: payload.operationName, principal, errorCodes: errorCodesOf(admitted) });
        } else {
          const contextValue = admitted.contextValue as RequestContext;
          wsLog.start(ctx, id, {
            requestId: contextValue.requestId,
            operationName: payload.operationName,
            operationType: getOperationAST(admitted.document, payload.operationName)?.operation,
            principal,
          }, () => contextValue.db.sqlCounter?.statements);
        }
        return admitted;
      },
      onComplete: (ctx, id) => {
        wsLog.end(ctx, id);
        drain.webSocketOperations.finish(ctx, id);
      },
      onClose: (ctx) => {
        ctx.extra.expiry?.clear();
        wsLog.endAll(ctx);
        drain.webSocketOperations.finish(ctx);
      },
      onNext: (ctx, id, _payload, args, result) => {
        const r = result as ExecutionResult;
        const requestId = (args.contextValue as RequestContext | undefined)?.requestId;
        if (requestId) for (const e of r.errors ?? []) tagWithRequestId(e, requestId);
        wsLog.result(ctx, id, errorCodesOf(r.errors ?? []));
        return maskResult(r);
      },
    },
    wsServer,
  );
  function isRefusal(a: ExecutionArgs | readonly GraphQLError[]): a is readonly GraphQLError[] {
    return Array.isArray(a);
  }
  /** An operation's admission: the checks HTTP makes, then its execution arguments (or the errors that refuse it). */
  function admit(ctx: WsContext, id: string, payload: SubscribePayload): ExecutionArgs | readonly GraphQLError[] {
    // The token was checked at connect; each operation checks that it still holds.
    if (ctx.extra.expiry?.expired()) {
      ctx.extra.expiry.closeNow();
      return [maskWs(tokenExpired())];
    }
    const crowded = tooManyOperations(Object.keys(ctx.subscriptions).length, waits.wsMaxOperationsPerConnection);
    if (crowded) return [maskWs(crowded)];
    let document;
    try {
      document = parse(payload.query, { maxTokens: limits.maxTokens });
    } catch (err) {
      return [withCode(err instanceof GraphQLError ? err : new GraphQLError('Syntax Error'), 'GRAPHQL_PARSE_FAILED')];
    }
    const errors = validate(schema, document, [...specifiedRules, ...rules]);
    if (errors.length) return errors.map((e) => withCode(e, 'GRAPHQL_VALIDATION_FAILED'));
    const coercion = variableErrors(schema, document, payload.operationName, payload.variables);
    if (coercion.length) return coercion.map((e) => maskWs(new GraphQLError(withoutSuggestions(e.message), { extensions: e.extensions })));
    const principal = ctx.extra.principal ?? null;
    if (!principal && isIntrospection(document)) return [maskWs(introspectionRefused())];
    const contextValue = createContext(db, { principal, today: calendar.today() });
    // Before each event a subscription delivers: the token must still hold, as verified now
    // (expiry, and the verifier's own answer: a key withdrawn from the JWKS refuses it).
    // When it does not, delivery stops and the connection closes with 4401.
    const { extra } = ctx;
    contextValue.live = {
      feed: liveFeed,
      stillAuthorized: async () => {
        if (!extra.expiry || extra.expiry.expired()) {
          extra.expiry?.closeNow();
          return false;
        }
        const still = await opts.verifier.verify(extra.authorization).catch(() => null);
        if (!still || still.principal.subject !== principal?.subject) {
          extra.expiry.closeNow();
          return false;
        }
        return true;
      },
    };
    // Queries and mutations are waited for by a drain; subscriptions run until it closes them.
    if (getOperationAST(document, payload.operationName)?.operation !== OperationTypeNode.SUBSCRIPTION) drain.webSocketOperations.start(ctx, id);
    return {
      schema,
      document,
      operationName: payload.operationName,
      variableValues: payload.variables,
      contextValue,
    };
  }
  wsConnections.track(wsServer, opts.logger);
  // Parse and validation errors carry the codes Apollo gives them over HTTP.
  const withCode = (err: GraphQLError, code: 'GRAPHQL_PARSE_FAILED' | 'GRAPHQL_VALIDATION_FAILED') =>
    maskWs(new GraphQLError(withoutSuggestions(err.message), { nodes: err.nodes, extensions: { ...err.extensions, code } }));
  const maskWs = (err: GraphQLError) => {
    const f = formatError(err.toJSON(), err);
    return new GraphQLError(f.message, { extensions: f.extensions });
  };
  const maskResult = (result: ExecutionResult): ExecutionResult =>
    result.errors ? { ...result, errors: result.errors.map((e) => formatError(e.toJSON(), e)) as unknown as GraphQLError[] } : result;

  const apollo = new ApolloServer<RequestContext>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    // Signals are ours (core/shutdown.ts): Apollo's own handler would stop the server and then
    // re-send the signal, which the ordered drain takes for a second Ctrl-C and exits 1.
    stopOnTerminationSignals: false,
    // No "did you mean …" hints: they let a caller map the schema without introspection.
    hideSchemaDetailsFromClientErrors: true,
    introspection: true,
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules: rules,
    plugins: [
      // Cache hints are not used; the default cache-control plugin costs a third of throughput.
      ApolloServerPluginCacheControlDisabled(),
      // The default landing page loads from a CDN; the explorer below is served locally.
      ApolloServerPluginLandingPageDisabled(),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await drain.drain(opts.config.SHUTDOWN_GRACE_MS ?? 10_000, async () => wsCleanup.dispose());
            },
          };
        },
      },
      {
        async requestDidStart() {
          return {
            async didResolveOperation({ contextValue, document, operationName, operation }) {
              const facts = factsOfContext(contextValue);
              if (facts) {
                facts.operationName = operationName ?? null;
                facts.operationType = operation?.operation;
              }
              if (!contextValue.principal && isIntrospection(document)) throw introspectionRefused();
              // Over HTTP a subscription would run once as a query, with no event: refused plainly.
              if (operation?.operation === OperationTypeNode.SUBSCRIPTION) {
                throw new AppError('BAD_REQUEST', 'Subscriptions run over WebSocket (graphql-ws) at /graphql, not over HTTP', { http: { status: 400 } });
              }
              // Registered operations ask none (scripts/third-party-operations.ts); this holds if one did.
              // (A status of its own: an error thrown here without one is answered as a 500.)
              if (callOfContext(contextValue) && isIntrospection(document)) throw new AppError('FORBIDDEN', 'Introspection is not offered to third parties', { http: { status: 403 } });
            },
            // Apollo calls this before formatError, which logs unexpected errors with the id.
            async didEncounterErrors({ errors, contextValue }) {
              for (const error of errors) tagWithRequestId(error, contextValue.requestId);
            },
            async willSendResponse({ response, contextValue, request }) {
              const call = callOfContext(contextValue);
              if (call) await auditCall(call, contextValue, response);
              const facts = factsOfContext(contextValue);
              if (facts) {
                // A document that did not parse or validate still names the operation it asked for.
                if (facts.operationName === undefined) facts.operationName = request.operationName ?? null;
                facts.sqlStatements = contextValue.db.sqlCounter.statements;
                const errors = response.body.kind === 'single' ? response.body.singleResult.errors ?? [] : [];
                facts.errorCodes = errorCodesOf(errors);
              }
              if (opts.config.EXPOSE_SQL_COUNT) response.http.headers.set('x-sql-statements', String(contextValue.db.sqlCounter.statements));
              response.http.headers.set('x-request-id', contextValue.requestId);
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  /**
   * One audit record per admitted third-party call, with its outcome. Written before the answer
   * leaves: if it cannot be, the caller gets SERVICE_UNAVAILABLE instead of the data.
   */
  async function auditCall(call: ThirdPartyCall, ctx: RequestContext, response: { http: { status?: number }; body: { kind: string; singleResult?: { data?: unknown; errors?: readonly { extensions?: Record<string, unknown> }[] } } }): Promise<void> {
    const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
    const codes = errorCodesOf(result?.errors ?? []);
    const outcome: AuditEntry['outcome'] = !codes.length ? 'success'
      : codes.includes('FORBIDDEN') || codes.includes('UNAUTHENTICATED') ? 'forbidden'
        : codes.includes('RATE_LIMITED') ? 'rate_limited'
          : codes.includes('NOT_FOUND') ? 'not_found' : 'invalid';
    const note = codes.length ? `answered with ${codes.join(', ')}` : 'answered';
    try {
      await auditThirdPartyCall(ctx, thirdPartyAuditEntry(call, call.operation, outcome, note));
    } catch (err) {
      opts.logger.error({ err, requestId: ctx.requestId }, 'third-party call could not be audited; answer withheld');
      if (result) {
        delete result.data;
        (result as { errors?: unknown }).errors = [{ message: 'The call could not be audited, so it is not answered; try again', extensions: { code: 'SERVICE_UNAVAILABLE' } }];
      }
      response.http.status = 503;
    }
  }

  app.use(explorerRouter());
  app.get('/graphql', (req, res, next) => {
    // Not for a third party (an API key): it is refused below, like any GET of its.
    if (req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) === 'text/html' && !req.query.query && !presentedApiKey(req.headers)) {
      // A demo token only for a caller on this machine (the TCP peer, not a forwarding header).
      res.type('html').send(explorerHtml({ endpoint: '/graphql', defaultHeaders: explorerHeadersFor(req.socket.remoteAddress, opts.explorerHeaders) }));
      return;
    }
    next();
  });
  // Prometheus metrics: for this machine (a scraper beside it, or a tunnel), or for a scraper
  // that sends METRICS_TOKEN as a bearer token.
  const metrics = opts.metrics;
  if (metrics) {
    app.get('/metrics', async (req, res) => {
      if (!metricsAllowed(req.socket.remoteAddress, req.headers.authorization, opts.config.METRICS_TOKEN)) {
        res.status(403).json({ errors: [{ message: 'Metrics are served to this machine, or with the METRICS_TOKEN bearer token', extensions: { code: 'FORBIDDEN' } }] });
        return;
      }
      res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    });
  }
  // Reports as CSV (统计报表导出): the same bearer verification as /graphql (modules/reports).
  app.get('/reports/export.csv', reportExport({ db, verifier: opts.verifier, calendar, logger: opts.logger }));
  // The operations third parties may call, published for them to build against (no key needed:
  // it holds registered documents and their hashes, nothing else).
  const thirdPartyOperations = opts.thirdPartyOperations ?? operationsByHash();
  app.get('/third-party/operations.json', (_req, res) => {
    res.json(publishedManifest(thirdPartyOperations));
  });
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  // Readiness, unlike liveness above, asks PostgreSQL: 503 while it cannot be reached or no
  // pooled connection frees up within READY_TIMEOUT_MS.
  app.get('/readyz', async (_req, res) => {
    const ready = await databaseReady(opts.dataSource, waits.readyTimeoutMs);
    res.status(ready ? 200 : 503).json({ ready });
  });
  usePairingLoadLimit(opts.config.PAIRING_MAX_HOUSEHOLDS);
  // Bulk imports (modules/ingest): CSV bodies streamed, never parsed as JSON or held whole.
  const importLimits = importLimitsOf(opts.config);
  useImportLimits(importLimits);
  app.use(importRouter({ db, verifier: opts.verifier, calendar, limits: importLimits, formatError, logger: opts.logger }));
  // Browser frontends on their own origins (CORS_ORIGINS): a preflight from a listed origin is
  // answered here, before Apollo's CSRF prevention (which still refuses simple cross-site
  // requests for everyone); one from any other origin is refused, with no CORS headers.
  const corsOrigins = new Set(opts.config.CORS_ORIGINS ?? []);
  app.use(
    '/graphql',
    cors({
      origin: (origin, done) => done(null, origin !== undefined && corsOrigins.has(origin)),
      methods: ['GET', 'POST'],
      allowedHeaders: ['authorization', 'content-type', 'apollo-require-preflight', 'x-apollo-operation-name', 'x-request-id'],
      exposedHeaders: ['x-request-id'],
      credentials: true,
      maxAge: 600,
    }),
    (req, res, next) => {
      if (req.method !== 'OPTIONS') return next();
      res.status(403).json({ errors: [{ message: 'Cross-origin requests from this origin are not allowed (CORS_ORIGINS)', extensions: { code: 'FORBIDDEN' } }] });
    },
  );
  const jsonBody = express.json({ limit: MAX_MESSAGE_BYTES });
  app.use(
    '/graphql',
    // The id comes first, so that every answer carries it: refusals of the body itself and of
    // the HTTP request (CSRF, batching, a bad token) happen before Apollo's willSendResponse.
    // The request id is always the server's own (it goes into audit records); a client's
    // x-request-id is only logged beside it, as clientRequestId, for correlation.
    (req, res, next) => {
      const requestId = randomUUID();
      const header = req.headers['x-request-id'];
      if (typeof header === 'string' && /^[\w-]{1,64}$/.test(header)) opts.logger.info({ requestId, clientRequestId: header }, 'client request id');
      (req as unknown as { requestId: string }).requestId = requestId;
      factsOf(res).requestId = requestId;
      res.setHeader('x-request-id', requestId);
      next();
    },
    // Third parties (an API key) are decided here, before Apollo parses anything (modules/api-keys);
    // their body is read (with the same parser) only once their key and rate pass.
    thirdPartyGate({
      db, calendar, formatError, jsonBody,
      defaultRatePerMinute: opts.config.API_KEY_RATE_PER_MINUTE ?? 60,
      keyCacheMs: opts.config.API_KEY_CACHE_MS ?? 2000,
      operations: thirdPartyOperations,
    }),
    jsonBody,
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const requestId = (req as unknown as { requestId: string }).requestId;
        const facts = factsOf(res);
        try {
          const call = thirdPartyCallOf(req);
          const principal = call ? call.principal : await opts.verifier.principalOf(req.headers.authorization);
          facts.principal = principal;
          const ctx = createContext(db, { requestId, principal, today: calendar.today() });
          Object.assign(ctx, { [FACTS]: facts }, call ? { [CALL]: call } : {});
          return ctx;
        } catch (err) {
          facts.errorCodes = [String(((err as GraphQLError).extensions?.code as string | undefined) ?? 'INTERNAL_SERVER_ERROR')];
          // Raised before there is a context: formatError still logs it under this request.
          tagWithRequestId(err, requestId);
          throw err;
        }
      },
    }),
  );
  // CSV exports of department facets (modules/exports): the same tokens, scope and privacy.
  app.use(exportsRouter({ db, verifier: opts.verifier, logger: opts.logger, calendar }));
  // Malformed JSON bodies and other framework errors: a GraphQL-shaped 4xx, never a stack trace.
  app.use((err: { status?: number }, req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
    const requestId = (req as unknown as { requestId?: string }).requestId;
    if (status === 500) opts.logger.error({ err, requestId }, 'unexpected http error');
    factsOf(res).errorCodes = [status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST'];
    res.status(status).json({
      errors: [
        status === 500
          ? { message: `Internal server error (request ${requestId ?? 'unknown'})`, extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } }
          : { message: status === 413 ? 'Request body too large' : 'Malformed request body', extensions: { code: 'BAD_REQUEST' } },
      ],
    });
  });

  return {
    httpServer,
    app,
    schema,
    liveFeed,
    async close() {
      await apollo.stop();
      await liveFeed.stop();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** A loopback peer, or the configured bearer token (compared in constant time). */
function metricsAllowed(peer: string | undefined, authorization: string | undefined, token: string | undefined): boolean {
  if (token) {
    const sent = Buffer.from(authorization ?? '');
    const wanted = Buffer.from(`Bearer ${token}`);
    return sent.length === wanted.length && timingSafeEqual(sent, wanted);
  }
  return peer !== undefined && LOOPBACK.has(peer);
}

/**
 * graphql-js suggests field and argument names ("Did you mean …?"), which maps the schema for a
 * caller who may not introspect it. Apollo strips them over HTTP
 * (hideSchemaDetailsFromClientErrors); this does the same for WebSocket.
 */
function withoutSuggestions(message: string): string {
  return message.replace(/ ?Did you mean(.+?)\?$/, '');
}
