import type { RequestContext } from '../../core/context';
import { badInput } from '../../core/errors';
import { Department } from '../../core/vocab';
import { assertYearWithin, readBack, uniqueOr } from '../../core/write-checks';
import { householdAnchor, insertRow, mutate, updateVersioned } from '../../core/writes';
import { assertNoPersonalDetails } from './personal-details';
import { supportPlanById } from './support-plan.loaders';
import type { CreateSupportPlanInput, SupportPlanNode, UpdateSupportPlanInput } from './support-plan.types';

// Writes of 帮扶计划 support plans: 扶贫办 the poverty office and coordinators, through the write pipeline.

const OWNER = Department.POVERTY_OFFICE;
const PLAN_AHEAD_YEARS = 1;

export class SupportPlanService {
  static async create(ctx: RequestContext, householdId: string, input: CreateSupportPlanInput): Promise<SupportPlanNode> {
    const id = await mutate(ctx, { department: OWNER, action: 'create', entity: 'SupportPlan', entityId: null, fields: Object.keys(input) }, async (tx) => {
      const anchor = await householdAnchor(ctx, tx, householdId);
      assertYearWithin(ctx, input.year, 'input.year', PLAN_AHEAD_YEARS);
      assertNoPersonalDetails('input.goal', input.goal);
      const newId = await uniqueOr(
        insertRow(tx, 'support_plan', { household_id: householdId, county_code: anchor.countyCode, year: input.year, goal: input.goal.trim() }),
        () => badInput('input.year', `the household already has a support plan for ${input.year}: change that one`),
      );
      return { result: newId, entityId: newId, regionCode: anchor.villageCode, householdId };
    });
    return readBack(ctx, supportPlanById, id, 'SupportPlan');
  }

  static async update(ctx: RequestContext, id: string, version: number, input: UpdateSupportPlanInput): Promise<SupportPlanNode> {
    await mutate(ctx, { department: OWNER, action: 'update', entity: 'SupportPlan', entityId: id, fields: ['goal'] }, async (tx) => {
      assertNoPersonalDetails('input.goal', input.goal);
      const { householdId, villageCode } = await updateVersioned(ctx, tx, { table: 'support_plan', entity: 'SupportPlan', id, version }, { goal: input.goal.trim() });
      return { result: id, entityId: id, regionCode: villageCode, householdId };
    });
    return readBack(ctx, supportPlanById, id, 'SupportPlan');
  }
}
