import { columnSpecOf, type ColumnSpec, type FacetDeclaration, type FacetField, type FacetFieldType } from '../../core/facet-declaration';
import { fromCell, validateRecord } from '../../core/facet-validate';
import { isValidIdNumber } from '../../core/id-number';
import { refused } from './import-errors';

// One row of a batch, from cells to a staging line: the header read against the kind's column
// spec (English or Chinese names), each cell read with `fromCell` and the record checked with
// `validateRecord` (what a GraphQL write runs), the parent key checked (ID checksum, household
// number), and the row written as a line of COPY text with its problems beside it.

/** A row problem found in Node: [column as the file named it, code, message, message in Chinese]. */
export type RowProblem = [string, string, string, string];

export interface HeaderMap {
  spec: ColumnSpec[];
  /** For each spec column, its index in the file's records, or -1 when the file has no such column. */
  index: number[];
  /** For each spec column, the header as the file named it (the canonical one when absent). */
  names: string[];
  /** API names of the facet fields the file carries: only these are written on update. */
  present: Set<string>;
}

const normalHeader = (h: string) => h.replace(/^\uFEFF/, '').trim();

/** Reads the header record against the spec of `kind`; refuses unknown, repeated and missing columns. */
export function mapHeader(facet: { kind: string; spec: ColumnSpec[] } | FacetDeclaration, header: string[]): HeaderMap {
  const spec = 'spec' in facet ? facet.spec : columnSpecOf(facet);
  const index = spec.map(() => -1);
  const names = spec.map((c) => c.header);
  const expected = spec.map((c) => `${c.header}/${c.zh}`).join(', ');
  if (!header.some((h) => normalHeader(h) !== '')) {
    throw refused('MISSING_COLUMN', `the first row must be the header (${expected})`, `第一行应为表头（${expected}）`, { row: 0 });
  }
  header.forEach((raw, i) => {
    const h = normalHeader(raw);
    const j = spec.findIndex((c) => c.header.toLowerCase() === h.toLowerCase() || c.zh === h);
    if (j < 0) {
      throw refused('UNKNOWN_COLUMN', `unknown column "${h}" in the header (row 0); the columns of ${facet.kind} are ${expected}`, `表头（第 0 行）中有未知列“${h}”；${facet.kind} 的列为 ${expected}`, { row: 0, column: h });
    }
    if (index[j] >= 0) {
      throw refused('DUPLICATE_COLUMN', `column "${h}" appears twice in the header`, `表头中“${h}”列重复`, { row: 0, column: h });
    }
    index[j] = i;
    names[j] = h;
  });
  spec.forEach((c, j) => {
    if (c.required && index[j] < 0) {
      throw refused('MISSING_COLUMN', `the header lacks the required column ${c.header} (${c.zh})`, `表头缺少必填列 ${c.zh}（${c.header}）`, { row: 0, column: c.header });
    }
  });
  const present = new Set(spec.slice(1).filter((_, j) => index[j + 1] >= 0).map((c) => c.field));
  return { spec, index, names, present };
}

/** PostgreSQL type of a field's staging column (the cast a COPY text value goes through). */
export function sqlTypeOf(type: FacetFieldType): string {
  switch (type.kind) {
    case 'text':
      return 'text';
    case 'int':
      return 'integer';
    case 'year':
      return 'smallint';
    case 'money':
      return 'numeric(12,2)';
    case 'date':
      return 'date';
    case 'enum':
      return `"${type.enumName}"`;
    case 'boolean':
      return 'boolean';
  }
}

const COPY_ESCAPE = /[\\\t\n\r]/g;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A value as COPY text format writes it. */
export function copyText(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return String(value);
  return (value as string | bigint | Date).toString().replace(COPY_ESCAPE, (c) => COPY_ESCAPES[c]);
}

/** The facet fields a batch writes: every writable field, in declaration order. */
export const writableFields = (facet: FacetDeclaration): FacetField[] => facet.fields.filter((f) => f.writable !== false);

const HOUSEHOLD_NUMBER = /^[0-9A-Za-z-]{1,20}$/;

/**
 * Checks one data row (`cells` in the file's column order) and returns its staging line (COPY
 * text: row number, parent key, each writable field, problems as JSON or \N) and its canonical
 * form for the content digest.
 */
export function stageRow(
  facet: FacetDeclaration,
  header: HeaderMap,
  fields: FacetField[],
  rowNumber: number,
  cells: string[],
  today: string,
): { line: string; canonical: string } {
  const { spec, index, names } = header;
  const cell = (j: number) => (index[j] >= 0 ? (cells[index[j]] ?? '') : '');
  const canonical = spec.map((_, j) => cell(j)).join('\u001f');
  const problems: RowProblem[] = [];

  // The parent key: an 18-digit ID number with its checksum, or a household number.
  const rawKey = cell(0).trim();
  let key: string | null = null;
  if (rawKey === '') {
    problems.push([names[0], 'REQUIRED', 'is required', '必填']);
  } else if (facet.parent === 'person') {
    const id = rawKey.toUpperCase();
    if (isValidIdNumber(id)) key = id;
    else problems.push([names[0], 'INVALID_ID_NUMBER', 'is not a valid 18-digit resident ID number (GB 11643: checksum or birth date wrong)', '不是有效的 18 位公民身份号码（校验码或出生日期错误）']);
  } else if (HOUSEHOLD_NUMBER.test(rawKey)) {
    key = rawKey;
  } else {
    problems.push([names[0], 'INVALID_FORMAT', 'is not a household number (up to 20 letters and digits)', '户编号格式错误（最多 20 位字母或数字）']);
  }

  const record: Record<string, unknown> = {};
  for (let j = 1; j < spec.length; j++) {
    const c = spec[j];
    if (index[j] < 0) continue; // absent: the default (or null) on insert, untouched on update
    const field = fields[j - 1];
    const value = fromCell(field.type, cell(j));
    record[c.field] = value === null && field.defaultValue !== undefined ? undefined : value;
  }
  const checked = validateRecord(facet, record, today);
  const bad = new Set<string>();
  for (const p of checked.problems) {
    bad.add(p.field);
    // The column of a field, looked up only for a row with problems (not a map built for every row).
    const j = spec.findIndex((c, i) => i > 0 && c.field === p.field);
    problems.push([j < 0 ? p.field : names[j], p.code, p.message, p.messageZh]);
  }
  const values = fields.map((f) => (bad.has(f.name) ? null : checked.record[f.name]));
  const line = [String(rowNumber), key ?? '\\N', ...values.map(copyText), problems.length ? copyText(JSON.stringify(problems)) : '\\N'].join('\t');
  return { line, canonical };
}
