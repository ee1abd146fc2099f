import type { EntityManager } from 'typeorm';
import { badInput } from '../../core/errors';
import { MeasureKind } from '../../core/vocab';
import type { ChangeEventEntry } from '../events';
import { UTILITY_COLUMN, Utility } from './utility';

// 六到农家 from verified measures: an infrastructure measure names the utilities it provides;
// when it is verified (not before: a planned road is no road), the village it is for and the
// households it serves get them, in the verification's transaction. Each village and household
// changed is a change event (recorded by `mutate` after the audit record, as every event is),
// so the coordination rules that read utilities (饮水安全) see it.

/** Shape checks of a measure's utilities and beneficiaries, before it is written. */
export function checkUtilities(kind: MeasureKind, village: boolean, utilities: readonly Utility[] | null | undefined, beneficiaries: readonly string[] | null | undefined): void {
  if (utilities?.length && kind !== MeasureKind.INFRASTRUCTURE) throw badInput('input.utilities', 'only an INFRASTRUCTURE measure provides utilities');
  if (beneficiaries?.length && !village) throw badInput('input.beneficiaryHouseholdIds', 'only a village measure names the households it serves');
  if (beneficiaries?.length && !utilities?.length) throw badInput('input.beneficiaryHouseholdIds', 'name the utilities the measure provides them');
  if (beneficiaries?.some((id) => !/^\d{1,18}$/.test(id))) throw badInput('input.beneficiaryHouseholdIds', 'must be household ids');
}

/** Records the households a village measure serves; each must be a household of that village. */
export async function writeBeneficiaries(tx: EntityManager, measureId: string, villageCode: string, countyCode: string, ids: readonly string[]): Promise<void> {
  const unique = [...new Set(ids)];
  if (!unique.length) return;
  const rows: unknown[] = await tx.query(
    `INSERT INTO measure_beneficiary (measure_id, household_id, county_code)
     SELECT $1, h.id, $3 FROM household h WHERE h.id = ANY($2::bigint[]) AND h.village_code = $4 RETURNING household_id`,
    [measureId, unique, countyCode, villageCode],
  );
  if (rows.length !== unique.length) throw badInput('input.beneficiaryHouseholdIds', 'must be households of the measure\'s village');
}

/**
 * Sets the utilities a just-verified infrastructure measure names on its village (a village
 * measure) and on its households (its own, or the village measure's beneficiaries). Returns
 * the change events of the village and households changed.
 */
export async function applyVerifiedUtilities(tx: EntityManager, measureId: string): Promise<ChangeEventEntry[]> {
  const [m]: Array<{ kind: MeasureKind; utilities: Utility[]; villageCode: string | null; householdId: string | null }> = await tx.query(
    `SELECT kind, utilities::text[] AS utilities, village_code AS "villageCode", household_id::text AS "householdId" FROM measure WHERE id = $1`,
    [measureId],
  );
  if (m.kind !== MeasureKind.INFRASTRUCTURE || !m.utilities.length) return [];
  const events: ChangeEventEntry[] = [];
  const set = m.utilities.map((u) => `${UTILITY_COLUMN[u]} = true`).join(', ');
  const fields = m.utilities.map((u) => `utilities.${u}`);
  if (m.villageCode) {
    await tx.query(`UPDATE village SET ${set} WHERE code = $1`, [m.villageCode]);
    events.push({ kind: 'update', entity: 'Village', entityId: m.villageCode, householdId: null, personId: null, regionCode: m.villageCode, department: null, fields });
  }
  const households: Array<{ id: string; villageCode: string }> = await tx.query(
    // In a CTE: TypeORM answers a bare UPDATE … RETURNING with [rows, rowCount].
    `WITH updated AS (
       UPDATE household h SET ${set}, version = h.version + 1, updated_at = now()
        WHERE h.id = $1 OR h.id IN (SELECT b.household_id FROM measure_beneficiary b WHERE b.measure_id = $2)
        RETURNING h.id::text AS id, h.village_code AS "villageCode"
     ) SELECT * FROM updated`,
    [m.householdId, measureId],
  );
  for (const h of households.sort((a, b) => Number(a.id) - Number(b.id))) {
    events.push({ kind: 'update', entity: 'Household', entityId: h.id, householdId: h.id, personId: null, regionCode: h.villageCode, department: null, fields });
  }
  return events;
}
