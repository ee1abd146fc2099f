import { registerEnumType } from 'type-graphql';
import { AgeBand, bandOf } from '../registry';
import { WorkStatus } from '../../core/vocab';

// The fixed set of report dimensions and metrics (统计报表口径), declared once: the GraphQL
// enums, the compatibility table, the SQL each one becomes and the CSV headers all derive from
// the declarations below. A metric is counted over one grain (口径单位) of fact rows —
// households, persons, measures or fund allocations — and a dimension exists only on the grains
// that carry it (a measure kind on measures and funds, an age band on persons). A report asks
// for metrics of one or more grains and dimensions every one of those grains carries.
//
// No dimension or metric reads an identifier: no ID number, name, household number, date of
// birth or exact age ever enters a report's SELECT list (tests/e2e/reports.test.ts searches the
// answers for every one of them).

/** 统计单位 the grain a metric counts. */
export type Grain = 'household' | 'person' | 'measure' | 'fund';

export const GRAINS: readonly Grain[] = ['household', 'person', 'measure', 'fund'];

export const GRAIN_NAMES: Record<Grain, string> = {
  household: '户 households', person: '人 persons', measure: '帮扶措施 measures', fund: '资金拨付 fund allocations',
};

/** 报表维度 a dimension a report may break its figures down by (at most 3 per report). */
export enum ReportDimension {
  REGION_PROVINCE = 'REGION_PROVINCE',
  REGION_CITY = 'REGION_CITY',
  REGION_COUNTY = 'REGION_COUNTY',
  REGION_TOWNSHIP = 'REGION_TOWNSHIP',
  REGION_VILLAGE = 'REGION_VILLAGE',
  STATUS = 'STATUS',
  MAIN_CAUSE = 'MAIN_CAUSE',
  MEASURE_KIND = 'MEASURE_KIND',
  DEPARTMENT = 'DEPARTMENT',
  YEAR = 'YEAR',
  HOUSING_GRADE = 'HOUSING_GRADE',
  AGE_BAND = 'AGE_BAND',
  GENDER = 'GENDER',
  LABOUR_ABILITY = 'LABOUR_ABILITY',
  SCHOOLING_STAGE = 'SCHOOLING_STAGE',
}

/** 报表指标 a metric a report computes. */
export enum ReportMetric {
  HOUSEHOLDS = 'HOUSEHOLDS',
  PERSONS = 'PERSONS',
  DIBAO_HOUSEHOLDS = 'DIBAO_HOUSEHOLDS',
  DIBAO_COVERAGE = 'DIBAO_COVERAGE',
  DIBAO_MONTHLY_AMOUNT = 'DIBAO_MONTHLY_AMOUNT',
  INSURED_PERSONS = 'INSURED_PERSONS',
  INSURANCE_COVERAGE = 'INSURANCE_COVERAGE',
  SCHOOL_AGE_CHILDREN = 'SCHOOL_AGE_CHILDREN',
  ENROLLED_CHILDREN = 'ENROLLED_CHILDREN',
  ENROLMENT_RATE = 'ENROLMENT_RATE',
  MEASURES = 'MEASURES',
  MEASURES_PLANNED = 'MEASURES_PLANNED',
  MEASURES_UNDERWAY = 'MEASURES_UNDERWAY',
  MEASURES_COMPLETED = 'MEASURES_COMPLETED',
  MEASURES_CANCELLED = 'MEASURES_CANCELLED',
  MEASURE_AMOUNT = 'MEASURE_AMOUNT',
  MEASURE_AMOUNT_PLANNED = 'MEASURE_AMOUNT_PLANNED',
  MEASURE_AMOUNT_UNDERWAY = 'MEASURE_AMOUNT_UNDERWAY',
  MEASURE_AMOUNT_COMPLETED = 'MEASURE_AMOUNT_COMPLETED',
  MEASURE_AMOUNT_CANCELLED = 'MEASURE_AMOUNT_CANCELLED',
  FUND_ALLOCATED = 'FUND_ALLOCATED',
  FUND_ANNOUNCED = 'FUND_ANNOUNCED',
}

/** Where a dimension's value comes from, per grain (SQL over the grain's aliases, see report-sql.ts). */
export interface DimensionSpec {
  zh: string;
  en: string;
  /** The GraphQL field of ReportRow that carries the value. */
  field: 'region' | 'status' | 'mainCause' | 'measureKind' | 'department' | 'year' | 'housingGrade' | 'ageBand' | 'gender' | 'labourAbility' | 'schoolingStage';
  /** Region dimensions: the prefix length of the level. */
  regionLength?: number;
  /** The SQL expression on each grain that carries it (text). */
  on: Partial<Record<Grain, string>>;
  /** What it means on each grain, where that differs (documentation and errors). */
  note?: string;
}

