import { badInput } from '../../core/errors';
import { prefixRange, regionPredicate, type Scope } from '../../core/scope';
import {
  DIMENSIONS, GRAIN_NAMES, GRAINS, grainsOf, MAX_DIMENSIONS, MAX_REPORT_ROWS, METRICS, type Grain, ReportDimension, ReportMetric,
} from './report-catalog';

// A report definition becomes ONE SQL statement: per grain asked, the fact rows inside the
// caller's scope (the region predicate is inside each branch) are grouped by the full set of
// dimensions; the branches are stacked (UNION ALL) and grouped again by every subset of the
// dimensions (GROUPING SETS: detail rows, every subtotal and the grand total), and region
// names are joined last. Every fact column is a sum, so grouping twice gives the same figures
// as grouping the fact rows once, and ratios are divided after the last grouping.

/** Filter values a report may be cut by: each (but regionCode) is a dimension's values. */
export interface ReportFilterValues {
  /** Only this region (a division code) inside the caller's scope. */
  regionCode?: string | null;
  statuses?: string[] | null;
  mainCauses?: string[] | null;
  measureKinds?: string[] | null;
  departments?: string[] | null;
  years?: number[] | null;
  housingGrades?: string[] | null;
  ageBands?: string[] | null;
  genders?: string[] | null;
  labourAbilities?: string[] | null;
  schoolingStages?: string[] | null;
}

/** The filter fields and the dimension whose values each one lists. */
export const FILTER_DIMENSIONS: Record<Exclude<keyof ReportFilterValues, 'regionCode'>, ReportDimension> = {
  statuses: ReportDimension.STATUS,
  mainCauses: ReportDimension.MAIN_CAUSE,
  measureKinds: ReportDimension.MEASURE_KIND,
  departments: ReportDimension.DEPARTMENT,
  years: ReportDimension.YEAR,
  housingGrades: ReportDimension.HOUSING_GRADE,
  ageBands: ReportDimension.AGE_BAND,
  genders: ReportDimension.GENDER,
  labourAbilities: ReportDimension.LABOUR_ABILITY,
  schoolingStages: ReportDimension.SCHOOLING_STAGE,
};

/** What a report asks: its dimensions, metrics and filter (a saved report stores exactly this). */
export interface ReportDefinition {
  dimensions: ReportDimension[];
  metrics: ReportMetric[];
  filter?: ReportFilterValues | null;
}

const MAX_METRICS = 24;

/** Refuses a definition outside the catalog's rules, naming what is wrong. */
export function checkDefinition(def: ReportDefinition): void {
  const { dimensions, metrics } = def;
  if (dimensions.length > MAX_DIMENSIONS) throw badInput('dimensions', `at most ${MAX_DIMENSIONS} dimensions per report (asked: ${dimensions.length})`);
  if (new Set(dimensions).size !== dimensions.length) throw badInput('dimensions', 'a dimension is listed twice');
  if (dimensions.filter((d) => DIMENSIONS[d].regionLength !== undefined).length > 1) throw badInput('dimensions', 'at most one region level per report');
  if (!metrics.length) throw badInput('metrics', 'ask for at least one metric');
  if (metrics.length > MAX_METRICS) throw badInput('metrics', `at most ${MAX_METRICS} metrics per report`);
  if (new Set(metrics).size !== metrics.length) throw badInput('metrics', 'a metric is listed twice');
  const incompatible = (d: ReportDimension, field: string) => {
    for (const m of metrics) {
      const grain = METRICS[m].grain;
      if (DIMENSIONS[d].on[grain] === undefined) {
        throw badInput(field, `${d} does not combine with ${m}: ${m} counts ${GRAIN_NAMES[grain]}, and ${d} exists only on ${grainsOf(d).map((g) => GRAIN_NAMES[g]).join(', ')}`);
      }
    }
  };
  for (const d of dimensions) incompatible(d, 'dimensions');
  const filter = def.filter ?? {};
  for (const [key, d] of Object.entries(FILTER_DIMENSIONS) as Array<[keyof typeof FILTER_DIMENSIONS, ReportDimension]>) {
    const values = filter[key];
    if (values == null) continue;
    if (!values.length) throw badInput(`filter.${key}`, 'an empty list matches nothing: leave the filter out instead');
    incompatible(d, `filter.${key}`);
  }
}

