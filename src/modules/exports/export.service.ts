import type { Permission, Principal } from '../../core/auth';
import { hasPermission, Role } from '../../core/auth';
import { AppError, badInput } from '../../core/errors';
import { columnSpecOf, type ColumnSpec, type FacetDeclaration, type FacetField } from '../../core/facet-declaration';
import { fieldAccess } from '../../core/privacy';
import { countyScopedPredicate, type Scope } from '../../core/scope';
import type { ExportEncoding, HeaderLanguage } from './export-csv';

// Who may export what, and the SQL that reads it (issue 8 §7). An export is a department's own
// data going back to its own system: only officers of the department that owns the kind, only
// inside their scope. It releases full ID numbers (a person facet's parent key), so it needs a
// stated purpose and is audited as one record, like an unmasked `Person.idNumber(purpose:)` read.

/** What an export request asks for, once checked. */
export interface ExportRequest {
  facet: FacetDeclaration;
  spec: ColumnSpec[];
  purpose: string;
  encoding: ExportEncoding;
  header: HeaderLanguage;
  /** Leave out rows whose subject's ID number the privacy policy hides from the caller (minors). */
  withholdMinors: boolean;
}

const forbidden = (message: string) => new AppError('FORBIDDEN', message);
const notFoundKind = () => new AppError('NOT_FOUND', 'export kind not found');

/** Purpose bounds: the same as `Person.idNumber(purpose:)`. */
const PURPOSE_MIN = 4;
const PURPOSE_MAX = 200;

/** A query parameter given once, as text; undefined when absent. */
function single(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw badInput(name, 'give it once, as text');
  return value;
}

/**
 * Checks an export request: the kind exists and belongs to the department in the URL (otherwise
 * NOT_FOUND, the same answer for both), the caller is an officer of that department who may see
 * the records' parent key, and the parameters are sound. Throws typed errors.
 */
