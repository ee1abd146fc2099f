import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import express from 'express';
import type { Logger } from 'pino';
import type { TokenVerifier } from '../../core/auth';
import type { ServiceCalendar } from '../../core/calendar';
import type { RequestContext } from '../../core/context';
import { csvEncoder } from '../../core/csv-encoding';
import type { Db } from '../../core/db';
import { AppError } from '../../core/errors';
import { routeContext, sendRouteError, type FormatError } from '../../core/http-route';
import { recordAuditAlone } from '../audit';
import { ImportBatchService } from './import-batch.service';
import { assertMayImport, checkBatchKey, checkMode, runImport, type ImportBatchRow, type ImportLimits } from './import-engine';
import { refused } from './import-errors';
import { readCsv } from './import-source';
import { importTargetOf } from './registry-targets';

// HTTP transport of imports (issue 8 §3, §7):
//   POST /imports/:department/:kind?batchKey=…&mode=all-or-nothing|apply-valid&encoding=…
//     a CSV body, streamed into the engine; 200 with the batch (422 when it was rejected whole).
//   GET /imports/batches/:id/rejects.csv   the rejects, in the encoding the file came in.
// Errors answer like GraphQL's: { errors: [{ message, extensions: { code, reason, messageZh } }] },
// with the HTTP status of the code, masked by the server's one formatError (core/http-route.ts).

/** Rejects listed in the POST answer; all of them are in the rejects CSV and in GraphQL. */
const REJECTS_IN_ANSWER = 100;

export interface ImportRouterOptions {
  db: Db;
  verifier: TokenVerifier;
  calendar: ServiceCalendar;
  limits: ImportLimits;
  formatError: FormatError;
  logger?: Logger;
}

/** The batch as the HTTP and GraphQL answers show it. */
export function batchJson(batch: ImportBatchRow) {
  const { subject: _s, role: _r, requestId: _q, changeDigest, ...rest } = batch;
  return { ...rest, changeDigest, mode: batch.mode.replace(/_/g, '-') };
}

export function importRouter(opts: ImportRouterOptions): express.Router {
  const router = express.Router();

  const contextOf = (req: express.Request, res: express.Response) => routeContext(req, res, opts);

  const fail = (req: express.Request, res: express.Response, err: unknown) => {
    // A body not read to its end is not drained: the connection closes after the answer.
    if (!req.complete) res.setHeader('connection', 'close');
    sendRouteError(res, err, opts.formatError);
  };

  router.post('/imports/:department/:kind', async (req, res) => {
    let ctx: RequestContext | undefined;
    try {
      ctx = await contextOf(req, res);
      const facet = importTargetOf(String(req.params.kind));
      if (!facet || String(facet.department) !== req.params.department) {
        throw new AppError('NOT_FOUND', `no import kind ${req.params.department}/${req.params.kind}`, { reason: 'UNKNOWN_KIND' });
      }
      try {
        assertMayImport(ctx, facet);
      } catch (err) {
        await recordAuditAlone(ctx, [{ action: 'create', entity: 'ImportBatch', entityId: null, fields: [], outcome: 'forbidden', regionCode: ctx.principal!.scope, purpose: `import ${facet.kind}` }]);
        throw err;
      }
      const batchKey = checkBatchKey(req.query.batchKey);
      const mode = checkMode(req.query.mode);
      const declared = typeof req.query.encoding === 'string' && req.query.encoding !== '' ? req.query.encoding : undefined;
      const length = Number(req.headers['content-length']);
      if (Number.isFinite(length) && length > opts.limits.maxBytes) {
        throw refused('BODY_TOO_LARGE', `the body is larger than the limit of ${opts.limits.maxBytes} bytes (IMPORT_MAX_BYTES); split the file into batches`, `文件超过 ${opts.limits.maxBytes} 字节的上限，请分批导入`, { limit: opts.limits.maxBytes });
      }
      const csv = await readCsv(req, { declared, contentType: req.headers['content-type'], maxBytes: opts.limits.maxBytes });
      const outcome = await runImport(ctx, { facet, batchKey, mode, encoding: csv.encoding, bom: csv.bom, records: csv.records, limits: opts.limits });
      const b = outcome.batch;
      opts.logger?.info({ requestId: ctx.requestId, batchId: b.id, kind: b.kind, rows: b.rowCount, inserted: b.inserted, updated: b.updated, unchanged: b.unchanged,
        rejected: b.rejected, status: b.status, replayed: outcome.replayed, phasesMs: outcome.phases }, 'import batch');
      const rejects = outcome.batch.rejected ? await ImportBatchService.rejects(ctx, outcome.batch.id, REJECTS_IN_ANSWER) : [];
      res.status(outcome.batch.status === 'rejected' ? 422 : 200).json({
        batch: batchJson(outcome.batch),
        replayed: outcome.replayed,
        rejects: rejects.map(({ id: _id, ...r }) => r),
        rejectsUrl: `/imports/batches/${outcome.batch.id}/rejects.csv`,
        // Where the time went (parse and COPY, classify, insert, …), milliseconds.
        timingsMs: outcome.phases,
      });
    } catch (err) {
      fail(req, res, err);
    }
  });

  router.get('/imports/batches/:id/rejects.csv', async (req, res) => {
    try {
      const ctx = await contextOf(req, res);
      const batch = await ImportBatchService.byId(ctx, String(req.params.id));
      if (!batch) throw new AppError('NOT_FOUND', 'import batch not found');
      const encoding = batch.encoding === 'json' ? 'utf-8' : batch.encoding;
      res.status(200);
      res.setHeader('content-type', `text/csv; charset=${encoding}`);
      res.setHeader('content-disposition', `attachment; filename="batch-${batch.id}-rejects.csv"`);
      async function* rows() {
        let after: string | null = null;
        for (;;) {
          const page = await ImportBatchService.rejects(ctx, batch!.id, 5000, after);
          for (const r of page) yield [r.rowNumber, r.column ?? '', r.code, r.message, r.messageZh];
          if (page.length < 5000) return;
          after = page[page.length - 1].id;
        }
      }
      const csv = stringify({ header: true, columns: ['row 行号', 'column 列', 'code 代码', 'message', '说明'] });
      // Text out, for the encoder: the rejects go back in the file's encoding (and BOM).
      csv.setEncoding('utf8');
      await pipeline(Readable.from(rows()), csv, csvEncoder(encoding, batch.bom), res);
    } catch (err) {
      if (res.headersSent) res.destroy(err as Error);
      else fail(req, res, err);
    }
  });

  return router;
}
