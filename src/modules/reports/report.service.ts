import type { RequestContext } from '../../core/context';
import { AppError, badInput } from '../../core/errors';
import { RegionLevel } from '../../core/vocab';
import { DIMENSIONS, MAX_REPORT_ROWS, METRICS, ReportDimension } from './report-catalog';
import { checkDefinition, reportStatement, type ReportDefinition } from './report-sql';
import type { Report, ReportRow } from './report.types';

const LEVEL_OF_LENGTH: Record<number, RegionLevel> = {
  2: RegionLevel.PROVINCE, 4: RegionLevel.CITY, 6: RegionLevel.COUNTY, 9: RegionLevel.TOWNSHIP, 12: RegionLevel.VILLAGE,
};

/** The reference date a report may be asked for: 1980 up to the end of next year. */
export function checkAsOf(ctx: RequestContext, asOf: string, field = 'asOf'): void {
  const latest = `${Number(ctx.today.slice(0, 4)) + 1}-12-31`;
  if (asOf < '1980-01-01' || asOf > latest) throw badInput(field, `must lie between 1980-01-01 and ${latest}`);
}

type RawRow = Record<string, string | number | null>;

/**
 * Runs a report for the caller: checks the definition, sends its one statement (scope inside)
 * and maps the rows. Unnamed statement: report texts vary with every combination asked, and
 * named ones would fill the connection's bounded set of prepared statements (core/db.ts).
 */
export async function runReport(ctx: RequestContext, def: ReportDefinition, asOf: string): Promise<Report> {
  checkDefinition(def);
  checkAsOf(ctx, asOf);
  const statement = reportStatement(def, ctx.scope, asOf);
  const raw = await ctx.db.query<RawRow>(statement.text, statement.params, '');
  if (raw.length > MAX_REPORT_ROWS) {
    throw new AppError('BAD_USER_INPUT', `the report has more than ${MAX_REPORT_ROWS} rows (subtotals included): choose a coarser region level, fewer dimensions or a filter`, {
      field: 'dimensions', maxRows: MAX_REPORT_ROWS,
    });
  }
  return { asOf, dimensions: def.dimensions, metrics: def.metrics, rows: raw.map((r) => toRow(def, r)) };
}

/** Copies one result row into a ReportRow field by field: nothing else reaches the answer. */
function toRow(def: ReportDefinition, r: RawRow): ReportRow {
  const row: ReportRow = {
    totalOver: [], grandTotal: false, region: null, status: null, mainCause: null, measureKind: null, department: null, year: null,
    housingGrade: null, ageBand: null, gender: null, labourAbility: null, schoolingStage: null, values: [],
  };
  def.dimensions.forEach((d: ReportDimension, i) => {
    if (Number(r[`g${i}`]) === 1) {
      row.totalOver.push(d);
      return;
    }
    const value = r[`d${i}`];
    if (value === null) return;
    const spec = DIMENSIONS[d];
    if (spec.regionLength !== undefined) {
      row.region = { code: String(value), name: (r.region_name as string | null) ?? null, level: LEVEL_OF_LENGTH[spec.regionLength] };
    } else if (spec.field === 'year') {
      row.year = Number(value);
    } else {
      (row as unknown as Record<string, unknown>)[spec.field] = value;
    }
  });
  row.grandTotal = row.totalOver.length === def.dimensions.length;
  row.values = def.metrics.map((metric, i) => {
    const v = r[`m${i}`];
    return { metric, value: v === null ? null : METRICS[metric].ratio ? Number(v) : Math.round(Number(v) * 100) / 100 };
  });
  return row;
}