export function checkExportRequest(
  principal: Principal,
  params: { department: string; kind: string },
  query: Record<string, unknown>,
  facetByKind: (kind: string) => FacetDeclaration | undefined,
): ExportRequest {
  const facet = facetByKind(params.kind);
  if (!facet || String(facet.department) !== params.department) throw notFoundKind();
  // Officers of the owning department only: a coordinator reads every department's facets but
  // exports none (an export is a department's feed to its own system); analysts, auditors,
  // administrators and third parties never see direct identifiers at all.
  const read: Permission = `facet:${facet.department}:read`;
  if (principal.role !== Role.OFFICER || principal.department !== facet.department || !hasPermission(principal, read)) {
    throw forbidden(`Only officers of ${facet.department} export ${facet.kind}`);
  }
  // A missing fact refuses: a field this caller may not read (clinical detail outside health)
  // forbids the export rather than leaving a column blank, which an import would read as null.
  if (facet.fields.some((f) => f.writable !== false && f.privacy === 'clinical') && !hasPermission(principal, 'clinical:read')) {
    throw forbidden(`${facet.kind} holds clinical detail, which only health may read`);
  }
  let withholdMinors = false;
  if (facet.parent === 'person') {
    if (fieldAccess(principal, 'Person.idNumber', { minor: false }) === 'hidden') throw forbidden('Your role may not see ID numbers');
    withholdMinors = fieldAccess(principal, 'Person.idNumber', { minor: true }) === 'hidden';
  }

  const purpose = (single(query, 'purpose') ?? '').trim();
  if (purpose.length < PURPOSE_MIN || purpose.length > PURPOSE_MAX) {
    throw badInput('purpose', `state the purpose of the export in ${PURPOSE_MIN}–${PURPOSE_MAX} characters (导出事由); it is recorded in the audit log`);
  }
  const encodingParam = (single(query, 'encoding') ?? 'utf-8').toLowerCase();
  let encoding: ExportEncoding;
  if (encodingParam === 'utf-8' || encodingParam === 'utf8') encoding = 'utf-8';
  // GBK requests get GB18030: byte for byte the same for every character GBK has, and lossless
  // for the rare ones (生僻字 in names) that GBK would turn into '?'.
  else if (encodingParam === 'gbk' || encodingParam === 'gb18030') encoding = 'gb18030';
  else throw badInput('encoding', 'must be utf-8, gbk or gb18030');
  const headerParam = (single(query, 'header') ?? 'en').toLowerCase();
  if (headerParam !== 'en' && headerParam !== 'zh') throw badInput('header', 'must be en or zh');
  return { facet, spec: columnSpecOf(facet), purpose, encoding, header: headerParam, withholdMinors };
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
const ident = (name: string): string => {
  if (!IDENTIFIER.test(name)) throw new Error(`facet declaration names an unsafe SQL identifier: ${name}`);
  return name;
};

/** A field's column as its cell's text source: exact, and in the form `fromCell` reads. */
function columnExpression(field: FacetField): string {
  const col = `f.${ident(field.column)}`;
  switch (field.type.kind) {
    case 'money':
    case 'enum':
      return `${col}::text`;
    case 'date':
      return `to_char(${col}, 'YYYY-MM-DD')`;
    default:
      return col;
  }
}

/**
 * The birth date after which a person is a minor on `today`: the same bound as `isMinor`
 * (core/privacy.ts), so that SQL and resolvers withhold the same people.
 */
export function minorBirthDateBound(today: string): string {
  const [y, m, d] = today.split('-');
  return `${Number(y) - 18}-${m}-${d}`;
}

/** The statements of one export: a summary (counts and digest) and the rows, over the same FROM and WHERE. */
export interface ExportSql {
  summary: { text: string; params: unknown[] };
  rows: { text: string; params: unknown[] };
}

/**
 * SQL for an export of `facet` under `scope`: the parent key (person's ID number or household
 * number) and every writable field, in record id order. Scope is a predicate inside both
 * statements (core/scope.ts). Withheld rows (minors, when `withholdMinors`) are counted by the
 * summary and left out of the rows. The digest is SHA-256 (hex) of the exported record ids in
 * ascending order, each written in decimal and followed by a newline.
 */
export function exportSql(facet: FacetDeclaration, scope: Scope, opts: { withholdMinors: boolean; today: string }): ExportSql {
  const table = ident(facet.table);
  const predicate = countyScopedPredicate(scope, 'f', 1);
  const params: unknown[] = [...predicate.params];
  const parentJoin =
    facet.parent === 'person' ? 'JOIN person p ON p.id = f.person_id' : 'JOIN household h ON h.id = f.household_id';
  const parentKey = facet.parent === 'person' ? 'p.id_number::text AS "idNumber"' : 'h.number AS "householdNumber"';
  let withheld = 'FALSE';
  if (opts.withholdMinors && facet.parent === 'person') {
    params.push(minorBirthDateBound(opts.today));
    // No birth date counts as a minor's (isMinor): the most hidden answer.
    withheld = `(p.birth_date IS NULL OR to_char(p.birth_date, 'YYYY-MM-DD') > $${params.length})`;
  }
  const from = `FROM ${table} f ${parentJoin} WHERE ${predicate.sql}`;
  const fields = columnSpecOf(facet)
    .slice(1)
    .map((c) => facet.fields.find((f) => f.name === c.field) as FacetField)
    .map((f) => `${columnExpression(f)} AS "${f.name}"`);
  return {
    summary: {
      text: `SELECT count(*) FILTER (WHERE NOT x.withheld)::int AS exported, count(*) FILTER (WHERE x.withheld)::int AS withheld,
                    encode(sha256(convert_to(coalesce(string_agg(x.id::text || E'\\n', '' ORDER BY x.id) FILTER (WHERE NOT x.withheld), ''), 'UTF8')), 'hex') AS digest
               FROM (SELECT f.id, ${withheld} AS withheld ${from}) x`,
      params,
    },
    rows: {
      text: `SELECT ${[parentKey, ...fields].join(', ')} ${from} AND NOT ${withheld} ORDER BY f.id`,
      params,
    },
  };
}
