import type { PoolClient } from 'pg';
import type { RequestContext } from '../../core/context';
import { AppError } from '../../core/errors';
import type { ColumnSpec, FacetField } from '../../core/facet-declaration';
import { fromCell, isIsoDate, validateValue } from '../../core/facet-validate';
import { idNumberBirthDate, idNumberGender, isValidIdNumber } from '../../core/id-number';
import { regionPredicate } from '../../core/scope';
import {
  Department, Gender, HealthCategory, HouseholdStatus, IdentificationStandard, LabourAbility, PovertyCause, Relation, SchoolingStage,
} from '../../core/vocab';
import { facetByKind } from '../facets';
import { DUPLICATE_ELSEWHERE_COUNT_SQL, duplicateElsewhereLimit } from '../registry';
import { copyText, type HeaderMap, type RowProblem } from './import-columns';
import { facetTarget, type Counts, type ImportTarget } from './import-engine';

// The registry itself as import kinds (issue 8 §3): 扶贫办 the poverty office imports households
// (户, keyed by 户编号) and persons (人, keyed by 身份证号) through the same engine as department
// facets: parsing, encodings, staging COPY, batch keys, modes, batch record, one audit record per
// batch and change events are the engine's. What is here: the column specs, the row checks the
// GraphQL registry mutations run (registry-write.service.ts), and the set-based SQL that
// classifies and applies staged rows:
// - household: village exists and lies in scope; status other than NONE needs an identification
//   year and a main cause; insert or update by household number (update bumps version; a status
//   change records a household_status_event, an insert its first one, as the mutations do). The
//   village of a registered household does not change by import. Secondary causes are not
//   imported (left as they are; a main cause that is already a secondary cause is rejected).
// - person: ID number checksum (GB 11643), birth date and gender as the number encodes them;
//   household number registered in scope; disability level exactly when DISABLED; insert or
//   update by ID number. A person does not move to another household by import.
// - A household number or ID number registered OUTSIDE the caller's scope rejects the row with
//   DUPLICATE_ELSEWHERE, a message that never says where; the batch's audit record counts them.
//   They count against the per-caller hourly limit of DUPLICATE_ELSEWHERE answers the GraphQL
//   path has (DUPLICATE_ELSEWHERE_PER_HOUR): a batch that would pass it, or any registry batch
//   once it is reached, is refused whole with RATE_LIMITED (audited) and applies nothing, so a
//   batch of guesses cannot sweep ID numbers.

/** A registry column: a field as facets declare them, with its staging type and whether the header must carry it. */
type RegistryField = FacetField & {
  sql: string;
  requiredColumn: boolean;
  /** Replaces the type's check (a birth date may precede the 1980 floor of facet dates). */
  validate?: (value: unknown, today: string) => { value: unknown } | { problem: { code: string; message: string; messageZh: string } };
};

/** A birth date: a real date, not in the future (any year: the elderly are registered too). */
const birthDate = (value: unknown, today: string) => (typeof value === 'string' && isIsoDate(value) && value >= '1880-01-01'
  ? (value > today ? { problem: { code: 'OUT_OF_RANGE', message: 'must not be in the future', messageZh: '不能晚于今天' } } : { value })
  : { problem: { code: 'INVALID_FORMAT', message: 'is not a date (YYYY-MM-DD)', messageZh: '日期格式错误（YYYY-MM-DD）' } });

interface RegistryKind {
  kind: 'household' | 'person';
  entity: 'Household' | 'Person';
  table: 'household' | 'person';
  key: ColumnSpec;
  keySql: string;
  checkKey: (raw: string) => { key: string } | { problem: [string, string, string] };
  fields: RegistryField[];
  /** Rules over the whole row (API names → values), after each value passed: [field, code, message, message zh]. */
  rules: (row: Record<string, unknown>) => Array<[string, string, string, string]>;
}

const field = (
  name: string, column: string, type: FacetField['type'], sql: string, csv: { en: string; zh: string }, description: string,
  extra: Partial<RegistryField> = {},
): RegistryField => ({ name, column, type, sql, csv, description, requiredColumn: true, ...extra });

const enumOf = (values: Record<string, string>, enumName: string): FacetField['type'] => ({ kind: 'enum', values, enumName });
const bool: FacetField['type'] = { kind: 'boolean' };

const HOUSEHOLD_NUMBER = /^[0-9A-Za-z-]{4,20}$/;

