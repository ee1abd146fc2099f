import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { RECORDED_AT } from './calendar';

// Rows go to PostgreSQL with COPY … FROM STDIN in text format, a few thousand households at a
// time: one statement per table per batch, parents before children so that every foreign key
// would hold when its statement ends (bulk-load.ts drops them for the big load and validates
// them once at the end). Ids are assigned here, in generation order, so that the same seed
// gives the same ids.

export type Cell = string | number | boolean | null;

interface TableSpec {
  /** Data columns, in the order rows list them. */
  columns: readonly string[];
  /** A bigint `id` the sink assigns (1, 2, …) and puts first. */
  id: boolean;
  /** `created_at`/`updated_at` columns the sink fills with the fixed RECORDED_AT. */
  stamps: boolean;
}

const spec = (columns: string[], id = true, stamps = true): TableSpec => ({ columns, id, stamps });
const PERSON_FACET = ['county_code', 'household_id', 'person_id'];
const HOUSEHOLD_FACET = ['county_code', 'household_id'];

/** Every table the seed writes, parents first (the order batches are copied in). */
export const TABLES = {
  region: spec(['code', 'name', 'level', 'parent_code'], false, false),
  village: spec(
    ['code', 'county_code', 'is_poverty_village', 'indicator_year', 'poverty_incidence', 'per_capita_income', 'collective_income',
      'broadband_mbps', 'has_water', 'has_electricity', 'has_road', 'has_safe_housing', 'has_network', 'has_sanitation'],
    false, false),
  cadre: spec(['county_code', 'name', 'unit', 'phone']),
  project: spec(['county_code', 'region_code', 'name', 'kind', 'year', 'budget', 'status', 'implementing_unit', 'start_date', 'end_date', 'beneficiary_households', 'fund_sources']),
  fund_allocation: spec(['county_code', 'project_id', 'source', 'amount', 'allocated_on', 'announced_on']),
  public_notice: spec(['county_code', 'project_id', 'fund_allocation_id', 'kind', 'region_code', 'project_name', 'project_kind', 'budget', 'amount',
    'allocated_total', 'fund_sources', 'implementing_unit', 'period_start', 'period_end', 'beneficiary_households', 'published_on']),
  household: spec(
    ['county_code', 'number', 'village_code', 'status', 'identification_year', 'identification_standard', 'main_cause',
      'has_water', 'has_electricity', 'has_road', 'has_safe_housing', 'has_network', 'has_sanitation']),
  household_income: spec(['household_id', 'year', 'county_code', 'per_capita_net_income'], false, false),
  household_secondary_cause: spec(['household_id', 'cause_code', 'county_code'], false, false),
  household_status_event: spec(['household_id', 'county_code', 'from_status', 'to_status', 'occurred_on', 'reason', 'recorded_at'], true, false),
  person: spec(
    ['county_code', 'household_id', 'village_code', 'relation', 'name', 'id_number', 'gender', 'birth_date', 'labour_ability',
      'health_category', 'disability_level', 'schooling_stage']),
  dibao_enrolment: spec([...HOUSEHOLD_FACET, 'category', 'monthly_amount', 'covered_persons', 'start_date', 'end_date', 'status']),
  extreme_poverty_support: spec([...PERSON_FACET, 'care_mode', 'monthly_amount', 'start_date', 'end_date']),
  temporary_assistance: spec([...HOUSEHOLD_FACET, 'paid_on', 'amount', 'reason']),
  left_behind_record: spec([...PERSON_FACET, 'kind', 'contact_person', 'start_date', 'end_date']),
  disability_subsidy: spec([...PERSON_FACET, 'kind', 'monthly_amount', 'start_date', 'end_date']),
  insurance_enrolment: spec([...PERSON_FACET, 'year', 'scheme', 'premium', 'subsidy']),
  health_condition: spec([...PERSON_FACET, 'kind', 'diagnosis', 'icd10_code', 'diagnosed_on']),
  medical_assistance_claim: spec([...PERSON_FACET, 'claim_date', 'total_cost', 'reimbursed', 'out_of_pocket']),
  family_doctor_contract: spec([...PERSON_FACET, 'doctor_name', 'clinic', 'start_date', 'end_date']),
  medical_assistance_cap: spec([...PERSON_FACET, 'year', 'cap_amount', 'used_amount']),
  school_enrolment: spec([...PERSON_FACET, 'school_year', 'stage', 'school_name', 'grade', 'status']),
  dropout_watch: spec([...PERSON_FACET, 'opened_on', 'reason', 'status', 'closed_on']),
  student_aid: spec([...PERSON_FACET, 'kind', 'school_year', 'amount']),
  yulu_training: spec([...PERSON_FACET, 'programme', 'start_date', 'end_date', 'subsidy', 'status']),
  housing_appraisal: spec([...HOUSEHOLD_FACET, 'grade', 'appraised_on', 'appraiser']),
  renovation_project: spec([...HOUSEHOLD_FACET, 'funding_department', 'subsidy_amount', 'status', 'start_date', 'completed_on']),
  relocation: spec([...HOUSEHOLD_FACET, 'destination_code', 'settlement_mode', 'planned_year', 'moved_on', 'subsidy_amount', 'status']),
  pairing: spec([...HOUSEHOLD_FACET, 'cadre_id', 'start_date', 'end_date']),
  cadre_visit: spec([...HOUSEHOLD_FACET, 'pairing_id', 'visited_on', 'kind', 'notes']),
  measure: spec([...HOUSEHOLD_FACET, 'kind', 'department', 'status', 'amount', 'year', 'description', 'village_code', 'utilities']),
  measure_beneficiary: spec(['measure_id', 'household_id', 'county_code'], false, false),
  support_plan: spec([...HOUSEHOLD_FACET, 'year', 'goal']),
} satisfies Record<string, TableSpec>;

