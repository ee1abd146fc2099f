import type { RequestContext } from '../../core/context';
import { badInput, notFound } from '../../core/errors';
import { countyScopedPredicate, regionPredicate } from '../../core/scope';
import { Department } from '../../core/vocab';
import { assertDateWithin, readBack } from '../../core/write-checks';
import { insertRow, mutate } from '../../core/writes';
import type { CreateCadreInput, LogVisitInput } from './cadre.inputs';
import { visitById } from './cadre.loaders';
import type { CadreVisitNode } from './cadre.types';
import { assertNoPersonalDetails } from './personal-details';
import type { CadreNode } from './poverty-office.types';

// Pairing work of 扶贫办 the poverty office and coordinators: the cadres (帮扶责任人) of a
// county and the visits they log (帮扶走访), each through the write pipeline (core/writes.ts).

const OWNER = Department.POVERTY_OFFICE;

export class CadreWriteService {
  /** A cadre sent to a county, township or village inside the caller's scope; it belongs to that county. */
  static async createCadre(ctx: RequestContext, input: CreateCadreInput): Promise<CadreNode> {
    return mutate(ctx, { department: OWNER, action: 'create', entity: 'Cadre', entityId: null, fields: Object.keys(input) }, async (tx) => {
      // Any code no division in scope has (malformed, missing, outside) is the same NOT_FOUND.
      if (!/^\d{12}$/.test(input.regionCode)) throw notFound('region');
      const scope = regionPredicate(ctx.scope, 'r.code', 2);
      const regions: Array<{ level: string }> = await tx.query(`SELECT r.level FROM region r WHERE r.code = $1 AND ${scope.sql}`, [input.regionCode, ...scope.params]);
      if (!regions.length || !['county', 'township', 'village'].includes(regions[0].level)) throw notFound('region');
      const county = input.regionCode.slice(0, 6);
      const [name, unit, phone] = [input.name.trim(), input.unit.trim(), input.phone ?? null];
      const id = await insertRow(tx, 'cadre', { county_code: county, name, unit, phone });
      return { result: { id, name, unit, phone }, entityId: id, regionCode: input.regionCode };
    });
  }

  /** 帮扶走访: a visit within the pairing's period, not in the future; notes without personal details. */
  static async logVisit(ctx: RequestContext, pairingId: string, input: LogVisitInput): Promise<CadreVisitNode> {
    const id = await mutate(ctx, { department: OWNER, action: 'create', entity: 'CadreVisit', entityId: null, fields: Object.keys(input) }, async (tx) => {
      if (!/^\d{1,18}$/.test(pairingId)) throw notFound('Pairing');
      const scope = countyScopedPredicate(ctx.scope, 'f', 2);
      const rows: Array<{ householdId: string; countyCode: string; villageCode: string; startDate: string; endDate: string | null }> = await tx.query(
        `SELECT f.household_id::text AS "householdId", f.county_code AS "countyCode", h.village_code AS "villageCode",
                f.start_date AS "startDate", f.end_date AS "endDate"
           FROM pairing f JOIN household h ON h.id = f.household_id WHERE f.id = $1 AND ${scope.sql} FOR SHARE OF f`,
        [pairingId, ...scope.params],
      );
      if (!rows.length) throw notFound('Pairing');
      const pairing = rows[0];
      assertDateWithin(ctx, input.visitedOn, 'input.visitedOn');
      if (input.visitedOn < pairing.startDate) throw badInput('input.visitedOn', `must not be before the pairing started (${pairing.startDate})`);
      if (pairing.endDate && input.visitedOn > pairing.endDate) throw badInput('input.visitedOn', `must not be after the pairing ended (${pairing.endDate})`);
      assertNoPersonalDetails('input.notes', input.notes);
      const newId = await insertRow(tx, 'cadre_visit', {
        household_id: pairing.householdId, county_code: pairing.countyCode, pairing_id: pairingId, visited_on: input.visitedOn, kind: input.kind,
        notes: input.notes?.trim() || null,
      });
      return { result: newId, entityId: newId, regionCode: pairing.villageCode, householdId: pairing.householdId };
    });
    return readBack(ctx, visitById, id, 'CadreVisit');
  }
}