const householdNumberSpec = (description: string): ColumnSpec => ({
  header: 'householdNumber', zh: '户编号', field: 'householdNumber', required: true, type: { kind: 'householdNumber' }, description,
});

const checkHouseholdNumber = (raw: string): { key: string } | { problem: [string, string, string] } =>
  HOUSEHOLD_NUMBER.test(raw) ? { key: raw } : { problem: ['INVALID_FORMAT', 'is not a household number (4–20 letters, digits and dashes)', '户编号格式错误（4–20 位字母、数字或短横线）'] };

const HOUSEHOLD: RegistryKind = {
  kind: 'household',
  entity: 'Household',
  table: 'household',
  key: householdNumberSpec('户编号 the household number, unique nationally: a registered one in your region is updated, a new one inserted.'),
  keySql: 'varchar(20)',
  checkKey: checkHouseholdNumber,
  fields: [
    field('villageCode', 'village_code', { kind: 'text', maxLength: 12 }, 'varchar(12)', { en: 'villageCode', zh: '所在村' }, '所在村 12-digit code of the village; must lie in your region.'),
    field('status', 'status', enumOf(HouseholdStatus, 'household_status'), 'household_status', { en: 'status', zh: '识别状态' }, '识别状态 registration status.'),
    field('identificationYear', 'identification_year', { kind: 'int', min: 1980, max: 2100 }, 'integer', { en: 'identificationYear', zh: '识别年度' },
      '识别年度 identification year; required unless the status is NONE.', { nullable: true }),
    field('identificationStandard', 'identification_standard', enumOf(IdentificationStandard, 'identification_standard'), 'identification_standard',
      { en: 'identificationStandard', zh: '识别标准' }, '识别标准 identification standard.', { nullable: true }),
    field('mainCause', 'main_cause', enumOf(PovertyCause, 'poverty_cause'), 'varchar(32)', { en: 'mainCause', zh: '主要致贫原因' },
      '主要致贫原因 main poverty cause; required unless the status is NONE.', { nullable: true }),
    field('water', 'has_water', bool, 'boolean', { en: 'water', zh: '水' }, '水 safe drinking water.'),
    field('electricity', 'has_electricity', bool, 'boolean', { en: 'electricity', zh: '电' }, '电 grid electricity.'),
    field('road', 'has_road', bool, 'boolean', { en: 'road', zh: '路' }, '路 hardened road.'),
    field('housing', 'has_safe_housing', bool, 'boolean', { en: 'housing', zh: '房' }, '房 safe housing.'),
    field('network', 'has_network', bool, 'boolean', { en: 'network', zh: '网络' }, '网络 broadband and radio/TV.'),
    field('environment', 'has_sanitation', bool, 'boolean', { en: 'environment', zh: '环境' }, '环境 sanitation.'),
  ],
  rules: (row) => {
    const out: Array<[string, string, string, string]> = [];
    if (typeof row.villageCode === 'string' && !/^\d{12}$/.test(row.villageCode)) {
      out.push(['villageCode', 'INVALID_FORMAT', 'is not a 12-digit village code', '应为 12 位村级区划代码']);
    }
    if (row.status !== HouseholdStatus.NONE && (row.identificationYear == null || row.mainCause == null)) {
      out.push([row.identificationYear == null ? 'identificationYear' : 'mainCause', 'RULE',
        'a registered, exited or monitored household needs an identification year and a main cause', '已识别、已脱贫或监测户须填写识别年度和主要致贫原因']);
    }
    return out;
  },
};

