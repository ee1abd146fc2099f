import DataLoader from 'dataloader';
import type { RequestContext } from '../../core/context';
import { badInput } from '../../core/errors';
import { groupBy } from '../../core/loaders';
import { asOf, TARGET_CTES, type AsOf } from './coordination.engine';
import { ruleByCode, RuleCode } from './coordination.rules';
import type { ExitBlockerNode } from './coordination.types';

// Exit readiness (两不愁三保障, issue 12 §3): a household may exit when its income is over the
// line and no 三保障 (compulsory education, basic medical care, safe housing) or safe-water
// rule fires for it, as of the year asked. The same rule SQL as the gaps, evaluated read-only
// for a batch of households in one statement (nothing stored), plus the income test.

/** Why a household is not ready to exit (退出障碍). */
export enum ExitBlockerReason {
  INCOME_BELOW_LINE = 'INCOME_BELOW_LINE',
  INCOME_NOT_RECORDED = 'INCOME_NOT_RECORDED',
  COMPULSORY_EDUCATION = 'COMPULSORY_EDUCATION',
  MEDICAL_INSURANCE = 'MEDICAL_INSURANCE',
  HOUSING_SAFETY = 'HOUSING_SAFETY',
  SAFE_WATER = 'SAFE_WATER',
}

const FROM_RULES = [RuleCode.COMPULSORY_EDUCATION, RuleCode.MEDICAL_INSURANCE, RuleCode.HOUSING_SAFETY, RuleCode.SAFE_WATER];

// $1 as-of date, $2 year, $3 school year, $4 household ids, $5 the caller's scope prefix.
const STATEMENT = `WITH ${TARGET_CTES}
  SELECT household_id::text AS "householdId", reason, person_id::text AS "personId", facts FROM (
    ${FROM_RULES.map((code) => `SELECT '${code}' AS reason, x.* FROM (${ruleByCode.get(code)!.sql}) x`).join('\n    UNION ALL ')}
    UNION ALL
    SELECT CASE WHEN i.income IS NULL THEN '${ExitBlockerReason.INCOME_NOT_RECORDED}' ELSE '${ExitBlockerReason.INCOME_BELOW_LINE}' END,
           t.id, NULL::bigint,
           jsonb_build_object('incomeYear', i.year, 'perCapitaIncome', i.income, 'povertyLine', t.poverty_line)
      FROM target t LEFT JOIN latest_income i ON i.household_id = t.id
     WHERE i.income IS NULL OR t.poverty_line IS NULL OR i.income < t.poverty_line
  ) b ORDER BY household_id, reason, person_id NULLS FIRST`;

/** The day a year is judged on: today for the current year, 31 December for a past one. */
export function exitAsOf(ctx: RequestContext, year: number): AsOf {
  const current = Number(ctx.today.slice(0, 4));
  if (!Number.isInteger(year) || year < 2010 || year > current) throw badInput('year', `must be a year from 2010 to ${current}`);
  return asOf(year === current ? ctx.today : `${year}-12-31`);
}

/** exitBlockersByHouseholdId(year): household id → every reason it may not exit that year. */
export function exitBlockersByHouseholdId(ctx: RequestContext, year: number): DataLoader<string, ExitBlockerNode[], string> {
  const on = exitAsOf(ctx, year);
  return ctx.loaders.keyed(`exitBlockersByHouseholdId:${on.date}`, () =>
    new DataLoader<string, ExitBlockerNode[], string>(async (ids) => {
      const rows = await ctx.db.query<ExitBlockerNode & { householdId: string }>(STATEMENT, [
        on.date, on.year, on.schoolYear, ids, ctx.scope.regionPrefix,
      ]);
      return groupBy(ids, rows, (r) => r.householdId);
    }, { maxBatchSize: 1000 }),
  );
}

/**
 * Every reason household `householdId` may not exit in `year`, read through `q` (a transaction,
 * so that a step that depends on it judges the facts it commits with), inside the caller's scope.
 */
export async function exitBlockersOf(ctx: RequestContext, q: { query(text: string, params?: unknown[]): Promise<unknown> }, year: number, householdId: string): Promise<ExitBlockerNode[]> {
  const on = exitAsOf(ctx, year);
  const rows = (await q.query(STATEMENT, [on.date, on.year, on.schoolYear, [householdId], ctx.scope.regionPrefix])) as Array<ExitBlockerNode & { householdId?: string }>;
  return rows.map(({ reason, personId, facts }) => ({ reason, personId, facts }));
}
