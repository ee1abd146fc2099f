import { FACET_ID_COLUMNS, facetByIdLoader } from '../../core/facet-loader';
import { groupBy, loaderFactory } from '../../core/loaders';
import { countyScopedPredicate } from '../../core/scope';
import type { CadreVisitNode } from './cadre.types';
import type { PairingNode } from './poverty-office.types';

// Loaders of pairing work: visits by pairing, pairings by cadre. Scope is the household's, in SQL.

const VISIT_COLUMNS = `${FACET_ID_COLUMNS}, f.pairing_id::text AS "pairingId", f.visited_on AS "visitedOn", f.kind, f.notes`;

/** visitsByPairingId: pairing id → its visits, newest first. */
export const visitsByPairingId = loaderFactory<CadreVisitNode[]>(async (ctx, ids) => {
  const scope = countyScopedPredicate(ctx.scope, 'f', 2);
  const rows = await ctx.db.query<CadreVisitNode>(
    `SELECT ${VISIT_COLUMNS} FROM cadre_visit f WHERE f.pairing_id = ANY($1::bigint[]) AND ${scope.sql}
      ORDER BY f.pairing_id, f.visited_on DESC, f.id DESC`,
    [ids, ...scope.params],
  );
  return groupBy(ids, rows, (r) => r.pairingId);
});

/** visitById: one visit (read back after a write). */
export const visitById = facetByIdLoader<CadreVisitNode>({ table: 'cadre_visit', columns: VISIT_COLUMNS });

/** pairingsByCadreId: cadre id → the cadre's pairings on households in scope, current first, then newest. */
export const pairingsByCadreId = loaderFactory<Array<PairingNode & { current: boolean }>>(async (ctx, ids) => {
  const scope = countyScopedPredicate(ctx.scope, 'f', 3);
  const rows = await ctx.db.query<PairingNode & { cadreId: string; current: boolean }>(
    `SELECT f.cadre_id::text AS "cadreId", ${FACET_ID_COLUMNS}, f.start_date AS "startDate", f.end_date AS "endDate",
            json_build_object('id', c.id::text, 'name', c.name, 'unit', c.unit, 'phone', c.phone) AS cadre,
            (f.start_date <= $2::date AND (f.end_date IS NULL OR f.end_date >= $2::date)) AS current
       FROM pairing f JOIN cadre c ON c.id = f.cadre_id
      WHERE f.cadre_id = ANY($1::bigint[]) AND ${scope.sql}
      ORDER BY f.cadre_id, current DESC, f.start_date DESC, f.id DESC`,
    [ids, ctx.today, ...scope.params],
  );
  return groupBy(ids, rows, (r) => r.cadreId);
});
