import type { Department } from './vocab';

// A department facet, declared once (DESIGN §4 "Facets declared once"). A declaration is plain
// data: the GraphQL type, its inputs, loaders, read-ahead edge and create/update/end mutations
// (core/facet-schema.ts) and the import and export column spec (`columnSpecOf` below, used by
// modules/ingest) all derive from it. Hand-written code stays only where a facet has real rules
// (低保 overlap, dropout watch); such a facet's declaration says so with `mutations: 'custom'`.

/** The value type of a field: storage, GraphQL type, validation and CSV parsing follow from it. */
export type FacetFieldType =
  /** Free text, trimmed; blank is refused. */
  | { kind: 'text'; maxLength: number }
  | { kind: 'int'; min: number; max: number }
  /** A calendar year (smallint): from `min` to this year (service calendar) + `aheadYears`. */
  | { kind: 'year'; min: number; aheadYears: number }
  /** Yuan (元), numeric(12,2): two decimals at most, from `min` to `max`. */
  | { kind: 'money'; min: number; max: number }
  /** An ISO date from 1980-01-01 to today + `aheadDays` (0: must have happened). */
  | { kind: 'date'; aheadDays: number }
  /** A controlled vocabulary: a TypeScript enum registered with type-graphql (core/vocab.ts); `enumName` is the PostgreSQL type. */
  | { kind: 'enum'; values: Record<string, string>; enumName: string }
  | { kind: 'boolean' };

/** Privacy class of a field: `clinical` is released to health only (core/privacy.ts). */
export type PrivacyClass = 'plain' | 'clinical';

export interface FacetField {
  /** API field name (camelCase), e.g. `monthlyAmount`. */
  name: string;
  /** SQL column, e.g. `monthly_amount`. */
  column: string;
  type: FacetFieldType;
  /** GraphQL description, Chinese term first: '月保障金 monthly allowance, yuan (元/月).' */
  description: string;
  /**
   * A read-only value computed in SQL over the record (alias `f`), e.g. `f.cap_amount -
   * f.used_amount`: no column of its own (`column` then only names it), never written; declare it
   * `writable: false` too.
   */
  computed?: string;
  /** May be null (stored NULL, GraphQL nullable, CSV cell empty). Default false. */
  nullable?: boolean;
  /** Clients may set it on create and update (and imports may fill it). Default true. */
  writable?: boolean;
  /** Default 'plain'. */
  privacy?: PrivacyClass;
  /** A date field this one must not precede (an end after its start), by API name. */
  notBefore?: string;
  /** Value on create when the client sends none (GraphQL default value, import default). */
  defaultValue?: string | number | boolean;
  /**
   * A valid value (stored form), for documentation and the tests that drive every declared facet
   * (tests/support/facet-samples.ts); when absent one is derived from the type.
   */
  example?: string | number | boolean;
  /** CSV header, English (the canonical header) and the Chinese alias accepted on import. */
  csv: { en: string; zh: string };
}

/** One side of a period: its Chinese CSV header (which opens its description) and the rest of the description. */
interface PeriodSide {
  zh: string;
  description: string;
}

/**
 * The `startDate`/`endDate` pair of a period: the start at most a year ahead (decided now, in
 * force from next month or so), the end nullable (open-ended) and not before the start, at most
 * `end.aheadDays` ahead.
 */
export function periodFields(start: PeriodSide, end: PeriodSide & { aheadDays: number }): FacetField[] {
  return [
    { name: 'startDate', column: 'start_date', type: { kind: 'date', aheadDays: 366 }, description: `${start.zh} ${start.description}`, csv: { en: 'startDate', zh: start.zh } },
    {
      name: 'endDate', column: 'end_date', type: { kind: 'date', aheadDays: end.aheadDays }, nullable: true, notBefore: 'startDate',
      description: `${end.zh} ${end.description}`, csv: { en: 'endDate', zh: end.zh },
    },
  ];
}

/** One derived mutation: its GraphQL name, description, and input type name. */
export interface FacetMutation {
  name: string;
  description: string;
  inputName: string;
}