const PERSON: RegistryKind = {
  kind: 'person',
  entity: 'Person',
  table: 'person',
  key: { header: 'idNumber', zh: '身份证号', field: 'idNumber', required: true, type: { kind: 'idNumber' },
    description: '身份证号 the 18-digit resident ID number (GB 11643), unique nationally: a registered one in your region is updated, a new one inserted.' },
  keySql: 'character(18)',
  checkKey: (raw) => {
    const id = raw.toUpperCase();
    return isValidIdNumber(id) ? { key: id } : { problem: ['INVALID_ID_NUMBER', 'is not a valid 18-digit resident ID number (GB 11643: checksum or birth date wrong)', '不是有效的 18 位公民身份号码（校验码或出生日期错误）'] };
  },
  fields: [
    field('householdNumber', 'household_number', { kind: 'text', maxLength: 20 }, 'varchar(20)', { en: 'householdNumber', zh: '户编号' },
      '户编号 the household, registered in your region (import households first).'),
    field('name', 'name', { kind: 'text', maxLength: 50 }, 'varchar(50)', { en: 'name', zh: '姓名' }, '姓名 name.'),
    field('relation', 'relation', enumOf(Relation, 'relation'), 'relation', { en: 'relation', zh: '与户主关系' }, '与户主关系 relation to the head.'),
    field('gender', 'gender', enumOf(Gender, 'gender'), 'gender', { en: 'gender', zh: '性别' }, '性别 gender; must match the ID number (odd 17th digit: male).'),
    field('birthDate', 'birth_date', { kind: 'date', aheadDays: 0 }, 'date', { en: 'birthDate', zh: '出生日期' }, '出生日期 birth date; must match the ID number.', { validate: birthDate }),
    field('labourAbility', 'labour_ability', enumOf(LabourAbility, 'labour_ability'), 'labour_ability', { en: 'labourAbility', zh: '劳动能力' }, '劳动能力 labour ability.'),
    field('healthCategory', 'health_category', enumOf(HealthCategory, 'health_category'), 'health_category', { en: 'healthCategory', zh: '健康状况' }, '健康状况 health category.'),
    field('disabilityLevel', 'disability_level', { kind: 'int', min: 1, max: 4 }, 'integer', { en: 'disabilityLevel', zh: '残疾等级' },
      '残疾等级 disability level 1–4, exactly when the health category is DISABLED.', { nullable: true, requiredColumn: false }),
    field('schoolingStage', 'schooling_stage', enumOf(SchoolingStage, 'schooling_stage'), 'schooling_stage', { en: 'schoolingStage', zh: '在校生状况' },
      '在校生状况 schooling stage; NONE when absent.', { defaultValue: SchoolingStage.NONE, requiredColumn: false }),
  ],
  rules: (row) => {
    const out: Array<[string, string, string, string]> = [];
    const id = row.idNumber as string | null;
    if (typeof row.householdNumber === 'string' && !HOUSEHOLD_NUMBER.test(row.householdNumber)) {
      out.push(['householdNumber', 'INVALID_FORMAT', 'is not a household number (4–20 letters, digits and dashes)', '户编号格式错误（4–20 位字母、数字或短横线）']);
    }
    if (id && typeof row.birthDate === 'string') {
      const encoded = idNumberBirthDate(id);
      if (encoded !== row.birthDate) out.push(['birthDate', 'RULE', `does not match the birth date in the ID number (${encoded})`, `与身份证号中的出生日期（${encoded}）不符`]);
    }
    if (id && typeof row.gender === 'string' && idNumberGender(id) !== row.gender) {
      out.push(['gender', 'RULE', 'does not match the ID number (odd 17th digit = male)', '与身份证号不符（第 17 位奇数为男）']);
    }
    if (row.healthCategory && (row.disabilityLevel != null) !== (row.healthCategory === HealthCategory.DISABLED)) {
      out.push(['disabilityLevel', 'RULE', 'is given exactly when the health category is DISABLED', '仅当健康状况为残疾时填写残疾等级']);
    }
    return out;
  },
};

const specOf = (k: RegistryKind): ColumnSpec[] => [
  k.key,
  ...k.fields.map((f) => ({ header: f.csv.en, zh: f.csv.zh, field: f.name, required: f.requiredColumn, type: f.type, description: f.description })),
];

