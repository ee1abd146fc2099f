import type { RequestContext } from '../../core/context';
import { AppError, badInput } from '../../core/errors';
import { Department, HouseholdStatus } from '../../core/vocab';
import { assertDateWithin, lockRule, patchVersioned, readBack } from '../../core/write-checks';
import { assertDateOrder, householdAnchor, insertRow, mutate } from '../../core/writes';
import { pairingById } from './poverty-office.loaders';
import type { CreatePairingInput, EndPairingInput } from './poverty-office.inputs';
import type { PairingNode } from './poverty-office.types';

// Coordination writes of 扶贫办 the poverty office, which coordinators may make too (DESIGN §1):
// 结对帮扶 pairings and measures, each in one transaction with its audit record
// (core/writes.ts), only on households inside the caller's scope.

const PAIRING = { table: 'pairing', entity: 'Pairing' } as const;
/** How far ahead a pairing may start or end (arranged now, effective from the next round of visits). */
const PAIRING_AHEAD_DAYS = 30;

/** Owner department of every record written here (change events). */
const OWNER = Department.POVERTY_OFFICE;

export class PovertyOfficeWriteService {
  /** 结对: the cadre must belong to the household's county and not already be paired with it. */
  static async createPairing(ctx: RequestContext, householdId: string, input: CreatePairingInput): Promise<PairingNode> {
    const id = await mutate(ctx, { department: OWNER, action: 'create', entity: PAIRING.entity, entityId: null, fields: Object.keys(input) }, async (tx) => {
      const anchor = await householdAnchor(ctx, tx, householdId);
      assertDateWithin(ctx, input.startDate, 'input.startDate', PAIRING_AHEAD_DAYS);
      assertDateOrder(input.startDate, input.endDate, 'input.endDate');
      const cadres: unknown[] = await tx.query('SELECT 1 FROM cadre WHERE id = $1 AND county_code = $2 FOR SHARE', [input.cadreId, anchor.countyCode]);
      if (!cadres.length) throw badInput('input.cadreId', "is not a cadre of the household's county");
      await lockRule(tx, `pairing:${householdId}`);
      const current: Array<{ id: string }> = await tx.query(
        `SELECT id::text AS id FROM pairing WHERE household_id = $1 AND cadre_id = $2 AND (end_date IS NULL OR end_date >= $3::date) LIMIT 1`,
        [householdId, input.cadreId, input.startDate],
      );
      if (current.length) throw badInput('input.cadreId', `is already paired with this household (pairing ${current[0].id})`);
      const newId = await insertRow(tx, PAIRING.table, {
        household_id: householdId, county_code: anchor.countyCode, cadre_id: input.cadreId, start_date: input.startDate, end_date: input.endDate ?? null,
      });
      return { result: newId, entityId: newId, regionCode: anchor.villageCode, householdId: anchor.householdId, personId: anchor.personId };
    });
    return readBack(ctx, pairingById, id, PAIRING.entity);
  }

  /**
   * 解除结对: sets the end date. A pairing that has already ended is a CONFLICT; the last
   * current pairing of a registered household cannot end (不脱贫不脱钩): pair another cadre first.
   */
  static async endPairing(ctx: RequestContext, id: string, version: number, input: EndPairingInput): Promise<PairingNode> {
    await mutate(ctx, { department: OWNER, action: 'end', entity: PAIRING.entity, entityId: id, fields: ['endDate'] }, async (tx) => {
      assertDateWithin(ctx, input.endDate, 'input.endDate', PAIRING_AHEAD_DAYS);
      const { before, after, householdId, personId, villageCode } = await patchVersioned<{ startDate: string; endDate: string | null }>(
        ctx, tx, { ...PAIRING, id, version }, { end_date: input.endDate }, 'f.start_date AS "startDate", f.end_date AS "endDate"',
      );
      if (before.endDate !== null) throw new AppError('CONFLICT', `${PAIRING.entity} ${id} has already ended (on ${before.endDate})`);
      assertDateOrder(after.startDate, after.endDate, 'input.endDate');
      await lockRule(tx, `pairing:${householdId}`);
      const [state]: Array<{ status: HouseholdStatus; others: number }> = await tx.query(
        `SELECT h.status, (SELECT count(*)::int FROM pairing p
                            WHERE p.household_id = h.id AND p.id <> $2 AND (p.end_date IS NULL OR p.end_date > $3::date)) AS others
           FROM household h WHERE h.id = $1`,
        [householdId, id, input.endDate],
      );
      if (state.status === HouseholdStatus.REGISTERED && state.others === 0) {
        throw badInput('id', 'is the last current pairing of a registered household (不脱贫不脱钩): pair another cadre first');
      }
      return { result: id, entityId: id, regionCode: villageCode, householdId, personId };
    });
    return readBack(ctx, pairingById, id, PAIRING.entity);
  }
}