// The age reached in asOf's year (year of birth only, as age-band.ts bands ages): a band never
// turns on a birthday, so moving asOf day by day tells nothing finer than the year of birth.
const YEAR_AGE = `(extract(year FROM $asOf::date)::int - extract(year FROM p.birth_date)::int)`;

/** The SQL CASE of age-band.ts's bands, derived from `bandOf` itself so the two cannot drift. */
function ageBandCase(): string {
  const starts: Array<[number, AgeBand]> = [];
  for (let age = 0; age <= 130; age++) {
    const band = bandOf(age);
    if (!starts.length || starts[starts.length - 1][1] !== band) starts.push([age, band]);
  }
  const whens = starts.slice(1).reverse().map(([start, band]) => `WHEN ${YEAR_AGE} >= ${start} THEN '${band}'`);
  return `CASE ${whens.join(' ')} ELSE '${starts[0][1]}' END`;
}

// The latest housing appraisal of the household on or before asOf (joined as `lg` where used).
const HOUSING_GRADE = 'lg.grade::text';

const region = (zh: string, en: string, length: number): DimensionSpec => ({
  zh, en, field: 'region', regionLength: length,
  on: { household: 'h.village_code', person: 'h.village_code', measure: 'h.village_code', fund: 'pr.region_code' },
  note: 'the household\'s village; for funds, the project\'s region (a project above this level counts under a padded code with no name)',
});

export const DIMENSIONS: Record<ReportDimension, DimensionSpec> = {
  [ReportDimension.REGION_PROVINCE]: region('省', 'province', 2),
  [ReportDimension.REGION_CITY]: region('市/州', 'prefecture', 4),
  [ReportDimension.REGION_COUNTY]: region('县/区', 'county', 6),
  [ReportDimension.REGION_TOWNSHIP]: region('乡/镇', 'township', 9),
  [ReportDimension.REGION_VILLAGE]: region('村', 'village', 12),
  [ReportDimension.STATUS]: {
    zh: '识别状态', en: 'registration status', field: 'status',
    on: { household: 'h.status::text', person: 'h.status::text', measure: 'h.status::text' },
  },
  [ReportDimension.MAIN_CAUSE]: {
    zh: '主要致贫原因', en: 'main poverty cause', field: 'mainCause',
    on: { household: 'h.main_cause', person: 'h.main_cause', measure: 'h.main_cause' },
  },
  [ReportDimension.MEASURE_KIND]: {
    zh: '帮扶措施类型', en: 'measure kind', field: 'measureKind',
    on: { measure: 'm.kind::text', fund: 'pr.kind::text' },
    note: 'the measure\'s kind; for funds, the kind of the project funded',
  },
  [ReportDimension.DEPARTMENT]: {
    zh: '部门', en: 'department', field: 'department',
    on: { measure: 'm.department::text' },
    note: 'the department carrying out the measure',
  },
  [ReportDimension.YEAR]: {
    zh: '年度', en: 'year', field: 'year',
    on: { household: 'h.identification_year::text', person: 'h.identification_year::text', measure: 'm.year::text', fund: 'pr.year::text' },
    note: 'households and persons: the household\'s identification year (识别年度); measures: the measure\'s year; funds: the project\'s year',
  },
  [ReportDimension.HOUSING_GRADE]: {
    zh: '住房安全等级', en: 'housing grade', field: 'housingGrade',
    on: { household: HOUSING_GRADE, person: HOUSING_GRADE },
    note: 'the household\'s latest appraisal on or before asOf; none when never appraised',
  },
  [ReportDimension.AGE_BAND]: {
    zh: '年龄段', en: 'age band', field: 'ageBand', on: { person: ageBandCase() },
    note: 'by year of birth in asOf\'s year, as the registry bands ages; never an exact age',
  },
  [ReportDimension.GENDER]: { zh: '性别', en: 'gender', field: 'gender', on: { person: 'p.gender::text' } },
  [ReportDimension.LABOUR_ABILITY]: { zh: '劳动能力', en: 'labour ability', field: 'labourAbility', on: { person: 'p.labour_ability::text' } },
  [ReportDimension.SCHOOLING_STAGE]: { zh: '在校生状况', en: 'schooling stage', field: 'schoolingStage', on: { person: 'p.schooling_stage::text' } },
};

/** A metric: the fact columns it needs on its grain and the aggregate over them. */
export interface MetricSpec {
  zh: string;
  en: string;
  grain: Grain;
  /** Fact columns (name → SQL on the grain's row), summed or divided by `aggregate`. */
  columns: Record<string, string>;
  /** The aggregate over the fact rows (float8). */
  aggregate: string;
  /** A share 0–1 (null when its denominator is 0) rather than a count or an amount. */
  ratio?: boolean;
}