/** Checks one row and writes its staging line (row number, key, each field, problems). */
function stage(k: RegistryKind, header: HeaderMap, rowNumber: number, cells: string[], today: string): { line: string; canonical: string } {
  const { spec, index, names } = header;
  const cell = (j: number) => (index[j] >= 0 ? (cells[index[j]] ?? '') : '');
  const canonical = spec.map((_, j) => cell(j)).join('\u001f');
  const problems: RowProblem[] = [];
  const raw = cell(0).trim();
  let key: string | null = null;
  if (raw === '') problems.push([names[0], 'REQUIRED', 'is required', '必填']);
  else {
    const checked = k.checkKey(raw);
    if ('key' in checked) key = checked.key;
    else problems.push([names[0], ...checked.problem]);
  }
  const row: Record<string, unknown> = { [k.key.field]: key };
  const bad = new Set<string>();
  k.fields.forEach((f, i) => {
    const j = i + 1;
    let value = index[j] >= 0 ? fromCell(f.type, cell(j)) : null;
    if (value === null && f.defaultValue !== undefined) value = f.defaultValue;
    if (value === null) {
      row[f.name] = null;
      if (!f.nullable) {
        problems.push([names[j], 'REQUIRED', 'is required', '必填']);
        bad.add(f.name);
      }
      return;
    }
    const checked = f.validate ? f.validate(value, today) : validateValue(f, value, today);
    if ('problem' in checked) {
      problems.push([names[j], checked.problem.code, checked.problem.message, checked.problem.messageZh]);
      bad.add(f.name);
      row[f.name] = null;
    } else row[f.name] = checked.value;
  });
  if (!bad.size) {
    for (const [name, code, message, zh] of k.rules(row)) {
      const j = k.fields.findIndex((f) => f.name === name) + 1;
      problems.push([names[j], code, message, zh]);
      bad.add(name);
    }
  }
  const values = k.fields.map((f) => (bad.has(f.name) ? null : row[f.name]));
  const line = [String(rowNumber), key ?? '\\N', ...values.map(copyText), problems.length ? copyText(JSON.stringify(problems)) : '\\N'].join('\t');
  return { line, canonical };
}

/** A reason a row is rejected that only the database knows: a boolean column of import_row, the column it names, code and messages. */
type Check = { flag: string; column: string; code: string; en: string; zh: string };

/** Writes the rejects (Node's problems, duplicate keys, then each check) and counts the classes. */
async function rejectsAndCounts(client: PoolClient, batchId: string, header: HeaderMap, checks: Check[]): Promise<Omit<Counts, 'apply'>> {
  const keyHeader = header.names[0];
  const params: unknown[] = [batchId, keyHeader];
  const parts = checks.map((c, i) => {
    params.push(c.column, c.code, c.en, c.zh);
    const n = params.length;
    return `SELECT r.row_no, $${n - 3}::text, $${n - 2}::text, $${n - 1}::text, $${n}::text, ${i + 3} FROM import_row r WHERE r.${c.flag}`;
  });
  await client.query(
    `INSERT INTO import_reject (batch_id, row_number, column_name, code, message, message_zh)
     SELECT $1, x.row_no, x.col, x.code, x.msg, x.msg_zh FROM (
       SELECT r.row_no, e->>0 AS col, e->>1 AS code, e->>2 AS msg, e->>3 AS msg_zh, 0 AS k
         FROM import_row r, jsonb_array_elements(r.problems::jsonb) e WHERE r.problems IS NOT NULL
       UNION ALL
       SELECT r.row_no, $2, 'DUPLICATE_KEY',
              format('the same %s appears %s times in this batch (rows %s%s); none of these rows is applied', $2::text, d.n, array_to_string(d.rows, ', '), CASE WHEN d.n > 5 THEN ', …' ELSE '' END),
              format('同一%s在本批次中出现 %s 次（第 %s%s 行），这些行均不导入', $2::text, d.n, array_to_string(d.rows, '、'), CASE WHEN d.n > 5 THEN '…' ELSE '' END), 1
         FROM import_row r JOIN (SELECT key, count(*) AS n, (array_agg(row_no ORDER BY row_no))[1:5] AS rows FROM import_row WHERE dup > 1 GROUP BY key) d USING (key)
       ${parts.map((p) => `UNION ALL ${p}`).join('\n')}
     ) x (row_no, col, code, msg, msg_zh, k) ORDER BY x.row_no, x.k`,
    params,
  );
  const [c] = (await client.query<{ inserted: number; updated: number; unchanged: number; rejected: number }>(
    `SELECT count(*) FILTER (WHERE class = 'insert')::int AS inserted, count(*) FILTER (WHERE class = 'update')::int AS updated,
            count(*) FILTER (WHERE class = 'unchanged')::int AS unchanged, count(*) FILTER (WHERE class = 'reject')::int AS rejected
       FROM import_row`,
  )).rows;
  return c;
}

const ELSEWHERE = (what: string, zh: string): Omit<Check, 'flag' | 'column'> => ({
  code: 'DUPLICATE_ELSEWHERE',
  en: `this ${what} is already registered outside your scope (${what}s are nationally unique); ask the office that holds it`,
  zh: `此${zh}已在您的辖区以外登记（全国唯一），请与登记机构联系`,
});

/**
 * The per-caller limit of DUPLICATE_ELSEWHERE answers (duplicate-check.ts), for a batch that
 * would give `found` more: refused whole (RATE_LIMITED) when the caller has reached the limit
 * already, or when the batch would pass it.
 */
