import type { RequestContext } from '../../core/context';
import { badInput } from '../../core/errors';
import { assertDateWithin, assertPatch, fen, patchVersioned, readBack } from '../../core/write-checks';
import { definedOnly, insertRow, mutate, personAnchor } from '../../core/writes';
import { medicalAssistanceClaimById } from './health.loaders';
import type { CreateMedicalAssistanceClaimInput, UpdateMedicalAssistanceClaimInput } from './health.inputs';
import type { MedicalAssistanceClaimNode } from './health.types';

// Writes of 卫健/医保 health: medical-assistance claims, each in
// one transaction with its audit record (core/writes.ts), only on persons inside the caller's
// scope.

const CLAIM = { table: 'medical_assistance_claim', entity: 'MedicalAssistanceClaim' } as const;

function checkClaimSum(c: { totalCost: number; reimbursed: number; outOfPocket: number }): void {
  if (fen(c.reimbursed) + fen(c.outOfPocket) !== fen(c.totalCost)) {
    throw badInput('input.outOfPocket', `reimbursed (${c.reimbursed}) plus out of pocket (${c.outOfPocket}) must equal the total cost (${c.totalCost})`);
  }
}

export class HealthWriteService {
  static async createMedicalAssistanceClaim(ctx: RequestContext, personId: string, input: CreateMedicalAssistanceClaimInput): Promise<MedicalAssistanceClaimNode> {
    const id = await mutate(ctx, { action: 'create', entity: CLAIM.entity, entityId: null, fields: Object.keys(input) }, async (tx) => {
      const anchor = await personAnchor(ctx, tx, personId);
      assertDateWithin(ctx, input.claimDate, 'input.claimDate');
      checkClaimSum(input);
      const newId = await insertRow(tx, CLAIM.table, {
        household_id: anchor.householdId, person_id: personId, county_code: anchor.countyCode, claim_date: input.claimDate,
        total_cost: input.totalCost, reimbursed: input.reimbursed, out_of_pocket: input.outOfPocket,
      });
      return { result: newId, entityId: newId, regionCode: anchor.villageCode };
    });
    return readBack(ctx, medicalAssistanceClaimById, id, CLAIM.entity);
  }

  static async updateMedicalAssistanceClaim(
    ctx: RequestContext, id: string, version: number, patch: UpdateMedicalAssistanceClaimInput,
  ): Promise<MedicalAssistanceClaimNode> {
    await mutate(ctx, { action: 'update', entity: CLAIM.entity, entityId: id, fields: Object.keys(definedOnly({ ...patch })) }, async (tx) => {
      assertPatch(patch);
      assertDateWithin(ctx, patch.claimDate, 'input.claimDate');
      const set = definedOnly({ claim_date: patch.claimDate, total_cost: patch.totalCost, reimbursed: patch.reimbursed, out_of_pocket: patch.outOfPocket });
      const { after, villageCode } = await patchVersioned<{ totalCost: number; reimbursed: number; outOfPocket: number }>(
        ctx, tx, { ...CLAIM, id, version }, set,
        'f.total_cost::float8 AS "totalCost", f.reimbursed::float8 AS reimbursed, f.out_of_pocket::float8 AS "outOfPocket"',
      );
      checkClaimSum(after);
      return { result: id, entityId: id, regionCode: villageCode };
    });
    return readBack(ctx, medicalAssistanceClaimById, id, CLAIM.entity);
  }
}
