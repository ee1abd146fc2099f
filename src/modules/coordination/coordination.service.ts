import { Role } from '../../core/auth/roles';
import type { RequestContext } from '../../core/context';
import { AppError, notFound } from '../../core/errors';
import { asInstances, groupBy, loaderFactory } from '../../core/loaders';
import { decodeCursor, toConnection } from '../../core/pagination';
import { divisionPrefix, padCode, regionPredicate } from '../../core/scope';
import { mutate } from '../../core/writes';
import type { Department } from '../../core/vocab';
import { asOf, ensureRuleRows, evaluateRules, FULL_RECOMPUTE_TIMEOUT, GAPS_LOCK, type PassResult } from './coordination.engine';
import { GapStatus } from './coordination.entities';
import { RULES, type RuleCode } from './coordination.rules';
import { GapNode, type GapCountNode, type GapFilter } from './coordination.types';

// Reading and acknowledging gaps, and the full recompute. Visibility is one predicate, in SQL:
// the caller's region scope on the household's village, and for an officer the department
// that owns the gap (a coordinator sees every gap in scope; any other role nothing).

const NAME_OF = new Map(RULES.map((r) => [r.code as string, r.nameZh]));
const SEVERITY_OF = new Map(RULES.map((r) => [r.code as string, r.severity]));

const GAP_COLUMNS = `g.id::text AS id, g.version, g.rule_code AS rule, g.rule_version AS "ruleVersion", g.department::text AS department,
  g.household_id::text AS "householdId", g.person_id::text AS "personId", g.village_code AS "regionCode", g.facts, g.status::text AS status,
  g.opened_at AS "openedAt", g.acknowledged_at AS "acknowledgedAt", g.resolved_at AS "resolvedAt"`;

function toNodes(rows: GapNode[]): GapNode[] {
  for (const r of rows) {
    r.ruleName = NAME_OF.get(r.rule) ?? r.rule;
    r.severity = SEVERITY_OF.get(r.rule) ?? 'medium';
  }
  return asInstances(GapNode, rows);
}

/**
 * The visibility predicate on gaps aliased `alias`, from parameter `$param` on; `requested`
 * narrows the region further (a filter's region code).
 */
export function gapVisibility(ctx: RequestContext, alias: string, param: number, requested = ''): { sql: string; params: unknown[] } {
  const region = regionPredicate(ctx.scope, `${alias}.village_code`, param, requested);
  const p = ctx.principal;
  if (!p) return { sql: 'FALSE', params: [] };
  if (p.role === Role.COORDINATOR) return region;
  if (p.role === Role.OFFICER && p.department) {
    return { sql: `${region.sql} AND ${alias}.department = $${param + region.params.length}::department`, params: [...region.params, p.department] };
  }
  return { sql: 'FALSE', params: [] };
}

/** gapsByHouseholdId: household id → its live gaps (open or acknowledged) the caller may see, by id. */
export const gapsByHouseholdId = loaderFactory<GapNode[]>(async (ctx, ids) => {
  const vis = gapVisibility(ctx, 'g', 2);
  const rows = await ctx.db.query<GapNode>(
    `SELECT ${GAP_COLUMNS} FROM coordination_gap g
      WHERE g.household_id = ANY($1::bigint[]) AND g.status <> 'resolved' AND ${vis.sql}
      ORDER BY g.household_id, g.id`,
    [ids, ...vis.params],
  );
  return groupBy(ids, toNodes(rows), (r) => r.householdId);
});

/** The gaps with these ids that the caller may see (any status), by id: one statement (live subscriptions). */
export async function gapsById(ctx: RequestContext, ids: readonly string[]): Promise<Map<string, GapNode>> {
  const wanted = ids.filter((id) => /^\d{1,18}$/.test(id));
  if (!wanted.length) return new Map();
  const vis = gapVisibility(ctx, 'g', 2);
  const rows = await ctx.db.query<GapNode>(`SELECT ${GAP_COLUMNS} FROM coordination_gap g WHERE g.id = ANY($1::bigint[]) AND ${vis.sql}`, [wanted, ...vis.params]);
  return new Map(toNodes(rows).map((g) => [g.id, g]));
}