async function checkRate(client: PoolClient, ctx: RequestContext, found: number): Promise<void> {
  const subject = ctx.principal?.subject;
  if (!subject) return;
  const limit = duplicateElsewhereLimit();
  const [{ n }] = (await client.query<{ n: number }>(DUPLICATE_ELSEWHERE_COUNT_SQL, [subject, new Date(Date.now() - 3_600_000).toISOString()])).rows;
  if (n >= limit || n + found > limit) {
    throw new AppError('RATE_LIMITED', `Too many numbers registered elsewhere: this batch has ${found} rows registered outside your scope and you have had ${n} such answers in the last hour (limit ${limit} an hour, DUPLICATE_ELSEWHERE_PER_HOUR); nothing was imported`, {
      messageZh: `本批次有 ${found} 行已在辖区外登记，近一小时内您已收到 ${n} 次此类答复（上限每小时 ${limit} 次），本批次未导入`,
      http: { status: 429 },
    });
  }
}

async function applyRows(client: PoolClient, batchId: string, k: RegistryKind, extraInsert: Array<[string, string]>, present: RegistryField[], counts: Omit<Counts, 'apply'>) {
  const stored = k.fields.filter((f) => f.column !== 'household_number');
  const keyColumn = k.table === 'household' ? 'number' : 'id_number';
  if (counts.inserted) {
    const cols = [['id', 'new_id'], [keyColumn, 'key'], ...extraInsert, ...stored.map((f) => [f.column, `"f_${f.column}"`])];
    await client.query(
      `INSERT INTO ${k.table} (${cols.map((c) => `"${c[0]}"`).join(', ')}) SELECT ${cols.map((c) => c[1]).join(', ')} FROM import_row WHERE class = 'insert' ORDER BY new_id`,
    ).catch((err: { code?: string }) => {
      // Registered by another write since this batch classified its rows: nothing applied; re-sending classifies again.
      if (err.code === '23505') {
        throw new AppError('CONFLICT', `a ${k.kind} with the same key was registered by another write while this batch ran; nothing was imported, send the batch again`, { reason: 'CONCURRENT_WRITE' });
      }
      throw err;
    });
  }
  const set = present.filter((f) => f.column !== 'household_number' && f.column !== 'village_code');
  if (counts.updated && set.length) {
    await client.query(
      `UPDATE ${k.table} t SET ${set.map((f) => `"${f.column}" = r."f_${f.column}"`).join(', ')}, version = t.version + 1, updated_at = now()
         FROM import_row r WHERE r.class = 'update' AND t.id = r.existing_id`,
    );
  }
  if (counts.inserted || counts.updated) {
    await client.query(
      `INSERT INTO import_row_change (batch_id, row_number, entity_id, change, fields)
       SELECT $1, row_no, coalesce(new_id, existing_id), class, CASE WHEN class = 'insert' THEN $2::text[] ELSE changed END
         FROM import_row WHERE class IN ('insert', 'update') ORDER BY row_no`,
      [batchId, k.fields.map((f) => f.name)],
    );
  }
}

/** The caller's scope over a division-code column, as $1 (with `scopeParams`). */
const inScopeOf = (ctx: RequestContext) => (column: string) => regionPredicate(ctx.scope, column, 1).sql;
const scopeParams = (ctx: RequestContext) => regionPredicate(ctx.scope, '', 1).params;

/** `changed`: API names of the present fields whose stored value (alias `t`) differs from the staged one. */
const changedOf = (present: RegistryField[]) => (present.length
  ? `array_remove(ARRAY[${present.map((f) => `CASE WHEN t."${f.column}" IS DISTINCT FROM s."f_${f.column}" THEN '${f.name}' END`).join(', ')}]::text[], NULL)`
  : `'{}'::text[]`);

const DUPS = `LEFT JOIN (SELECT key, count(*) AS n FROM import_stage WHERE key IS NOT NULL GROUP BY key HAVING count(*) > 1) d ON d.key = s.key`;

