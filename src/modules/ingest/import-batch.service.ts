import { Role } from '../../core/auth';
import type { RequestContext } from '../../core/context';
import { decodeCursor, toConnection, type ConnectionValue } from '../../core/pagination';
import { prefixRange } from '../../core/scope';
import { BATCH_COLUMNS, type ImportBatchRow } from './import-engine';

// Reading import batches afterwards (issue 8 §7): one statement per page, the visibility rule
// inside it. A batch is seen by the officers of its department and by auditors, when the batch
// was run within their region (its scope lies inside theirs): a township officer does not see
// the rejects of a county-wide batch, which name rows outside the township.

export interface ImportRejectRow {
  id: string;
  rowNumber: number;
  column: string | null;
  code: string;
  message: string;
  messageZh: string;
}

export interface ImportBatchFilter {
  kind?: string | null;
  status?: string | null;
  batchKey?: string | null;
}

/** The visibility predicate on alias `b`, parameters from $`first`. */
function visible(ctx: RequestContext, first: number): { sql: string; params: unknown[] } {
  const p = ctx.principal;
  if (!p) return { sql: 'FALSE', params: [] };
  const region = p.scope === '' ? 'TRUE' : prefixRange('b.scope', `$${first}`);
  const params: unknown[] = p.scope === '' ? [] : [p.scope];
  if (p.role === Role.AUDITOR) return { sql: region, params };
  if (p.role === Role.OFFICER && p.department) {
    params.push(p.department);
    return { sql: `${region} AND b.department = $${first + params.length - 1}`, params };
  }
  return { sql: 'FALSE', params: [] };
}

export class ImportBatchService {
  /** A batch the caller may see, or null (missing and hidden answer alike). */
  static async byId(ctx: RequestContext, id: string): Promise<ImportBatchRow | null> {
    if (!/^\d{1,18}$/.test(id)) return null;
    const v = visible(ctx, 2);
    const rows = await ctx.db.query<ImportBatchRow>(`SELECT ${BATCH_COLUMNS} FROM import_batch b WHERE b.id = $1 AND ${v.sql}`, [id, ...v.params]);
    return rows[0] ?? null;
  }

  /** The batches with these ids the caller may see, by id: one statement (live subscriptions). */
  static async byIds(ctx: RequestContext, ids: readonly string[]): Promise<Map<string, ImportBatchRow>> {
    const wanted = ids.filter((id) => /^\d{1,18}$/.test(id));
    if (!wanted.length) return new Map();
    const v = visible(ctx, 2);
    const rows = await ctx.db.query<ImportBatchRow>(`SELECT ${BATCH_COLUMNS} FROM import_batch b WHERE b.id = ANY($1::bigint[]) AND ${v.sql}`, [wanted, ...v.params]);
    return new Map(rows.map((b) => [b.id, b]));
  }

  /** Newest first (keyset on id, descending). */
  static async page(ctx: RequestContext, filter: ImportBatchFilter, first: number, after: string | null | undefined): Promise<ConnectionValue<ImportBatchRow>> {
    const cursor = decodeCursor(after);
    const where = (start: number) => {
      const v = visible(ctx, start);
      const clauses = [v.sql];
      const params = [...v.params];
      const add = (column: string, value: unknown) => {
        params.push(value);
        clauses.push(`${column} = $${start + params.length - 1}`);
      };
      if (filter.kind != null) add('b.kind', filter.kind);
      if (filter.status != null) add('b.status', filter.status);
      if (filter.batchKey != null) add('b.batch_key', filter.batchKey);
      return { sql: clauses.join(' AND '), params };
    };
    const w = where(3);
    const rows = await ctx.db.query<ImportBatchRow>(
      `SELECT ${BATCH_COLUMNS} FROM import_batch b WHERE ($1::bigint IS NULL OR b.id < $1::bigint) AND ${w.sql} ORDER BY b.id DESC LIMIT $2`,
      [cursor, first + 1, ...w.params],
    );
    return toConnection(rows, { first, after }, async () => {
      const c = where(1);
      const [row] = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM import_batch b WHERE ${c.sql}`, c.params);
      return row.n;
    });
  }

  /** Rejects of a batch (already checked visible), in row order, after reject id `afterId`. */
  static async rejects(ctx: RequestContext, batchId: string, limit: number, afterId: string | null = null): Promise<ImportRejectRow[]> {
    return ctx.db.query<ImportRejectRow>(
      `SELECT r.id::text AS id, r.row_number AS "rowNumber", r.column_name AS "column", r.code, r.message, r.message_zh AS "messageZh"
         FROM import_reject r WHERE r.batch_id = $1 AND ($2::bigint IS NULL OR r.id > $2::bigint) ORDER BY r.id LIMIT $3`,
      [batchId, afterId, limit],
    );
  }
}