/** One statement and its parameters. */
export interface ReportStatement {
  text: string;
  params: unknown[];
}

/** The fact rows of each grain: FROM, and the conditions every report puts on them. */
function factSource(grain: Grain, needs: { household: boolean; housing: boolean }): { from: string; scopeColumns: string[]; where: string[] } {
  const latestGrade = needs.housing
    ? ` LEFT JOIN LATERAL (SELECT a.grade FROM housing_appraisal a WHERE a.household_id = h.id AND a.appraised_on <= $1::date
          ORDER BY a.appraised_on DESC, a.id DESC LIMIT 1) lg ON TRUE`
    : '';
  switch (grain) {
    case 'household':
      return { from: `household h${latestGrade}`, scopeColumns: ['h.village_code'], where: [] };
    case 'person': {
      // The household's scope too, when joined: the join then hashes the region's households only.
      const joined = needs.household || needs.housing;
      return {
        from: `person p${joined ? ` JOIN household h ON h.id = p.household_id${latestGrade}` : ''}`,
        scopeColumns: joined ? ['p.village_code', 'h.village_code'] : ['p.village_code'],
        where: [],
      };
    }
    case 'measure':
      // Measures of the years up to asOf's year.
      return { from: 'measure m JOIN household h ON h.id = m.household_id', scopeColumns: ['h.village_code'], where: ['m.year <= extract(year FROM $1::date)::int'] };
    case 'fund':
      // Allocations made on or before asOf, placed by their project's region.
      return { from: 'fund_allocation fa JOIN project pr ON pr.id = fa.project_id', scopeColumns: ['pr.region_code'], where: ['fa.allocated_on <= $1::date'] };
  }
}

/** The SQL of a dimension on a grain (region dimensions cut to their level and padded to 12 digits). */
function dimensionSql(d: ReportDimension, grain: Grain): string {
  const spec = DIMENSIONS[d];
  let expr = spec.on[grain] as string;
  // On persons the village is the person's own column: no join to households for it.
  if (spec.regionLength !== undefined && grain === 'person') expr = 'p.village_code';
  return spec.regionLength === undefined ? expr : `rpad(left(${expr}, ${spec.regionLength}), 12, '0')`;
}

/**
 * The statement for `def` (checked) inside `scope`, on `asOf`. Output columns: g0… (1 where the
 * row is a total over dimension i), d0… (dimension values as text), region_name, m0… (metrics).
 * It returns at most `maxRows` rows (MAX_REPORT_ROWS + 1, so that the caller can refuse a larger
 * report); the aggregate catalog's releases (modules/aggregates), computed once and never for a
 * caller, ask for every row (null).
 */
