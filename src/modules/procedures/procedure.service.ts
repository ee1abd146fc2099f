import type { RequestContext } from '../../core/context';
import { notFound } from '../../core/errors';
import { decodeCursor, toConnection } from '../../core/pagination';
import { divisionPrefix } from '../../core/scope';
import { PROCEDURE_COLUMNS, procedureById, procedureVisibility, toProcedureNodes } from './procedure.loaders';
import type { ProcedureFilter, ProcedureNode } from './procedure.types';

/** Reading procedures: one, or a keyset page in id order, inside the caller's scope. */
export class ProcedureService {
  /** Procedure `id`; NOT_FOUND when missing or outside the scope (the same answer). */
  static async one(ctx: RequestContext, id: string): Promise<ProcedureNode> {
    const node = await ctx.loaders.load(procedureById, id);
    if (!node) throw notFound('procedure');
    return node;
  }

  /** A page of procedures matching `filter`, in id order; the total is counted only when asked. */
  static async page(ctx: RequestContext, filter: ProcedureFilter, page: { first: number; after?: string | null }) {
    const requested = filter.regionCode ? divisionPrefix(filter.regionCode, 'filter.regionCode') : '';
    const after = decodeCursor(page.after);
    const vis = procedureVisibility(ctx, 1, requested);
    const params: unknown[] = [...vis.params];
    const where = [vis.sql];
    const add = (sql: (n: number) => string, value: unknown) => {
      params.push(value);
      where.push(sql(params.length));
    };
    if (filter.kind) add((n) => `p.kind = $${n}::procedure_kind`, filter.kind);
    if (filter.step) add((n) => `p.step = $${n}::procedure_step`, filter.step);
    if (filter.status) add((n) => `p.status = $${n}::procedure_status`, filter.status);
    const countParams = [...params];
    const countWhere = [...where];
    if (after) add((n) => `p.id > $${n}::bigint`, after);
    params.push(page.first + 1);
    const rows = await ctx.db.query<ProcedureNode>(
      `SELECT ${PROCEDURE_COLUMNS} FROM procedure p JOIN household h ON h.id = p.household_id
        WHERE ${where.join(' AND ')} ORDER BY p.id LIMIT $${params.length}`,
      params,
    );
    return toConnection(toProcedureNodes(rows), page, async () => {
      const [{ n }] = await ctx.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM procedure p JOIN household h ON h.id = p.household_id WHERE ${countWhere.join(' AND ')}`,
        countParams,
      );
      return n;
    });
  }
}
