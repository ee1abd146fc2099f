import type { PoolClient } from 'pg';
import type { FacetDeclaration } from '../../core/facet-declaration';
import { writableFields, type HeaderMap } from './import-columns';

// Rules across records (FacetDeclaration.importRules), set-based over a whole batch: the 低保
// overlap and covered-members rules that a GraphQL write checks one record at a time in its
// service. Runs after classification, before the rejects are written and anything is applied,
// in the batch's transaction, under the declared lock.

/**
 * Runs the facet's import rules over the rows of `import_row` not rejected so far. Rows that
 * break one are marked `reject` in `import_row`, and their problems are left in the temp table
 * `import_rule_reject` (row_no, col, code, msg, msg_zh, k) for the engine's reject statement.
 * Returns whether the facet has rules (and so whether that table exists).
 */
export async function runImportRules(client: PoolClient, facet: FacetDeclaration, header: HeaderMap): Promise<boolean> {
  const declared = facet.importRules;
  if (!declared) return false;
  const fields = writableFields(facet);

  // Lock first: the state the rules read (the matched records, the other records, the members)
  // is read after every writer of the same counties has committed, and no new one starts.
  await client.query(
    `SELECT pg_advisory_xact_lock(hashtextextended($1 || ':county:' || c.county_code, 0))
       FROM (SELECT DISTINCT county_code FROM import_row WHERE class <> 'reject' ORDER BY 1) c`,
    [declared.lock],
  );

  // Each row as the record will be once applied: on update a column the file lacks keeps the
  // stored value (the engine writes only the columns the file has).
  const value = (column: string, name: string) =>
    header.present.has(name) || facet.naturalKey.includes(name) ? `r."f_${column}"` : `CASE WHEN r.existing_id IS NULL THEN r."f_${column}" ELSE f."${column}" END`;
  await client.query(
    `CREATE TEMP TABLE import_record ON COMMIT DROP AS
     SELECT r.row_no, r.county_code, r.household_id, ${facet.parent === 'person' ? 'r.person_id, ' : ''}r.existing_id,
            ${fields.map((f) => `${value(f.column, f.name)} AS "${f.column}"`).join(', ')}
       FROM import_row r LEFT JOIN ${facet.table} f ON f.id = r.existing_id
      WHERE r.class <> 'reject'`,
  );
  await client.query('ANALYZE import_record');
  await client.query(`CREATE TEMP TABLE import_rule_reject (row_no integer, col text, code text, msg text, msg_zh text, k integer) ON COMMIT DROP`);

  const ctx = { rows: 'import_record', table: facet.table };
  const columnOf = (field: string) => {
    const j = header.spec.findIndex((c) => c.field === field);
    return j < 0 ? field : header.names[j];
  };
  const found = declared.rules
    .map((rule, i) => `SELECT x.row_no, ${i} AS rule, x.message, x.message_zh FROM (${rule.sql(ctx)}) x`)
    .join('\nUNION ALL\n');
  // Until no row breaks a rule: a rejected row's stored record stays as it was, and the rows
  // left must respect it (an enrolment the file ended, but whose row was refused, is still open).
  for (;;) {
    const added = await client.query(
      `INSERT INTO import_rule_reject (row_no, col, code, msg, msg_zh, k)
       SELECT b.row_no, ($1::text[])[b.rule + 1], ($2::text[])[b.rule + 1], b.message, b.message_zh, 10 + b.rule FROM (${found}) b`,
      [declared.rules.map((r) => columnOf(r.field)), declared.rules.map((r) => r.code)],
    );
    if (!added.rowCount) break;
    await client.query(`DELETE FROM import_record r USING import_rule_reject x WHERE x.row_no = r.row_no`);
  }
  await client.query(`UPDATE import_row r SET class = 'reject' FROM (SELECT DISTINCT row_no FROM import_rule_reject) x WHERE x.row_no = r.row_no`);
  return true;
}