/** What the household and person kinds differ in when their staged rows are classified and applied. */
interface KindShape {
  /** Reject flags of the kind, computed by `select` (besides problems, dup and elsewhere). */
  flags: string[];
  /** Further columns of a row (alias `s` the staged row, `t` the stored one); `inScope` gives a column's scope predicate. */
  select: (inScope: (column: string) => string) => string;
  /** The field whose staged value is compared by a flag, not by `changed`. */
  unchanged: string;
  /** The join that finds the stored row `t`, and any other, of a staged row `s`. */
  joins: string;
  /** The kind's own reject messages, in the order of `flags`. */
  checks: (header: HeaderMap) => Check[];
  /** Columns of `import_row` inserted with a new row besides its fields. */
  extraInsert: Array<[string, string]>;
  /** Written after the rows are applied. */
  afterApply?: (client: PoolClient, ctx: RequestContext, batchKey: string) => Promise<unknown>;
}

const HOUSEHOLD_SHAPE: KindShape = {
  flags: ['village_bad', 'village_moved', 'cause_repeated'],
  select: (inScope) => `v.county_code AS county_code,
                  (s.f_village_code IS NOT NULL AND (v.code IS NULL OR NOT ${inScope('v.code')})) AS village_bad,
                  CASE WHEN ${inScope('t.village_code')} THEN t.id END AS existing_id,
                  coalesce(t.id IS NOT NULL AND NOT ${inScope('t.village_code')}, false) AS elsewhere,
                  coalesce(${inScope('t.village_code')} AND s.f_village_code IS NOT NULL AND t.village_code <> s.f_village_code, false) AS village_moved,
                  coalesce(${inScope('t.village_code')} AND EXISTS (SELECT 1 FROM household_secondary_cause sc WHERE sc.household_id = t.id AND sc.cause_code = s.f_main_cause), false) AS cause_repeated,
                  t.status AS old_status,`,
  unchanged: 'village_code',
  joins: `LEFT JOIN village v ON v.code = s.f_village_code
             LEFT JOIN household t ON t.number = s.key`,
  checks: (header) => [
    { flag: 'elsewhere', column: header.names[0], ...ELSEWHERE('household number', '户编号') },
    { flag: 'village_bad', column: header.names[1], code: 'OUT_OF_SCOPE', en: 'not a village inside your scope', zh: '不是您辖区内的村' },
    { flag: 'village_moved', column: header.names[1], code: 'RULE', en: 'a registered household does not move to another village by import', zh: '已登记的户不能通过导入变更所在村' },
    { flag: 'cause_repeated', column: header.names[HOUSEHOLD.fields.findIndex((f) => f.name === 'mainCause') + 1], code: 'RULE', en: 'is one of the household’s secondary causes (must not repeat them)', zh: '与该户的次要致贫原因重复' },
  ],
  extraInsert: [['county_code', 'county_code']],
  // Status events, as the mutations write them: the first on registration, then each change.
  afterApply: (client, ctx, batchKey) => client.query(
    `INSERT INTO household_status_event (household_id, county_code, from_status, to_status, occurred_on, reason)
     SELECT coalesce(new_id, existing_id), county_code, CASE WHEN class = 'insert' THEN NULL ELSE old_status END, f_status, $1::date,
            CASE WHEN class = 'insert' THEN 'registered in the system' ELSE $2 END
       FROM import_row WHERE class = 'insert' OR (class = 'update' AND old_status IS DISTINCT FROM f_status) ORDER BY row_no`,
    [ctx.today, `import batch ${batchKey}`],
  ),
};

const PERSON_SHAPE: KindShape = {
  flags: ['household_bad', 'moved'],
  select: (inScope) => `h.id AS household_id, h.county_code, h.village_code,
                  (s.f_household_number IS NOT NULL AND (h.id IS NULL OR NOT ${inScope('h.village_code')})) AS household_bad,
                  CASE WHEN ${inScope('t.village_code')} THEN t.id END AS existing_id,
                  coalesce(t.id IS NOT NULL AND NOT ${inScope('t.village_code')}, false) AS elsewhere,
                  coalesce(${inScope('t.village_code')} AND h.id IS NOT NULL AND t.household_id <> h.id, false) AS moved,`,
  unchanged: 'household_number',
  joins: `LEFT JOIN household h ON h.number = s.f_household_number
             LEFT JOIN person t ON t.id_number = s.key`,
  checks: (header) => [
    { flag: 'elsewhere', column: header.names[0], ...ELSEWHERE('ID number', '身份证号') },
    { flag: 'household_bad', column: header.names[1], code: 'UNKNOWN_HOUSEHOLD', en: 'no household with this number is registered in your region', zh: '您的辖区内没有此户编号的家庭' },
    { flag: 'moved', column: header.names[1], code: 'RULE', en: 'the person is registered in another household; a person does not move between households by import', zh: '此人已登记在其他户，不能通过导入变更所在户' },
  ],
  extraInsert: [['household_id', 'household_id'], ['county_code', 'county_code'], ['village_code', 'village_code']],
};