const sum = (c: string) => `sum(${c})::float8`;
const share = (num: string, den: string) => `(sum(${num})::float8 / nullif(sum(${den}), 0))`;

// 低保 enrolments active on asOf (as RegionSummary.dibaoHouseholds counts them).
const DIBAO_ACTIVE = `d.status = 'active' AND d.start_date <= $asOf::date AND (d.end_date IS NULL OR d.end_date >= $asOf::date)`;
const HH_DIBAO = `(CASE WHEN EXISTS (SELECT 1 FROM dibao_enrolment d WHERE d.household_id = h.id AND ${DIBAO_ACTIVE}) THEN 1 ELSE 0 END)`;
const HH_DIBAO_AMOUNT = `coalesce((SELECT sum(d.monthly_amount) FROM dibao_enrolment d WHERE d.household_id = h.id AND ${DIBAO_ACTIVE}), 0)`;
// Insured in asOf's insurance year (参保年度).
const P_INSURED = `(CASE WHEN EXISTS (SELECT 1 FROM insurance_enrolment i WHERE i.person_id = p.id AND i.year = extract(year FROM $asOf::date)::int) THEN 1 ELSE 0 END)`;
// Compulsory-school age (义务教育 6–15) by year of birth in asOf's year; enrolled in the school
// year under way on asOf (学年: from 1 September, 2024 = 2024–25).
const P_SCHOOL_AGE = `(CASE WHEN ${YEAR_AGE} BETWEEN 6 AND 15 THEN 1 ELSE 0 END)`;
const SCHOOL_YEAR = `(extract(year FROM $asOf::date)::int - CASE WHEN extract(month FROM $asOf::date) < 9 THEN 1 ELSE 0 END)`;
const P_ENROLLED = `(CASE WHEN ${YEAR_AGE} BETWEEN 6 AND 15 AND EXISTS (SELECT 1 FROM school_enrolment se WHERE se.person_id = p.id AND se.status = 'enrolled' AND se.school_year = ${SCHOOL_YEAR}) THEN 1 ELSE 0 END)`;

const STATUS_ZH: Record<WorkStatus, string> = {
  [WorkStatus.PLANNED]: '计划', [WorkStatus.UNDERWAY]: '实施中', [WorkStatus.COMPLETED]: '已完成', [WorkStatus.CANCELLED]: '已取消',
};
const measureBy = (status: WorkStatus, amount: boolean): MetricSpec => ({
  zh: amount ? `措施金额（${STATUS_ZH[status]}）` : `措施数（${STATUS_ZH[status]}）`,
  en: amount ? `measure amount, ${status}` : `measures, ${status}`,
  grain: 'measure',
  columns: { [`m_${amount ? 'amt' : 'n'}_${status}`]: `(CASE WHEN m.status = '${status}' THEN ${amount ? 'm.amount' : '1'} ELSE 0 END)` },
  aggregate: sum(`m_${amount ? 'amt' : 'n'}_${status}`),
});

