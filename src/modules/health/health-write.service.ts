import type { RequestContext } from '../../core/context';
import { Department } from '../../core/vocab';
import { badInput } from '../../core/errors';
import { assertDateWithin, assertPatch, assertYearWithin, fen, patchVersioned, readBack, uniqueOr } from '../../core/write-checks';
import { definedOnly, insertRow, mutate, personAnchor } from '../../core/writes';
import { insuranceEnrolmentById, medicalAssistanceClaimById } from './health.loaders';
import type {
  CreateInsuranceEnrolmentInput, CreateMedicalAssistanceClaimInput, UpdateInsuranceEnrolmentInput, UpdateMedicalAssistanceClaimInput,
} from './health.inputs';
import type { InsuranceEnrolmentNode, MedicalAssistanceClaimNode } from './health.types';

// Writes of 卫健/医保 health: yearly insurance enrolments and medical-assistance claims, each in
// one transaction with its audit record (core/writes.ts), only on persons inside the caller's
// scope.

const INSURANCE = { table: 'insurance_enrolment', entity: 'InsuranceEnrolment' } as const;
const CLAIM = { table: 'medical_assistance_claim', entity: 'MedicalAssistanceClaim' } as const;

const duplicateYear = () => badInput('input.year', 'the person already has an insurance enrolment for that year');

function checkSubsidy(premium: number, subsidy: number): void {
  if (fen(subsidy) > fen(premium)) throw badInput('input.subsidy', `must not exceed the premium (${premium})`);
}

function checkClaimSum(c: { totalCost: number; reimbursed: number; outOfPocket: number }): void {
  if (fen(c.reimbursed) + fen(c.outOfPocket) !== fen(c.totalCost)) {
    throw badInput('input.outOfPocket', `reimbursed (${c.reimbursed}) plus out of pocket (${c.outOfPocket}) must equal the total cost (${c.totalCost})`);
  }
}

/** Owner department of every record written here (change events). */
const OWNER = Department.HEALTH;

export class HealthWriteService {
  static async createInsuranceEnrolment(ctx: RequestContext, personId: string, input: CreateInsuranceEnrolmentInput): Promise<InsuranceEnrolmentNode> {
    const id = await mutate(ctx, { department: OWNER, action: 'create', entity: INSURANCE.entity, entityId: null, fields: Object.keys(input) }, async (tx) => {
      const anchor = await personAnchor(ctx, tx, personId);
      assertYearWithin(ctx, input.year, 'input.year', 1);
      checkSubsidy(input.premium, input.subsidy);
      const newId = await uniqueOr(insertRow(tx, INSURANCE.table, {
        household_id: anchor.householdId, person_id: personId, county_code: anchor.countyCode,
        year: input.year, scheme: input.scheme, premium: input.premium, subsidy: input.subsidy,
      }), duplicateYear);
      return { result: newId, entityId: newId, regionCode: anchor.villageCode, householdId: anchor.householdId, personId: anchor.personId };
    });
    return readBack(ctx, insuranceEnrolmentById, id, INSURANCE.entity);
  }

  static async updateInsuranceEnrolment(ctx: RequestContext, id: string, version: number, patch: UpdateInsuranceEnrolmentInput): Promise<InsuranceEnrolmentNode> {
    await mutate(ctx, { department: OWNER, action: 'update', entity: INSURANCE.entity, entityId: id, fields: Object.keys(definedOnly({ ...patch })) }, async (tx) => {
      assertPatch(patch);
      assertYearWithin(ctx, patch.year, 'input.year', 1);
      const set = definedOnly({ year: patch.year, scheme: patch.scheme, premium: patch.premium, subsidy: patch.subsidy });
      const { after, householdId, personId, villageCode } = await uniqueOr(
        patchVersioned<{ premium: number; subsidy: number }>(ctx, tx, { ...INSURANCE, id, version }, set,
          'f.premium::float8 AS premium, f.subsidy::float8 AS subsidy'),
        duplicateYear,
      );
      checkSubsidy(after.premium, after.subsidy);
      return { result: id, entityId: id, regionCode: villageCode, householdId, personId };
    });
    return readBack(ctx, insuranceEnrolmentById, id, INSURANCE.entity);
  }

  static async createMedicalAssistanceClaim(ctx: RequestContext, personId: string, input: CreateMedicalAssistanceClaimInput): Promise<MedicalAssistanceClaimNode> {
    const id = await mutate(ctx, { department: OWNER, action: 'create', entity: CLAIM.entity, entityId: null, fields: Object.keys(input) }, async (tx) => {
      const anchor = await personAnchor(ctx, tx, personId);
      assertDateWithin(ctx, input.claimDate, 'input.claimDate');
      checkClaimSum(input);
      const newId = await insertRow(tx, CLAIM.table, {
        household_id: anchor.householdId, person_id: personId, county_code: anchor.countyCode, claim_date: input.claimDate,
        total_cost: input.totalCost, reimbursed: input.reimbursed, out_of_pocket: input.outOfPocket,
      });
      return { result: newId, entityId: newId, regionCode: anchor.villageCode, householdId: anchor.householdId, personId: anchor.personId };
    });
    return readBack(ctx, medicalAssistanceClaimById, id, CLAIM.entity);
  }

  static async updateMedicalAssistanceClaim(
    ctx: RequestContext, id: string, version: number, patch: UpdateMedicalAssistanceClaimInput,
  ): Promise<MedicalAssistanceClaimNode> {
    await mutate(ctx, { department: OWNER, action: 'update', entity: CLAIM.entity, entityId: id, fields: Object.keys(definedOnly({ ...patch })) }, async (tx) => {
      assertPatch(patch);
      assertDateWithin(ctx, patch.claimDate, 'input.claimDate');
      const set = definedOnly({ claim_date: patch.claimDate, total_cost: patch.totalCost, reimbursed: patch.reimbursed, out_of_pocket: patch.outOfPocket });
      const { after, householdId, personId, villageCode } = await patchVersioned<{ totalCost: number; reimbursed: number; outOfPocket: number }>(
        ctx, tx, { ...CLAIM, id, version }, set,
        'f.total_cost::float8 AS "totalCost", f.reimbursed::float8 AS reimbursed, f.out_of_pocket::float8 AS "outOfPocket"',
      );
      checkClaimSum(after);
      return { result: id, entityId: id, regionCode: villageCode, householdId, personId };
    });
    return readBack(ctx, medicalAssistanceClaimById, id, CLAIM.entity);
  }
}