async function classifyAndApply(client: PoolClient, ctx: RequestContext, k: RegistryKind, shape: KindShape, mode: string, header: HeaderMap, batchId: string, batchKey: string, mark: (p: string) => void): Promise<Counts> {
  const inScope = inScopeOf(ctx);
  const present = k.fields.filter((f) => header.present.has(f.name));
  await client.query('ANALYZE import_stage');
  await client.query(
    `CREATE TEMP TABLE import_row ON COMMIT DROP AS
     SELECT c.*, CASE WHEN c.class = 'insert' THEN nextval(pg_get_serial_sequence('${k.table}', 'id')) END AS new_id FROM (
       SELECT r.*, CASE WHEN r.problems IS NOT NULL OR r.dup > 1 OR r.elsewhere OR ${shape.flags.map((f) => `r.${f}`).join(' OR ')} THEN 'reject'
                        WHEN r.existing_id IS NULL THEN 'insert' WHEN cardinality(r.changed) = 0 THEN 'unchanged' ELSE 'update' END AS class
         FROM (
           SELECT s.*, ${shape.select(inScope)}
                  coalesce(d.n, 1) AS dup,
                  CASE WHEN t.id IS NULL THEN '{}'::text[] ELSE ${changedOf(present.filter((f) => f.column !== shape.unchanged))} END AS changed
             FROM import_stage s
             ${shape.joins}
             ${DUPS}
         ) r
     ) c`,
    scopeParams(ctx),
  );
  await client.query('ANALYZE import_row');
  mark('classify');
  const [{ found }] = (await client.query<{ found: number }>('SELECT count(*)::int AS found FROM import_row WHERE elsewhere')).rows;
  await checkRate(client, ctx, found);
  const counts = await rejectsAndCounts(client, batchId, header, shape.checks(header));
  mark('rejects');
  const apply = mode === 'apply_valid' || counts.rejected === 0;
  if (!apply) return { ...counts, apply };
  await applyRows(client, batchId, k, shape.extraInsert, present, counts);
  await shape.afterApply?.(client, ctx, batchKey);
  mark('apply');
  return { ...counts, apply };
}

const registryTarget = (k: RegistryKind): ImportTarget => ({
  kind: k.kind,
  department: Department.POVERTY_OFFICE,
  entity: k.entity,
  permission: 'registry:write',
  spec: specOf(k),
  staging: {
    ddl: `key ${k.keySql}, ${k.fields.map((f) => `"f_${f.column}" ${f.sql}`).join(', ')}, problems text`,
    columns: ['key', ...k.fields.map((f) => `"f_${f.column}"`), 'problems'],
  },
  stageRow: (header, rowNumber, cells, today) => stage(k, header, rowNumber, cells, today),
  classifyAndApply: (client, ctx, req, header, batchId, mark) => classifyAndApply(client, ctx, k, k.kind === 'household' ? HOUSEHOLD_SHAPE : PERSON_SHAPE, req.mode, header, batchId, req.batchKey, mark),
  insertedFields: k.fields.map((f) => f.name),
  event: k.kind === 'household'
    ? { householdId: 'coalesce(r.new_id, r.existing_id)', personId: 'NULL::bigint', regionCode: 'r.f_village_code', department: null }
    : { householdId: 'r.household_id', personId: 'coalesce(r.new_id, r.existing_id)', regionCode: 'r.village_code', department: null },
  auditNote: async (client) => {
    const [{ n }] = (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM import_row WHERE elsewhere')).rows;
    return `, ${n} of them registered outside the caller's scope (DUPLICATE_ELSEWHERE)`;
  },
});

/** The registry kinds: households, then persons (户, 人), owned by 扶贫办 the poverty office. */
const REGISTRY_TARGETS: ImportTarget[] = [registryTarget(HOUSEHOLD), registryTarget(PERSON)];

/** The import target of a kind: a declared facet, or a registry kind. */
export function importTargetOf(kind: string): ImportTarget | undefined {
  const facet = facetByKind(kind);
  return facet ? facetTarget(facet) : REGISTRY_TARGETS.find((t) => t.kind === kind);
}