export interface FacetDeclaration {
  /** Import/export kind, kebab-case, unique: 'insurance-enrolment'. */
  kind: string;
  /** GraphQL object type name: 'InsuranceEnrolment'. */
  typeName: string;
  /** GraphQL type description, Chinese term first, ending with the owner ('Owned by 卫健/医保 health.'). */
  description: string;
  table: string;
  /** The one department that writes it. */
  department: Department;
  /** What a record hangs off: a household (`household_id`) or a person (`person_id` and `household_id`). */
  parent: 'household' | 'person';
  /** In GraphQL field order; `id`, `version`, `householdId` (and `personId`) are implicit. */
  fields: FacetField[];
  /**
   * Fields that, with the parent, identify one record when an import row is matched (e.g.
   * `['year']` for a yearly insurance enrolment). Empty: every import row is a new record.
   */
  naturalKey: string[];
  /** ORDER BY within a parent, SQL on alias `f`: 'f.year DESC, f.id DESC'. */
  orderBy: string;
  /**
   * The list field on Household or Person that reads it. `filterArgs`: optional arguments of that
   * field, each keeping only the records whose declared field equals it (`insuranceEnrolments(year:)`).
   * `latest`: a second field giving the first record in `orderBy` order (the current one), or null.
   */
  edge: {
    field: string;
    description: string;
    filterArgs?: Array<{ field: string; description: string }>;
    latest?: { field: string; description: string };
  };
  /**
   * A rule over the whole record (the merged record on update), in API field names, beyond
   * what each field's type checks: `subsidy ≤ premium`. Returns the offending field and why.
   * GraphQL writes and import rows run the same function.
   */
  check?: (record: Record<string, unknown>) => { field: string; message: string; messageZh: string } | null;
  /**
   * Whether the import engine may write this kind. Default: yes for derived mutations, no for
   * 'custom' ones (their rules across records run only in the hand-written service); a 'custom'
   * declaration sets it true only once the engine runs those rules too (fail closed).
   */
  importable?: boolean;
  /**
   * Rules across records that the import engine runs set-based, inside the batch's transaction,
   * after matching and classification and before anything is written (a 'custom' facet whose
   * service checks other rows or tables declares them here to become importable). See
   * `ImportRules`.
   */
  importRules?: ImportRules;
  /** Derived mutations, or 'custom' where a hand-written service keeps real rules. */
  mutations:
    | 'custom'
    | {
        create: FacetMutation;
        update?: FacetMutation;
        /** Ends a record: sets `dateField` (and `status` to `statusValue`, when given). */
        end?: FacetMutation & { dateField: string; statusField?: string; statusValue?: string };
      };
}

/**
 * What a statement of an import rule sees (modules/ingest/import-rules.ts). `rows` is a temp
 * table of the batch's rows still to be applied (not rejected so far): `row_no`, `county_code`,
 * `household_id` (and `person_id`), `existing_id` (the record the row's natural key matched, or
 * null for an insert), and each writable field under its SQL column, holding the value the
 * record will have once the batch is applied (on update, a column the file lacks keeps the
 * stored value). `table` is the facet's table: other records are read there, skipping those
 * some row of `rows` rewrites (`id NOT IN (SELECT existing_id FROM rows …)`), since the rows
 * stand for them.
 */
export interface ImportRuleContext {
  rows: string;
  table: string;
}

/** One rule across records, run by the import engine over the whole batch at once. */
export interface ImportRule {
  /** Reject code (e.g. 'RULE'), as a row's other problems carry. */
  code: string;
  /** API field the reject names (its column as the file named it). */
  field: string;
  /**
   * One set-based statement (no per-row queries) returning the rows that break the rule:
   * `row_no`, `message`, `message_zh` (why, in English and Chinese; one reject line per result row).
   */
  sql: (ctx: ImportRuleContext) => string;
}

export interface ImportRules {
  /**
   * Advisory lock that serialises imports with the service's writes: the engine takes
   * `pg_advisory_xact_lock(hashtextextended('<lock>:county:<county_code>', 0))` for each county of
   * the batch (in order) before it reads anything the rules look at; the hand-written service
   * takes the same key shared (`lockRuleShared`) before its own per-record lock. One lock per
   * county, not per household: a county's batch has thousands of households, more than
   * PostgreSQL's lock table holds (max_locks_per_transaction).
   */
  lock: string;
  /**
   * Run together, then again without the rows just rejected, until no more rows break any rule:
   * a rejected row leaves its stored record as it was, which the other rows must then respect.
   */
  rules: ImportRule[];
}

/** A column of the import and export spec of a kind. */
export interface ColumnSpec {
  /** Canonical (English) header. */
  header: string;
  /** Chinese header accepted on import (身份证号, 低保金额, …). */
  zh: string;
  /** The API field it fills, or the parent key. */
  field: string;
  required: boolean;
  type: FacetFieldType | { kind: 'idNumber' } | { kind: 'householdNumber' };
  description: string;
}

/**
 * The column spec of a kind, in file order: the parent key first (the person's 18-digit ID
 * number, or the household number), then every writable field.
 */
export function columnSpecOf(facet: FacetDeclaration): ColumnSpec[] {
  const parent: ColumnSpec =
    facet.parent === 'person'
      ? { header: 'idNumber', zh: '身份证号', field: 'idNumber', required: true, type: { kind: 'idNumber' }, description: '身份证号 the person’s 18-digit resident ID number (GB 11643).' }
      : { header: 'householdNumber', zh: '户编号', field: 'householdNumber', required: true, type: { kind: 'householdNumber' }, description: '户编号 the household number of the 建档立卡 registry.' };
  return [
    parent,
    ...facet.fields
      .filter((f) => f.writable !== false)
      .map((f) => ({
        header: f.csv.en,
        zh: f.csv.zh,
        field: f.name,
        required: !f.nullable && f.defaultValue === undefined,
        type: f.type,
        description: f.description,
      })),
  ];
}
