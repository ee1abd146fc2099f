import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../core/context';
import { decodeCursor, toConnection, type ConnectionValue } from '../../core/pagination';
import { divisionPrefix, regionPredicate } from '../../core/scope';
import { NoticeKind } from './project-stage';
import type { PublicNoticeNode } from './poverty-office.types';

// Public notices (公告公示): written inside the transaction of the project move or allocation
// they announce, as a snapshot of the project then; read by staff in scope and by third parties.
// A notice holds project facts only: the select lists below name every column it exposes, and
// none of them refers to a household or a person.

/**
 * Publishes a notice of `kind` for project `projectId` (locked by the caller), dated today on
 * the service calendar. An allocation notice carries the allocation's amount and source.
 */
export async function publishNotice(
  ctx: RequestContext, tx: EntityManager, projectId: string, kind: NoticeKind, allocationId: string | null = null,
): Promise<string> {
  const rows: Array<{ id: string }> = await tx.query(
    `INSERT INTO public_notice (county_code, project_id, fund_allocation_id, kind, region_code, project_name, project_kind, budget, amount,
                                allocated_total, fund_sources, implementing_unit, period_start, period_end, beneficiary_households, published_on)
     SELECT p.county_code, p.id, a.id, $2, p.region_code, p.name, p.kind, p.budget, a.amount,
            (SELECT coalesce(sum(x.amount), 0) FROM fund_allocation x WHERE x.project_id = p.id),
            CASE WHEN a.id IS NULL THEN p.fund_sources ELSE ARRAY[a.source] END,
            p.implementing_unit, p.start_date, p.end_date, p.beneficiary_households, $4::date
       FROM project p LEFT JOIN fund_allocation a ON a.id = $3 AND a.project_id = p.id
      WHERE p.id = $1
     RETURNING id::text AS id`,
    [projectId, kind, allocationId, ctx.today],
  );
  return rows[0].id;
}

const NOTICE_COLUMNS = `n.id::text AS id, n.kind, n.published_on AS "publishedOn", n.project_id::text AS "projectId", n.project_name AS "projectName",
  n.project_kind AS "projectKind", n.region_code AS "regionCode", r.name AS "regionName", n.budget::float8 AS budget, n.amount::float8 AS amount,
  n.allocated_total::float8 AS "allocatedTotal", n.fund_sources::text[] AS "fundSources", n.implementing_unit AS "implementingUnit",
  n.period_start AS "periodStart", n.period_end AS "periodEnd", n.beneficiary_households AS "beneficiaryHouseholds"`;

/** Notices in `regionCode` (any level; default: the caller's whole scope) and the caller's scope, newest first. */
export async function listNotices(
  ctx: RequestContext, regionCode: string | null | undefined, page: { first: number; after?: string | null },
): Promise<ConnectionValue<PublicNoticeNode>> {
  const requested = regionCode ? divisionPrefix(regionCode, 'regionCode') : '';
  const after = decodeCursor(page.after);
  const scope = regionPredicate(ctx.scope, 'n.region_code', 3, requested);
  const rows = await ctx.db.query<PublicNoticeNode>(
    `SELECT ${NOTICE_COLUMNS} FROM public_notice n JOIN region r ON r.code = n.region_code
      WHERE ($1::bigint IS NULL OR n.id < $1::bigint) AND ${scope.sql}
      ORDER BY n.id DESC LIMIT $2`,
    [after, page.first + 1, ...scope.params],
  );
  const count = regionPredicate(ctx.scope, 'n.region_code', 1, requested);
  return toConnection(rows, page, async () => {
    const [row] = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM public_notice n WHERE ${count.sql}`, count.params);
    return row.n;
  });
}