export type TableName = keyof typeof TABLES;
export const TABLE_NAMES = Object.keys(TABLES) as TableName[];

/** Tables with a bigint id sequence to move past the seeded ids. */
export const SEQUENCED_TABLES = TABLE_NAMES.filter((t) => TABLES[t].id);

const STAMP_SUFFIX = `\t${RECORDED_AT}\t${RECORDED_AT}`;
const NEEDS_ESCAPE = /[\\\t\n\r]/;

function encode(cell: Cell): string {
  if (cell === null) return '\\N';
  if (typeof cell === 'boolean') return cell ? 't' : 'f';
  if (typeof cell === 'number') return String(cell);
  return NEEDS_ESCAPE.test(cell) ? cell.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!) : cell;
}

/** Collects rows per table, hands out ids, and copies a batch into PostgreSQL on `flush`. */
export class RowSink {
  private readonly lines = new Map<TableName, string[]>();
  private readonly nextIds = new Map<TableName, number>();
  readonly counts = Object.fromEntries(TABLE_NAMES.map((t) => [t, 0])) as Record<TableName, number>;

  /** Adds a row to a table with an id; returns the id. */
  insert(table: TableName, row: Cell[]): number {
    const id = this.nextIds.get(table) ?? 1;
    this.nextIds.set(table, id + 1);
    this.push(table, row, `${id}\t`);
    return id;
  }

  /** Adds a row to a table without an id. */
  add(table: TableName, row: Cell[]): void {
    this.push(table, row, '');
  }

  /** Ids of `table` continue after `maxId` (rows some earlier load left, e.g. cadres entered by hand). */
  startAfter(table: TableName, maxId: number): void {
    this.nextIds.set(table, maxId + 1);
  }

  /** The last id handed out for `table` (0 when none). */
  lastId(table: TableName): number {
    return (this.nextIds.get(table) ?? 1) - 1;
  }

  private push(table: TableName, row: Cell[], prefix: string): void {
    const t = TABLES[table];
    if (row.length !== t.columns.length) throw new Error(`${table}: ${row.length} values for ${t.columns.length} columns`);
    let line = prefix;
    for (let i = 0; i < row.length; i++) line += (i ? '\t' : '') + encode(row[i]);
    if (t.stamps) line += STAMP_SUFFIX;
    let list = this.lines.get(table);
    if (!list) this.lines.set(table, (list = []));
    list.push(line);
    this.counts[table]++;
  }

  /**
   * Copies every buffered row, tables in dependency order, and empties the buffers at once.
   * `into` redirects a table to another one with the same columns (a staging table).
   */
  flush(client: Client, into: Partial<Record<TableName, string>> = {}): Promise<void> {
    // Take the whole batch now: generation may go on filling the buffers while this copies.
    const batch = TABLE_NAMES.map((table) => [table, this.lines.get(table) ?? []] as const);
    this.lines.clear();
    return (async () => {
      for (const [table, lines] of batch) if (lines.length) await copyLines(client, table, into[table] ?? table, lines);
    })();
  }
}

function columnList(table: TableName): string {
  const t = TABLES[table];
  return [...(t.id ? ['id'] : []), ...t.columns, ...(t.stamps ? ['created_at', 'updated_at'] : [])].map((c) => `"${c}"`).join(', ');
}

async function copyLines(client: Client, table: TableName, target: string, lines: string[]): Promise<void> {
  const stream = client.query(copyFrom(`COPY "${target}" (${columnList(table)}) FROM STDIN`));
  // Blocks of about 1,000 rows: few writes, and no string of hundreds of megabytes.
  function* blocks(): Generator<string> {
    for (let i = 0; i < lines.length; i += 1000) yield lines.slice(i, i + 1000).join('\n') + '\n';
  }
  await pipeline(Readable.from(blocks()), stream);
}