export class CoordinationService {
  /** A page of gaps matching `filter`, in id order. */
  static async page(ctx: RequestContext, filter: GapFilter, page: { first: number; after?: string | null }) {
    const requested = filter.regionCode ? divisionPrefix(filter.regionCode, 'filter.regionCode') : '';
    const after = decodeCursor(page.after);
    const vis = gapVisibility(ctx, 'g', 1, requested);
    const params: unknown[] = [...vis.params];
    const where = [vis.sql];
    const add = (sql: (n: number) => string, value: unknown) => {
      params.push(value);
      where.push(sql(params.length));
    };
    if (filter.rule) add((n) => `g.rule_code = $${n}`, filter.rule);
    if (filter.department) add((n) => `g.department = $${n}::department`, filter.department);
    if (filter.status) add((n) => `g.status = $${n}::gap_status`, filter.status);
    const countParams = [...params];
    const countWhere = [...where];
    if (after) add((n) => `g.id > $${n}::bigint`, after);
    params.push(page.first + 1);
    const rows = await ctx.db.query<GapNode>(
      `SELECT ${GAP_COLUMNS} FROM coordination_gap g WHERE ${where.join(' AND ')} ORDER BY g.id LIMIT $${params.length}`,
      params,
    );
    return toConnection(toNodes(rows), page, async () => {
      const [{ n }] = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM coordination_gap g WHERE ${countWhere.join(' AND ')}`, countParams);
      return n;
    });
  }

  /**
   * Gaps counted by rule and by the next level of regions under `regionCode` (province →
   * cities, county → townships, …; a village counts itself), live ones unless `status` says.
   */
  static async counts(ctx: RequestContext, regionCode: string | null | undefined, status: GapStatus | null | undefined): Promise<GapCountNode[]> {
    const requested = regionCode ? divisionPrefix(regionCode, 'regionCode') : ctx.scope.regionPrefix;
    const next = requested.length === 0 ? 2 : requested.length === 2 ? 4 : requested.length === 4 ? 6 : requested.length === 6 ? 9 : 12;
    const vis = gapVisibility(ctx, 'g', 1, requested);
    const params: unknown[] = [...vis.params, next];
    const statusSql = status ? `g.status = $${params.push(status)}::gap_status` : `g.status <> 'resolved'`;
    const rows = await ctx.db.query<{ prefix: string; rule: RuleCode; count: number }>(
      `SELECT left(g.village_code, $${vis.params.length + 1}::int) AS prefix, g.rule_code AS rule, count(*)::int AS count
         FROM coordination_gap g WHERE ${vis.sql} AND ${statusSql}
        GROUP BY 1, 2 ORDER BY 1, 2`,
      params,
    );
    return rows.map((r) => ({ regionCode: padCode(r.prefix), rule: r.rule, count: r.count }));
  }

  /**
   * 认领 acknowledge a live gap: its owning department's officer or a coordinator. Acknowledging
   * an acknowledged gap again (at its current version) records who did, once more.
   */
  static async acknowledge(ctx: RequestContext, id: string, version: number): Promise<GapNode> {
    if (!/^\d{1,18}$/.test(id)) throw notFound('coordination gap');
    const vis = gapVisibility(ctx, 'g', 2);
    const [seen] = await ctx.db.query<{ department: Department; status: GapStatus; version: number }>(
      `SELECT g.department::text AS department, g.status::text AS status, g.version FROM coordination_gap g WHERE g.id = $1 AND ${vis.sql}`,
      [id, ...vis.params],
    );
    await mutate(ctx, { action: 'update', entity: 'CoordinationGap', entityId: id, fields: ['status'], department: seen?.department ?? null }, async (tx) => {
      const rows: Array<{ householdId: string; personId: string | null; villageCode: string; countyCode: string }> = await tx.query(
        `WITH acked AS (
           UPDATE coordination_gap g SET status = 'acknowledged', acknowledged_at = now(), version = g.version + 1
             FROM (SELECT x.id, x.status FROM coordination_gap x WHERE x.id = $1 FOR UPDATE) old
            WHERE g.id = old.id AND g.version = $${2 + vis.params.length} AND g.status <> 'resolved' AND ${vis.sql}
            RETURNING g.id, old.status AS "fromStatus", g.household_id::text AS "householdId", g.person_id::text AS "personId", g.village_code AS "villageCode", g.county_code AS "countyCode"
         ), history AS (
           INSERT INTO coordination_gap_history (gap_id, county_code, from_status, to_status, actor)
           SELECT id, "countyCode", "fromStatus", 'acknowledged', $${3 + vis.params.length} FROM acked
         ) SELECT * FROM acked`,
        [id, ...vis.params, version, ctx.principal?.subject ?? null],
      );
      if (!rows.length) {
        if (!seen) throw notFound('coordination gap');
        if (seen.status === GapStatus.RESOLVED) throw new AppError('CONFLICT', 'the gap is resolved; only a live gap can be acknowledged');
        throw new AppError('CONFLICT', `coordination gap ${id} was changed by someone else (now at version ${seen.version}); reload it and try again`, {
          currentVersion: seen.version,
        });
      }
      const r = rows[0];
      return { result: undefined, entityId: id, regionCode: r.villageCode, householdId: r.householdId, personId: r.personId };
    });
    const [gap] = await ctx.db.query<GapNode>(`SELECT ${GAP_COLUMNS} FROM coordination_gap g WHERE g.id = $1`, [id]);
    return toNodes([gap])[0];
  }

  /**
   * 全量重算 every rule over every household in `regionCode` (default: the caller's scope),
   * as of today; audited, and each gap opened or resolved is a change event.
   */
  static async recompute(ctx: RequestContext, regionCode?: string | null): Promise<PassResult> {
    const requested = regionCode ? divisionPrefix(regionCode, 'regionCode') : '';
    const scope = ctx.scope.regionPrefix;
    const prefix = scope.startsWith(requested) ? scope : requested.startsWith(scope) ? requested : null;
    // Outside the caller's scope: nothing to recompute, the same answer as an empty region.
    if (prefix === null) return { opened: 0, resolved: 0, updated: 0 };
    return mutate(ctx, { action: 'update', entity: 'CoordinationGaps', entityId: padCode(prefix), fields: ['status'], regionCode: padCode(prefix) }, async (tx) => {
      await tx.query(GAPS_LOCK);
      await tx.query(FULL_RECOMPUTE_TIMEOUT);
      await ensureRuleRows(tx);
      const result = await evaluateRules(tx, { regionPrefix: prefix }, asOf(ctx.today));
      return { result, entityId: padCode(prefix), regionCode: padCode(prefix) };
    });
  }
}
