import { Role } from '../../core/auth';
import type { RequestContext } from '../../core/context';
import { AppError, badInput, notFound } from '../../core/errors';
import { divisionPrefix, padCode, prefixRange } from '../../core/scope';
import { RegionLevel } from '../../core/vocab';
import { PUBLISHABLE_LEVELS } from './aggregate-catalog';
import { ENTRY_COLUMNS, toEntryNode, type EntryRow } from './aggregate-entry.service';
import type { AggregateEntryNode, ApprovedAggregate } from './aggregate.types';

// The read surface of the catalog (issue 9 §2, §3): the approved entries and their published
// cells in the latest release, read as stored; nothing is computed for the caller.
//
// A third party (Role.THIRD_PARTY, an API key) sees only the entries its key names: any other
// entry answers NOT_FOUND, as a missing one does. Its cells are published figures, so it reads
// them at any region. Staff read cells of regions inside their scope only (a county officer
// gets no province cell: it counts households outside the county).

/** The entry codes a third party's key names; null: staff, who see every approved entry. */
function visibleCodes(ctx: RequestContext): readonly string[] | null {
  const p = ctx.principal;
  if (!p) throw new AppError('UNAUTHENTICATED', 'Not authenticated');
  // A missing list refuses everything (a key bound to no entry reads nothing).
  return p.role === Role.THIRD_PARTY ? (p.catalogEntries ?? []) : null;
}

/** The approved entries the caller may read, by code (one statement). */
export async function listApproved(ctx: RequestContext): Promise<AggregateEntryNode[]> {
  const codes = visibleCodes(ctx);
  const rows = await ctx.db.query<EntryRow>(
    `SELECT ${ENTRY_COLUMNS} FROM aggregate_entry e WHERE e.status = 'approved' AND ($1::text[] IS NULL OR e.code = ANY($1::text[])) ORDER BY e.code`,
    [codes],
  );
  return rows.map(toEntryNode);
}

const LENGTH_OF = new Map(PUBLISHABLE_LEVELS.map((l) => [l.level, l.length]));

/**
 * One approved entry's published cells for `year` (default: its latest) at `level` (default: the
 * region's own level) under `region` (default: the entry's region), from the latest release.
 * Two statements: the entry, then the cells with their region names.
 */
export async function readApproved(
  ctx: RequestContext, code: string, args: { region?: string | null; year?: number | null; level?: RegionLevel | null },
): Promise<ApprovedAggregate> {
  const codes = visibleCodes(ctx);
  if (codes && !codes.includes(code)) throw notFound('approved aggregate');
  // The region asked, by default the entry's, or the caller's scope where that lies inside it.
  const scope = codes ? '' : (ctx.principal?.scope ?? '-');
  const rows = await ctx.db.query<EntryRow & { regionCode12: string | null }>(
    `SELECT ${ENTRY_COLUMNS}, r.code AS "regionCode12"
       FROM aggregate_entry e
       LEFT JOIN region r ON r.code = rpad(coalesce($2, CASE WHEN length($3) > length(e.region_code) AND left($3, length(e.region_code)) = e.region_code THEN $3 ELSE e.region_code END), 12, '0')
      WHERE e.code = $1 AND e.status = 'approved'`,
    [code, args.region ?? null, scope],
  );
  if (!rows.length) throw notFound('approved aggregate');
  const entry = toEntryNode(rows[0]);

  // A region that does not exist, or (staff) lies outside the caller's scope: NOT_FOUND, the same answer.
  const asked = args.region ?? (scope.length > entry.region.length && scope.startsWith(entry.region) ? scope : entry.region);
  if (!rows[0].regionCode12 || !/^\d{2,12}$/.test(asked) || !divisionPrefix(asked, 'region').startsWith(scope)) throw notFound('region');
  const region = divisionPrefix(asked, 'region');
  const year = args.year ?? Math.max(...entry.years);
  if (!entry.years.includes(year)) throw badInput('year', `${code} is published for ${entry.years.join(', ')}`);
  if (!region.startsWith(entry.region)) throw badInput('region', `${code} is published over ${entry.region}; ask for it or a region inside it`);
  // By default the region's own level, else the coarsest level published inside it.
  const level = args.level ?? entry.levels.find((l) => (LENGTH_OF.get(l) ?? 0) >= region.length);
  const length = level ? LENGTH_OF.get(level) : undefined;
  if (!level || length === undefined || !entry.levels.includes(level)) {
    throw badInput('level', `${code} is published at ${entry.levels.join(', ')} level${entry.levels.length > 1 ? 's' : ''}`);
  }
  if (length < region.length) throw badInput('level', `${level} is coarser than the region ${region}`);

  // Staff: only cells of regions inside their scope, at their scope's level or finer.
  const cells = await ctx.db.query<{ regionCode: string; regionName: string | null; categories: Record<string, string | null>; value: string | null; suppressed: boolean }>(
    `SELECT c.region_code AS "regionCode", r.name AS "regionName", c.categories, c.value, c.suppressed
       FROM aggregate_cell c
       LEFT JOIN region r ON r.code = c.region_code
      WHERE c.release_id = (SELECT max(id) FROM aggregate_release) AND c.entry_id = $1 AND c.year = $2 AND c.level = $3 AND ${prefixRange('c.region_code', '$4')}
        AND ${prefixRange('c.region_code', '$5')} AND $6::int >= length($5)
      ORDER BY c.region_code, c.categories::text`,
    [entry.id, year, level, region, scope, length],
  );
  const release = await ctx.db.query<{ id: string; computedAt: Date; minCell: number }>(
    `SELECT id::text AS id, computed_at AS "computedAt", min_cell AS "minCell" FROM aggregate_release ORDER BY id DESC LIMIT 1`,
  );
  return {
    entry, year, level, region: padCode(region), releaseId: release[0]?.id ?? null, releasedAt: release[0]?.computedAt ?? null, minCell: release[0]?.minCell ?? null,
    cells: cells.map((c) => ({
      region: { code: c.regionCode, name: c.regionName ?? null, level },
      categories: Object.keys(c.categories).sort().map((dimension) => ({ dimension, value: c.categories[dimension] })),
      value: c.suppressed ? null : Number(c.value),
      suppressed: Boolean(c.suppressed),
    })),
  };
}
