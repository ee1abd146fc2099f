import { Transform } from 'node:stream';
import { stringify, type Stringifier } from 'csv-stringify';
import { stringify as stringifySync } from 'csv-stringify/sync';
import { csvEncoder } from '../../core/csv-encoding';
import { columnSpecOf, type ColumnSpec, type FacetDeclaration } from '../../core/facet-declaration';

// A kind's records as CSV in its published column spec (core/facet-declaration.ts
// `columnSpecOf`): the parent key first, then every writable field. Each cell is written so
// that `fromCell` (core/facet-validate.ts) reads it back to the same value, so an export
// imports again unchanged: ISO dates, money with two decimals, an enum's stored value,
// true/false, and an empty cell for null.

/** Which header row: the canonical English headers, or the Chinese aliases (身份证号, …). */
export type HeaderLanguage = 'en' | 'zh';

/** Output encodings: UTF-8 (with BOM, what spreadsheet software needs to detect it) or GB18030. */
export type ExportEncoding = 'utf-8' | 'gb18030';

/** Lines end CRLF (RFC 4180, what office software writes); csv-parse reads either. */
const RECORD_DELIMITER = '\r\n';

/** The header row of a spec. */
export function headerRow(spec: readonly ColumnSpec[], language: HeaderLanguage): string[] {
  return spec.map((c) => (language === 'zh' ? c.zh : c.header));
}

/** The text of a scalar that pg hands back (text, number, bigint, boolean, Date), as `String` writes it. */
function scalarText(value: unknown): string {
  return (value as string | number | bigint | boolean | Date).toString();
}

/**
 * One value as its cell. Accepts a value as stored (`numeric` text '380.00', an enum's stored
 * value 'resident') or as the API gives it (380, 'RESIDENT', true).
 */
export function toCell(type: ColumnSpec['type'], value: unknown): string {
  if (value === null || value === undefined) return '';
  switch (type.kind) {
    case 'money': {
      // numeric(12,2) arrives as exact text; a number is rounded to cents (never 1e-7 or 1e21).
      if (typeof value === 'number') return value.toFixed(2);
      return scalarText(value);
    }
    case 'enum': {
      const text = scalarText(value);
      // A GraphQL name (RESIDENT) becomes the stored value (resident), which imports read first.
      return Object.prototype.hasOwnProperty.call(type.values, text) ? type.values[text] : text;
    }
    case 'boolean':
      return value === true || value === 't' || value === 'true' ? 'true' : 'false';
    case 'date':
      return value instanceof Date ? value.toISOString().slice(0, 10) : scalarText(value);
    default:
      return scalarText(value);
  }
}

/** A record (parent key and API field names → values) as the cells of one CSV line, in spec order. */
export function toCells(spec: readonly ColumnSpec[], record: Record<string, unknown>): string[] {
  return spec.map((c) => toCell(c.type, record[c.field]));
}

/**
 * The CSV text of `records` of `facet` (header row included, no BOM): what `GET
 * /exports/:department/:kind` sends for the same records, before encoding. Records are keyed by
 * the spec's fields: `idNumber` (person facets) or `householdNumber` (household facets), then the
 * declaration's field names. For tests and tools that compare an export with expected rows.
 */
export function exportCsvText(facet: FacetDeclaration, records: Iterable<Record<string, unknown>>, opts: { header?: HeaderLanguage } = {}): string {
  const spec = columnSpecOf(facet);
  const rows: string[][] = [headerRow(spec, opts.header ?? 'en')];
  for (const r of records) rows.push(toCells(spec, r));
  return stringifySync(rows, { record_delimiter: RECORD_DELIMITER });
}

/** Object-mode rows in, CSV text out (header row first), one line per row as it arrives. */
export function csvStream(spec: readonly ColumnSpec[], language: HeaderLanguage): { rows: Transform; csv: Stringifier } {
  const rows = new Transform({
    objectMode: true,
    transform(record: Record<string, unknown>, _enc, done) {
      done(null, toCells(spec, record));
    },
  });
  const csv = stringify({ record_delimiter: RECORD_DELIMITER });
  // Text out, for the encoder (iconv-lite's stream takes strings).
  csv.setEncoding('utf8');
  csv.write(headerRow(spec, language));
  return { rows, csv };
}

/** UTF-8 with a BOM, or GB18030, as a byte stream. */
export function encoderStream(encoding: ExportEncoding): NodeJS.ReadWriteStream {
  return csvEncoder(encoding === 'utf-8' ? 'utf8' : 'gb18030', encoding === 'utf-8');
}