export function reportStatement(def: ReportDefinition, scope: Scope, asOf: string, maxRows: number | null = MAX_REPORT_ROWS + 1): ReportStatement {
  const params: unknown[] = [asOf];
  const add = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const dims = def.dimensions;
  const filter = def.filter ?? {};
  const grains = GRAINS.filter((g) => def.metrics.some((m) => METRICS[m].grain === g));

  // Fact columns, each computed on its own grain's rows and NULL on the others'.
  const columns = new Map<string, { grain: Grain; sql: string }>();
  for (const m of def.metrics) for (const [name, sql] of Object.entries(METRICS[m].columns)) columns.set(name, { grain: METRICS[m].grain, sql });

  // The scope (narrowed by filter.regionCode) as one parameter every branch shares.
  const probe = regionPredicate(scope, 'x', 0, filter.regionCode ?? '');
  const prefixParam = probe.params.length ? add(probe.params[0]) : null;
  const filterValues = (Object.entries(FILTER_DIMENSIONS) as Array<[keyof typeof FILTER_DIMENSIONS, ReportDimension]>)
    .filter(([key]) => filter[key] != null)
    .map(([key, d]) => ({ d, param: add((filter[key] as Array<string | number>).map(String)) }));

  // Persons broken down by household facts only (region, status, cause, housing…) are counted on
  // the household branch, per household through the person table's household index, rather than
  // joined row by row: the same sums, about a third faster at province scale (bench:report).
  const cutBy = [...dims, ...filterValues.map((f) => f.d)];
  const foldPersons = grains.includes('person') && cutBy.every((d) => !/\bp\./.test(DIMENSIONS[d].on.person ?? ''));
  const branchGrains = foldPersons ? [...new Set(grains.map((g): Grain => (g === 'person' ? 'household' : g)))] : grains;
  const columnSql = (grain: Grain, c: { grain: Grain; sql: string }): string | null => {
    if (c.grain === grain) return `sum(${c.sql})`;
    if (foldPersons && grain === 'household' && c.grain === 'person') {
      return `sum((SELECT ${c.sql === '1' ? 'count(*)' : `sum(${c.sql})`} FROM person p WHERE p.household_id = h.id))`;
    }
    return null;
  };

  const branches = branchGrains.map((grain) => {
    const dimSql = dims.map((d) => dimensionSql(d, grain));
    const filterSql = filterValues.map(({ d, param }) => `${dimensionSql(d, grain)} = ANY(${param}::text[])`);
    const colSql = [...columns].map(([, c]) => columnSql(grain, c)).filter((c): c is string => c !== null);
    const used = [...dimSql, ...filterSql].join(' ');
    const source = factSource(grain, { household: /\bh\./.test(used) || colSql.some((c) => /\bh\./.test(c)), housing: /\blg\./.test([used, ...colSql].join(' ')) });
    const where = [...source.where, ...filterSql];
    if (probe.sql === 'FALSE') where.push('FALSE');
    else if (prefixParam) for (const column of source.scopeColumns) where.push(prefixRange(column, prefixParam));
    const select = [
      ...dimSql.map((s, i) => `${s} AS d${i}`),
      ...[...columns].map(([name, c]) => `${columnSql(grain, c) ?? 'NULL'}::numeric AS ${name}`),
    ];
    return `SELECT ${select.join(', ')} FROM ${source.from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}${dims.length ? ` GROUP BY ${dims.map((_, i) => i + 1).join(', ')}` : ''}`;
  });

  const dimCols = dims.map((_, i) => `d${i}`);
  const subsets: string[] = [];
  for (let mask = (1 << dims.length) - 1; mask >= 0; mask--) subsets.push(`(${dimCols.filter((_, i) => mask & (1 << i)).join(', ')})`);
  const metricSql = def.metrics.map((m, i) => {
    const spec = METRICS[m];
    return `${spec.ratio ? spec.aggregate : `coalesce(${spec.aggregate}, 0)`} AS m${i}`;
  });
  const grouping = dimCols.map((c, i) => `GROUPING(${c}) AS g${i}`);
  const regionIndex = dims.findIndex((d) => DIMENSIONS[d].regionLength !== undefined);
  const order = dimCols.flatMap((c, i) => [`a.g${i}`, `a.${c}`]);
  const text = `WITH facts AS (${branches.join(' UNION ALL ')}),
    agg AS (SELECT ${[...grouping, ...dimCols, ...metricSql].join(', ')} FROM facts${dims.length ? ` GROUP BY GROUPING SETS (${subsets.join(', ')})` : ''})
    SELECT a.*, ${regionIndex >= 0 ? 'r.name' : 'NULL::text'} AS region_name, $1::date AS as_of FROM agg a
    ${regionIndex >= 0 ? `LEFT JOIN region r ON r.code = a.d${regionIndex}` : ''}
    ${order.length ? `ORDER BY ${order.join(', ')}` : ''}${maxRows === null ? '' : ` LIMIT ${maxRows}`}`;
  // The catalog writes the reference date as $asOf; it is always the first parameter.
  return { text: text.replace(/\$asOf\b/g, '$1'), params };
}
