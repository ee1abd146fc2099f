import type { RequestContext } from '../../core/context';
import { badInput } from '../../core/errors';
import { decodeCursor, toConnection, type ConnectionValue } from '../../core/pagination';
import { divisionPrefix, prefixRange, regionPredicate } from '../../core/scope';
import { householdById, type HouseholdNode } from '../registry';
import type { CadreLoadNode } from './cadre.types';

// Coverage of pairing (结对帮扶全覆盖): registered households with no current cadre, and cadres
// paired with more households than they can visit. "Current" is as of today on the service
// calendar, as the 结对帮扶全覆盖 coordination rule reads it.

/** Default load past which a cadre is listed (config: PAIRING_MAX_HOUSEHOLDS), set by the server. */
let defaultLoadLimit = 10;

export function usePairingLoadLimit(limit: number | undefined): void {
  if (limit !== undefined) defaultLoadLimit = limit;
}

const CURRENT = (alias: string, today: string) => `${alias}.start_date <= ${today}::date AND (${alias}.end_date IS NULL OR ${alias}.end_date >= ${today}::date)`;

/** The narrower of the caller's scope and the requested prefix (null: they do not overlap). */
function narrower(scope: string, requested: string): string | null {
  if (scope.startsWith(requested)) return scope;
  if (requested.startsWith(scope)) return requested;
  return null;
}

/** Registered households in `regionCode` and scope without a current pairing, by id. */
export async function householdsWithoutCadre(
  ctx: RequestContext, regionCode: string | null | undefined, page: { first: number; after?: string | null },
): Promise<ConnectionValue<HouseholdNode>> {
  const requested = regionCode ? divisionPrefix(regionCode, 'regionCode') : '';
  const after = decodeCursor(page.after);
  const where = (first: number) => {
    const scope = regionPredicate(ctx.scope, 'h.village_code', first, requested);
    return {
      sql: `h.status = 'registered' AND ${scope.sql}
            AND NOT EXISTS (SELECT 1 FROM pairing p WHERE p.household_id = h.id AND ${CURRENT('p', `$${first + scope.params.length}`)})`,
      params: [...scope.params, ctx.today],
    };
  };
  const w = where(3);
  const ids = await ctx.db.query<{ id: string }>(
    `SELECT h.id::text AS id FROM household h WHERE ($1::bigint IS NULL OR h.id > $1::bigint) AND ${w.sql} ORDER BY h.id LIMIT $2`,
    [after, page.first + 1, ...w.params],
  );
  const households = (await ctx.loaders.get(householdById).loadMany(ids.map((r) => r.id)))
    .filter((h): h is HouseholdNode => h !== null && !(h instanceof Error));
  return toConnection(households, page, async () => {
    const c = where(1);
    const [row] = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM household h WHERE ${c.sql}`, c.params);
    return row.n;
  });
}

/** Cadres of the counties in `regionCode` and scope paired with more than `over` households now. */
export async function overloadedCadres(
  ctx: RequestContext, regionCode: string | null | undefined, over: number | null | undefined, page: { first: number; after?: string | null },
): Promise<ConnectionValue<CadreLoadNode>> {
  const limit = over ?? defaultLoadLimit;
  if (limit < 0) throw badInput('over', 'must not be negative');
  const prefix = narrower(ctx.scope.regionPrefix, regionCode ? divisionPrefix(regionCode, 'regionCode') : '');
  // A cadre belongs to a county: a township caller sees the cadres of its county.
  const county = prefix === null ? null : prefix.slice(0, 6);
  const after = decodeCursor(page.after);
  const from = (first: number) => ({
    sql: `FROM cadre c CROSS JOIN LATERAL (SELECT count(DISTINCT p.household_id)::int AS n FROM pairing p
                                            WHERE p.cadre_id = c.id AND ${CURRENT('p', `$${first + 1}`)}) load
          WHERE load.n > $${first + 2} AND ${prefixRange('c.county_code', `$${first}`)}`,
    // '' holds every county; '-' (no overlap) none.
    params: [county ?? '-', ctx.today, limit],
  });
  const f = from(3);
  const rows = await ctx.db.query<CadreLoadNode>(
    `SELECT c.id::text AS id, json_build_object('id', c.id::text, 'name', c.name, 'unit', c.unit, 'phone', c.phone) AS cadre, load.n AS "currentHouseholds"
     ${f.sql} AND ($1::bigint IS NULL OR c.id > $1::bigint) ORDER BY c.id LIMIT $2`,
    [after, page.first + 1, ...f.params],
  );
  return toConnection(rows, page, async () => {
    const c = from(1);
    const [row] = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n ${c.sql}`, c.params);
    return row.n;
  });
}
