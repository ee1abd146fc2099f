import { pipeline } from 'node:stream';
import express from 'express';
import type { PoolClient } from 'pg';
import QueryStream from 'pg-query-stream';
import type { Logger } from 'pino';
import type { TokenVerifier } from '../../core/auth';
import { DEFAULT_CALENDAR, type ServiceCalendar } from '../../core/calendar';
import type { Db } from '../../core/db';
import { AppError } from '../../core/errors';
import { routeContext, routeFormatError, routeRequestId, sendRouteError } from '../../core/http-route';
import type { FacetDeclaration } from '../../core/facet-declaration';
import { recordAuditAlone } from '../audit';
import { facetByKind as declaredFacet } from '../facets';
import { csvStream, encoderStream } from './export-csv';
import { checkExportRequest, exportSql } from './export.service';

// GET /exports/:department/:kind (issue 8 §7): the caller's in-scope records of one facet kind
// as CSV in the kind's published column spec, streamed from a server-side cursor (never held
// whole in memory), in one REPEATABLE READ snapshot: a summary (count, withheld, digest) is read
// first and audited, and the rows that follow are exactly the ones it describes. Nothing leaves
// before the audit record is committed; if it cannot be written, nothing leaves at all.

export interface ExportRouterOptions {
  db: Db;
  verifier: TokenVerifier;
  logger: Logger;
  calendar?: ServiceCalendar;
  /** Rows per cursor fetch (default 500): what the server holds of an export at a time. */
  batchSize?: number;
  /** The declared kinds (default: modules/facets.ts). */
  facetByKind?: (kind: string) => FacetDeclaration | undefined;
  /**
   * Exports running at once on this server (default 2). Each holds a pooled connection for as
   * long as its reader takes; past this, SERVICE_UNAVAILABLE (503, Retry-After), so that slow
   * downloads cannot take the pool (PG_POOL_SIZE, 10) from GraphQL.
   */
  maxConcurrent?: number;
}

const DEFAULT_BATCH_SIZE = 500;
const DEFAULT_MAX_CONCURRENT = 2;

export function exportsRouter(opts: ExportRouterOptions): express.Router {
  const calendar = opts.calendar ?? DEFAULT_CALENDAR;
  const lookup = opts.facetByKind ?? declaredFacet;
  const batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
  const maxConcurrent = opts.maxConcurrent ?? DEFAULT_MAX_CONCURRENT;
  let running = 0;
  const formatError = routeFormatError(opts.logger, 'unexpected export error');

  const router = express.Router();
  router.get('/exports/:department/:kind', async (req, res) => {
    const requestId = routeRequestId(res);
    let client: PoolClient | undefined;
    let slot = false;
    const freeSlot = () => {
      if (slot) running -= 1;
      slot = false;
    };
    try {
      const ctx = await routeContext(req, res, { db: opts.db, verifier: opts.verifier, calendar });
      const ask = checkExportRequest(ctx.principal!, { department: req.params.department, kind: req.params.kind }, req.query, lookup);
      const sql = exportSql(ask.facet, ctx.scope, { withholdMinors: ask.withholdMinors, today: ctx.today });

      if (running >= maxConcurrent) {
        res.setHeader('retry-after', '10');
        throw new AppError('SERVICE_UNAVAILABLE', `Too many exports are running on this server (at most ${maxConcurrent}); try again shortly`);
      }
      running += 1;
      slot = true;
      client = await ctx.db.connect();
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const { rows: [summary] } = await client.query<{ exported: number; withheld: number; digest: string }>(sql.summary.text, sql.summary.params);
      // One audit record for the whole export: the columns released (the parent key in full),
      // the stated purpose, how many rows left and how many were withheld, and the digest of
      // their record ids. Committed before the first byte is sent.
      await recordAuditAlone(ctx, [{
        action: 'read',
        outcome: 'success',
        entity: ask.facet.kind,
        entityId: summary.digest,
        fields: [...ask.spec.map((c) => c.field), `rows:${summary.exported}`, `withheld:${summary.withheld}`],
        purpose: ask.purpose,
        regionCode: ctx.scope.regionPrefix,
      }]);

      const filename = `${ask.facet.kind}-${ctx.scope.regionPrefix || 'all'}-${ctx.today}.csv`;
      res.status(200);
      res.setHeader('content-type', `text/csv; charset=${ask.encoding === 'utf-8' ? 'utf-8' : 'gb18030'}`);
      res.setHeader('content-disposition', `attachment; filename="${filename}"`);
      res.setHeader('cache-control', 'no-store');
      res.setHeader('x-row-count', String(summary.exported));
      res.setHeader('x-rows-withheld', String(summary.withheld));
      res.setHeader('x-export-digest', `sha256=${summary.digest}`);

      const held = client;
      const rows = held.query(new QueryStream(sql.rows.text, sql.rows.params, { batchSize, highWaterMark: batchSize }));
      const { rows: toCells, csv } = csvStream(ask.spec, ask.header);
      pipeline(rows, toCells, csv, encoderStream(ask.encoding), res, (err) => {
        freeSlot();
        if (!err) {
          held.query('COMMIT').then(() => held.release(), (e: Error) => held.release(e));
          return;
        }
        // The client went away or the database failed mid-stream: the response is cut (no
        // final chunk, so the client sees a broken transfer, never a short file that looks whole).
        if (err.code !== 'ERR_STREAM_PREMATURE_CLOSE') opts.logger.warn({ err, requestId }, 'export stream failed');
        held.release(err);
        res.destroy();
      });
    } catch (err) {
      freeSlot();
      if (client) {
        const held = client;
        await held.query('ROLLBACK').then(() => held.release(), (e: Error) => held.release(e));
      }
      if (res.headersSent) res.destroy();
      else sendRouteError(res, err, formatError);
    }
  });
  return router;
}
