import { pipeline } from 'node:stream';
import { stringify } from 'csv-stringify';
import type express from 'express';
import type { Logger } from 'pino';
import { hasPermission, type TokenVerifier } from '../../core/auth';
import type { ServiceCalendar } from '../../core/calendar';
import type { RequestContext } from '../../core/context';
import { csvEncoder } from '../../core/csv-encoding';
import type { Db } from '../../core/db';
import { AppError, badInput } from '../../core/errors';
import { routeContext, routeFormatError, routeRequestId, sendRouteError } from '../../core/http-route';
import { factsOf } from '../../core/observability';
import { DIMENSIONS, METRICS } from './report-catalog';
import type { ReportDefinition } from './report-sql';
import { runReport } from './report.service';
import type { Report, ReportRow } from './report.types';
import { filterFromJson, parseDefinition, savedDefinition } from './saved-report.service';

// GET /reports/export.csv: the same report as the `report` query (same checks, same one
// statement, same scope), as CSV: UTF-8 with a BOM by default so that spreadsheet software
// reads Chinese correctly, or GBK (encoding=gbk) for older software. Bearer token as for
// /graphql; report:read. Query parameters:
//   dimensions=REGION_TOWNSHIP,MAIN_CAUSE  metrics=HOUSEHOLDS,PERSONS  (or savedReport=<id>)
//   filter=<the ReportFilter as JSON>  asOf=YYYY-MM-DD  encoding=utf-8|gbk  headers=en|zh|both

type HeaderStyle = 'en' | 'zh' | 'both';

/** One query parameter as a single string (a repeated one is refused). */
function param(req: express.Request, name: string): string | undefined {
  const value = req.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw badInput(name, 'give it once, as text');
  return value;
}

const listParam = (req: express.Request, name: string): string[] => (param(req, name) ?? '').split(',').map((s) => s.trim()).filter(Boolean);

/** The definition a request asks for: a saved report of the caller's, or the parameters. */
async function definitionOf(req: express.Request, ctx: RequestContext): Promise<ReportDefinition> {
  const saved = param(req, 'savedReport');
  if (saved !== undefined) return savedDefinition(ctx, saved);
  let filter: unknown = null;
  const filterText = param(req, 'filter');
  if (filterText) {
    try {
      filter = filterFromJson(JSON.parse(filterText));
    } catch {
      throw badInput('filter', 'must be a ReportFilter as JSON, e.g. {"statuses":["REGISTERED"]}');
    }
  }
  return parseDefinition({ dimensions: listParam(req, 'dimensions'), metrics: listParam(req, 'metrics'), filter }, 'query');
}

/** Header cells: per dimension its value (and a region's code and name), which totals, the metrics. */
function headerRow(report: Report, style: HeaderStyle): string[] {
  const label = (zh: string, key: string) => (style === 'en' ? key : style === 'zh' ? zh : `${zh} ${key}`);
  const cells: string[] = [];
  for (const d of report.dimensions) {
    const spec = DIMENSIONS[d];
    if (spec.regionLength !== undefined) {
      cells.push(label(`${spec.zh}代码`, `${spec.en}_code`), label(`${spec.zh}名称`, `${spec.en}_name`));
    } else {
      cells.push(label(spec.zh, d.toLowerCase()));
    }
  }
  cells.push(label('合计维度', 'total_over'));
  for (const m of report.metrics) cells.push(label(METRICS[m].zh, m.toLowerCase()));
  return cells;
}

function dataRow(report: Report, row: ReportRow): Array<string | number | null> {
  const cells: Array<string | number | null> = [];
  for (const d of report.dimensions) {
    const spec = DIMENSIONS[d];
    if (spec.regionLength !== undefined) cells.push(row.region?.code ?? null, row.region?.name ?? null);
    else cells.push((row as unknown as Record<string, string | number | null>)[spec.field]);
  }
  cells.push(row.totalOver.join('|'));
  for (const v of row.values) cells.push(v.value);
  return cells;
}

/** The handler for GET /reports/export.csv (wired in core/server.ts). */
export function reportExport(opts: { db: Db; verifier: TokenVerifier; calendar: ServiceCalendar; logger: Logger }): express.RequestHandler {
  const formatError = routeFormatError(opts.logger, 'unexpected error in report export');
  return async (req, res) => {
    const requestId = routeRequestId(res);
    const facts = factsOf(res);
    facts.operationName = 'reportExport';
    try {
      const ctx = await routeContext(req, res, opts);
      if (!hasPermission(ctx.principal, 'report:read')) throw new AppError('FORBIDDEN', 'Forbidden: your role does not grant report:read');
      const encoding = (param(req, 'encoding') ?? 'utf-8').toLowerCase();
      if (!['utf-8', 'utf8', 'gbk'].includes(encoding)) throw badInput('encoding', 'utf-8 (default, with a BOM) or gbk');
      const headers = (param(req, 'headers') ?? 'en') as HeaderStyle;
      if (!['en', 'zh', 'both'].includes(headers)) throw badInput('headers', 'en (default), zh or both');
      const definition = await definitionOf(req, ctx);
      const asOf = param(req, 'asOf') ?? ctx.today;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(`${asOf}T00:00:00Z`)) || new Date(`${asOf}T00:00:00Z`).toISOString().slice(0, 10) !== asOf) {
        throw badInput('asOf', 'a date as YYYY-MM-DD');
      }
      const report = await runReport(ctx, definition, asOf);
      facts.sqlStatements = ctx.db.sqlCounter.statements;

      const gbk = encoding === 'gbk';
      res.status(200);
      res.setHeader('content-type', `text/csv; charset=${gbk ? 'gbk' : 'utf-8'}`);
      res.setHeader('content-disposition', `attachment; filename="report-${report.asOf}.csv"`);
      const csv = stringify({ record_delimiter: 'windows' });
      // The encoder takes strings; the response is ended (or destroyed) by the pipeline.
      csv.setEncoding('utf8');
      pipeline(csv, csvEncoder(gbk ? 'gbk' : 'utf8', !gbk), res, (err) => {
        if (err) opts.logger.warn({ err, requestId }, 'report export stream failed');
      });
      csv.write(headerRow(report, headers));
      for (const row of report.rows) csv.write(dataRow(report, row));
      csv.end();
    } catch (err) {
      // This route's errors always carry the request id, and of an error's extensions only its field.
      sendRouteError(res, err, formatError, ({ code, field }, id) => ({ code, requestId: id, ...(field ? { field } : {}) }));
    }
  };
}