export const METRICS: Record<ReportMetric, MetricSpec> = {
  [ReportMetric.HOUSEHOLDS]: { zh: '户数', en: 'households', grain: 'household', columns: { hh_n: '1' }, aggregate: sum('hh_n') },
  [ReportMetric.PERSONS]: { zh: '人数', en: 'persons', grain: 'person', columns: { p_n: '1' }, aggregate: sum('p_n') },
  [ReportMetric.DIBAO_HOUSEHOLDS]: {
    zh: '低保户数', en: '低保 households (active enrolment on asOf)', grain: 'household', columns: { hh_dibao: HH_DIBAO }, aggregate: sum('hh_dibao'),
  },
  [ReportMetric.DIBAO_COVERAGE]: {
    zh: '低保覆盖率', en: '低保 coverage (share of households)', grain: 'household', columns: { hh_n: '1', hh_dibao: HH_DIBAO },
    aggregate: share('hh_dibao', 'hh_n'), ratio: true,
  },
  [ReportMetric.DIBAO_MONTHLY_AMOUNT]: {
    zh: '低保月发放金额', en: '低保 monthly amount (yuan, active on asOf)', grain: 'household', columns: { hh_dibao_amt: HH_DIBAO_AMOUNT },
    aggregate: sum('hh_dibao_amt'),
  },
  [ReportMetric.INSURED_PERSONS]: {
    zh: '参保人数', en: 'persons insured in asOf\'s year', grain: 'person', columns: { p_insured: P_INSURED }, aggregate: sum('p_insured'),
  },
  [ReportMetric.INSURANCE_COVERAGE]: {
    zh: '参保率', en: 'insurance coverage (insured / persons)', grain: 'person', columns: { p_n: '1', p_insured: P_INSURED },
    aggregate: share('p_insured', 'p_n'), ratio: true,
  },
  [ReportMetric.SCHOOL_AGE_CHILDREN]: {
    zh: '义务教育阶段适龄儿童数', en: 'children aged 6–15', grain: 'person', columns: { p_school_age: P_SCHOOL_AGE }, aggregate: sum('p_school_age'),
  },
  [ReportMetric.ENROLLED_CHILDREN]: {
    zh: '在校适龄儿童数', en: 'children aged 6–15 enrolled', grain: 'person', columns: { p_enrolled: P_ENROLLED }, aggregate: sum('p_enrolled'),
  },
  [ReportMetric.ENROLMENT_RATE]: {
    zh: '义务教育入学率', en: 'enrolment rate among 6–15-year-olds', grain: 'person', columns: { p_school_age: P_SCHOOL_AGE, p_enrolled: P_ENROLLED },
    aggregate: share('p_enrolled', 'p_school_age'), ratio: true,
  },
  [ReportMetric.MEASURES]: { zh: '措施数', en: 'measures', grain: 'measure', columns: { m_n: '1' }, aggregate: sum('m_n') },
  [ReportMetric.MEASURES_PLANNED]: measureBy(WorkStatus.PLANNED, false),
  [ReportMetric.MEASURES_UNDERWAY]: measureBy(WorkStatus.UNDERWAY, false),
  [ReportMetric.MEASURES_COMPLETED]: measureBy(WorkStatus.COMPLETED, false),
  [ReportMetric.MEASURES_CANCELLED]: measureBy(WorkStatus.CANCELLED, false),
  [ReportMetric.MEASURE_AMOUNT]: { zh: '措施金额', en: 'measure amount (yuan)', grain: 'measure', columns: { m_amt: 'm.amount' }, aggregate: sum('m_amt') },
  [ReportMetric.MEASURE_AMOUNT_PLANNED]: measureBy(WorkStatus.PLANNED, true),
  [ReportMetric.MEASURE_AMOUNT_UNDERWAY]: measureBy(WorkStatus.UNDERWAY, true),
  [ReportMetric.MEASURE_AMOUNT_COMPLETED]: measureBy(WorkStatus.COMPLETED, true),
  [ReportMetric.MEASURE_AMOUNT_CANCELLED]: measureBy(WorkStatus.CANCELLED, true),
  [ReportMetric.FUND_ALLOCATED]: {
    zh: '拨付资金', en: 'funds allocated (yuan, on or before asOf)', grain: 'fund', columns: { f_amt: 'fa.amount' }, aggregate: sum('f_amt'),
  },
  [ReportMetric.FUND_ANNOUNCED]: {
    zh: '已公告资金', en: 'funds announced (公告公示, yuan, on or before asOf)', grain: 'fund',
    columns: { f_announced: `(CASE WHEN fa.announced_on <= $asOf::date THEN fa.amount ELSE 0 END)` }, aggregate: sum('f_announced'),
  },
};

/** Dimensions per report, at most. */
export const MAX_DIMENSIONS = 3;
/** Rows per report (subtotals and the grand total included), at most. */
export const MAX_REPORT_ROWS = 10_000;

/** The grains a dimension exists on. */
export const grainsOf = (d: ReportDimension): Grain[] => GRAINS.filter((g) => DIMENSIONS[d].on[g] !== undefined);

const dimensionDescription = (d: ReportDimension) => {
  const spec = DIMENSIONS[d];
  return `${spec.zh} ${spec.en}. Grains: ${grainsOf(d).join(', ')}${spec.note ? `; ${spec.note}` : ''}.`;
};

registerEnumType(ReportDimension, {
  name: 'ReportDimension',
  description:
    '报表维度 a dimension a report breaks its figures down by (at most 3). A dimension exists only on some grains (户 household, 人 person, 措施 measure, 资金 fund); ' +
    'every metric asked must be of a grain that carries every dimension asked (README "Reports").',
  valuesConfig: Object.fromEntries(Object.values(ReportDimension).map((d) => [d, { description: dimensionDescription(d) }])),
});

registerEnumType(ReportMetric, {
  name: 'ReportMetric',
  description: '报表指标 a metric a report computes, counted over one grain (household, person, measure or fund).',
  valuesConfig: Object.fromEntries(
    Object.values(ReportMetric).map((m) => [m, { description: `${METRICS[m].zh} ${METRICS[m].en}. Grain: ${METRICS[m].grain}${METRICS[m].ratio ? '; a share 0–1, null when its denominator is 0' : ''}.` }]),
  ),
});
