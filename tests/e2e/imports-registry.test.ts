import 'reflect-metadata';
import { Client } from 'pg';
import { Role } from '../../src/core/auth';
import { idNumberGender, makeIdNumber } from '../../src/core/id-number';
import { Department } from '../../src/core/vocab';
import { bearer } from '../support/app';
import { buildImportCounty, healthOfficer, startImportApp, type ImportApp } from '../support/import-world';

// The registry imported by the poverty office (issue 8 §3): POST /imports/poverty_office/household
// and /person through the facet engine. County 996641 (id base 6_740_000) is the officers'; 996642
// (6_770_000) lies outside their scope.

const C = '996641';
const OTHER = '996642';
const HH = '户编号,所在村,识别状态,识别年度,识别标准,主要致贫原因,水,电,路,房,网络,环境';
const PH = '身份证号,户编号,姓名,与户主关系,性别,出生日期,劳动能力,健康状况,残疾等级';
const csv = (header: string, rows: Array<Array<string | number>>) => `${header}\n${rows.map((r) => r.join(',')).join('\n')}\n`;
const officer = (sub: string) => bearer({ role: Role.OFFICER, department: Department.POVERTY_OFFICE, scope: C, sub });

describe('registry imports (poverty office: households and persons)', () => {
  let pg: Client;
  let app: ImportApp;
  let village: string;
  let foreignVillage: string;
  let foreignId: string;
  let foreignNumber: string;
  const id = (seq: number, birth = '1980-05-01') => makeIdNumber(C, birth, seq);
  const person = (seq: number, household: string, name: string, extra: Partial<Record<'relation' | 'gender' | 'birth' | 'health' | 'level', string>> = {}) => {
    const n = id(seq, extra.birth ?? '1980-05-01');
    return [n, household, name, extra.relation ?? 'head', extra.gender ?? idNumberGender(n), extra.birth ?? '1980-05-01', 'ordinary', extra.health ?? 'healthy', extra.level ?? ''];
  };
  const post = async (kind: 'household' | 'person', body: string, batchKey: string, opts: { mode?: string; sub?: string; auth?: string } = {}) =>
    app.post(body, { batchKey, ...(opts.mode ? { mode: opts.mode } : {}) }, { path: `/imports/poverty_office/${kind}`, auth: opts.auth ?? (await officer(opts.sub ?? 'reg-officer')) });

  beforeAll(async () => {
    const url = process.env.TEST_DATABASE_URL as string;
    await buildImportCounty(url, C, 6_740_000);
    await buildImportCounty(url, OTHER, 6_770_000);
    pg = new Client({ connectionString: url });
    await pg.connect();
    village = (await pg.query(`SELECT code FROM village WHERE county_code = $1 ORDER BY code LIMIT 1`, [C])).rows[0].code;
    foreignVillage = (await pg.query(`SELECT code FROM village WHERE county_code = $1 ORDER BY code LIMIT 1`, [OTHER])).rows[0].code;
    const foreign = (await pg.query(`SELECT p.id_number, h.number FROM person p JOIN household h ON h.id = p.household_id WHERE p.county_code = $1 ORDER BY p.id LIMIT 1`, [OTHER])).rows[0];
    foreignId = foreign.id_number;
    foreignNumber = foreign.number;
    app = await startImportApp();
  });
  afterAll(async () => {
    await app?.stop();
    await pg?.end();
  });

  it('imports households then persons; they read back through GraphQL as the mutations make them; re-import is unchanged', async () => {
    const households = csv(HH, [
      ['RI-0001', village, 'registered', 2016, 'national', 'illness', '是', '是', '否', '是', '否', '是'],
      ['RI-0002', village, 'none', '', '', '', 'true', 'true', 'true', 'true', 'true', 'true'],
    ]);
    const h = await post('household', households, 'reg-h-1');
    expect(h.status).toBe(200);
    expect(h.body.batch).toMatchObject({ status: 'applied', kind: 'household', inserted: 2, rejected: 0 });
    const persons = csv(PH, [
      person(901, 'RI-0001', '张一'),
      person(902, 'RI-0001', '李二', { relation: 'spouse', health: 'disabled', level: '2' }),
      person(903, 'RI-0002', '王三'),
    ]);
    const p = await post('person', persons, 'reg-p-1');
    expect(p.status).toBe(200);
    expect(p.body.batch).toMatchObject({ status: 'applied', kind: 'person', inserted: 3, rejected: 0 });

    const hid = (await pg.query(`SELECT id::text FROM household WHERE number = 'RI-0001'`)).rows[0].id;
    const read = await app.gql(
      `query($id: ID!) { household(id: $id) { number villageCode status identificationYear identificationStandard mainCause secondaryCauses version
         utilities { water electricity road housing network environment } statusEvents { fromStatus toStatus reason }
         members { name relation gender birthDate healthCategory disabilityLevel schoolingStage } } }`,
      { id: hid }, await officer('reg-reader'));
    expect(read.errors).toBeUndefined();
    expect(read.data.household).toMatchObject({
      number: 'RI-0001', villageCode: village, status: 'REGISTERED', identificationYear: 2016, identificationStandard: 'NATIONAL', mainCause: 'ILLNESS',
      secondaryCauses: [], version: 1,
      utilities: { water: true, electricity: true, road: false, housing: true, network: false, environment: true },
      statusEvents: [{ fromStatus: null, toStatus: 'REGISTERED', reason: 'registered in the system' }],
    });
    // Gender follows the ID number's 17th digit (the fixture's sequence numbers 901, 902).
    expect(read.data.household.members).toEqual([
      { name: '张一', relation: 'HEAD', gender: idNumberGender(id(901)).toUpperCase(), birthDate: '1980-05-01', healthCategory: 'HEALTHY', disabilityLevel: null, schoolingStage: 'NONE' },
      { name: '李二', relation: 'SPOUSE', gender: idNumberGender(id(902)).toUpperCase(), birthDate: '1980-05-01', healthCategory: 'DISABLED', disabilityLevel: 2, schoolingStage: 'NONE' },
    ]);

    // One audit record per batch, change events per record with the registry's (no) department.
    const events = (await pg.query(
      `SELECT e.entity, e.kind, e.department FROM change_event e WHERE e.batch_id = $1 ORDER BY e.seq`, [p.body.batch.id])).rows;
    expect(events).toEqual(Array(3).fill({ entity: 'Person', kind: 'create', department: null }));
    const audits = await pg.query(`SELECT outcome FROM audit_record WHERE entity = 'ImportBatch' AND entity_id = $1`, [h.body.batch.id]);
    expect(audits.rows).toEqual([{ outcome: 'success' }]);

    // Again under new batch keys: nothing changes.
    const h2 = await post('household', households, 'reg-h-2');
    expect(h2.body.batch).toMatchObject({ status: 'applied', inserted: 0, updated: 0, unchanged: 2 });
    const p2 = await post('person', persons, 'reg-p-2');
    expect(p2.body.batch).toMatchObject({ status: 'applied', inserted: 0, updated: 0, unchanged: 3 });
    // The same key and content: the first result.
    const p3 = await post('person', persons, 'reg-p-1');
    expect(p3.body).toMatchObject({ replayed: true, batch: { id: p.body.batch.id } });
  });

  it('an update changes status, bumps the version and records a status event', async () => {
    const res = await post('household', csv(HH, [['RI-0002', village, 'monitored', 2020, 'provincial', 'disaster', '1', '1', '1', '1', '1', '1']]), 'reg-h-upd');
    expect(res.body.batch).toMatchObject({ status: 'applied', inserted: 0, updated: 1 });
    const row = (await pg.query(`SELECT status, version, main_cause FROM household WHERE number = 'RI-0002'`)).rows[0];
    expect(row).toEqual({ status: 'monitored', version: 2, main_cause: 'disaster' });
    const ev = (await pg.query(
      `SELECT e.from_status, e.to_status, e.reason FROM household_status_event e JOIN household h ON h.id = e.household_id WHERE h.number = 'RI-0002' ORDER BY e.id`)).rows;
    expect(ev).toEqual([
      { from_status: null, to_status: 'none', reason: 'registered in the system' },
      { from_status: 'none', to_status: 'monitored', reason: 'import batch reg-h-upd' },
    ]);
    const change = (await pg.query(`SELECT fields FROM import_row_change WHERE batch_id = $1`, [res.body.batch.id])).rows[0].fields;
    expect(change).toEqual(expect.arrayContaining(['status', 'identificationYear', 'mainCause']));
  });

  it('rejects bad checksums, birth-date mismatches, out-of-scope villages, unknown households and duplicate keys', async () => {
    const bad = id(911).slice(0, 17) + (id(911)[17] === '0' ? '1' : '0');
    const p = await post('person', csv(PH, [
      [bad, 'RI-0001', '坏号', 'child', 'male', '1980-05-01', 'ordinary', 'healthy', ''],
      person(912, 'RI-0001', '错日', { birth: '1980-05-01' }).map((v, i) => (i === 5 ? '1981-05-01' : v)),
      person(913, 'NO-SUCH-1', '无户'),
      person(914, foreignNumber, '外户'),
      person(915, 'RI-0001', '重复'),
      person(915, 'RI-0001', '重复'),
      person(916, 'RI-0001', '好人', { relation: 'child' }),
    ]), 'reg-p-bad', { mode: 'apply-valid' });
    expect(p.body.batch).toMatchObject({ status: 'applied', inserted: 1, rejected: 6 });
    expect(p.body.rejects.map((r: any) => [r.rowNumber, r.column, r.code])).toEqual([
      [1, '身份证号', 'INVALID_ID_NUMBER'],
      [2, '出生日期', 'RULE'],
      [3, '户编号', 'UNKNOWN_HOUSEHOLD'],
      [4, '户编号', 'UNKNOWN_HOUSEHOLD'],
      [5, '身份证号', 'DUPLICATE_KEY'],
      [6, '身份证号', 'DUPLICATE_KEY'],
    ]);
    const h = await post('household', csv(HH, [
      ['RI-0003', foreignVillage, 'none', '', '', '', '1', '1', '1', '1', '1', '1'],
      ['RI-0004', village, 'registered', '', '', '', '1', '1', '1', '1', '1', '1'],
      ['RI-0005', village, 'none', '', '', '', '1', '1', '1', '1', '1', '1'],
    ]), 'reg-h-bad');
    expect(h.status).toBe(422);
    expect(h.body.batch).toMatchObject({ status: 'rejected', inserted: 0, rejected: 2 });
    expect(h.body.rejects.map((r: any) => [r.rowNumber, r.column, r.code])).toEqual([[1, '所在村', 'OUT_OF_SCOPE'], [2, '识别年度', 'RULE']]);
    expect((await pg.query(`SELECT 1 FROM household WHERE number = 'RI-0005'`)).rowCount).toBe(0);
  });

  it('does not move a household to another village, nor a person to another household, and refuses unknown village codes', async () => {
    const other = (await pg.query(`SELECT code FROM village WHERE county_code = $1 ORDER BY code OFFSET 1 LIMIT 1`, [C])).rows[0].code;
    const h = await post('household', csv(HH, [
      ['RI-0001', other, 'registered', 2016, 'national', 'illness', '是', '是', '否', '是', '否', '是'],
      ['RI-0007', '996641999999', 'none', '', '', '', '1', '1', '1', '1', '1', '1'],
    ]), 'reg-h-move', { mode: 'apply-valid' });
    expect(h.body.rejects.map((r: any) => [r.rowNumber, r.column, r.code])).toEqual([[1, '所在村', 'RULE'], [2, '所在村', 'OUT_OF_SCOPE']]);
    const p = await post('person', csv(PH, [person(901, 'RI-0002', '张一')]), 'reg-p-move');
    expect(p.body.rejects.map((r: any) => [r.rowNumber, r.column, r.code])).toEqual([[1, '户编号', 'RULE']]);
  });

  it('an ID number or household number registered in another county is DUPLICATE_ELSEWHERE, saying nowhere where, counted in the audit record', async () => {
    const p = await post('person', csv(PH, [
      [foreignId, 'RI-0001', '外人', 'child', idNumberGender(foreignId), `${foreignId.slice(6, 10)}-${foreignId.slice(10, 12)}-${foreignId.slice(12, 14)}`, 'ordinary', 'healthy', ''],
    ]), 'reg-p-else', { sub: 'reg-prober-1' });
    expect(p.status).toBe(422);
    expect(p.body.rejects).toHaveLength(1);
    const reject = p.body.rejects[0];
    expect(reject.code).toBe('DUPLICATE_ELSEWHERE');
    expect(JSON.stringify(reject)).not.toMatch(new RegExp(`${OTHER}|${foreignVillage}|${foreignNumber}`));
    const h = await post('household', csv(HH, [[foreignNumber, village, 'none', '', '', '', '1', '1', '1', '1', '1', '1']]), 'reg-h-else', { sub: 'reg-prober-1' });
    expect(h.body.rejects.map((r: any) => r.code)).toEqual(['DUPLICATE_ELSEWHERE']);
    const audit = (await pg.query(`SELECT purpose FROM audit_record WHERE entity = 'ImportBatch' AND entity_id = $1`, [p.body.batch.id])).rows[0];
    expect(audit.purpose).toContain('1 of them registered outside the caller\'s scope (DUPLICATE_ELSEWHERE)');
  });

  it('a batch that would pass the hourly DUPLICATE_ELSEWHERE limit is refused whole (RATE_LIMITED, audited)', async () => {
    const foreign = (await pg.query(`SELECT id_number, to_char(birth_date, 'YYYY-MM-DD') AS b FROM person WHERE county_code = $1 ORDER BY id LIMIT 11`, [OTHER])).rows;
    expect(foreign.length).toBe(11);
    const rows = [...foreign.map((f, i) => [f.id_number, 'RI-0001', `猜${i}`, 'child', idNumberGender(f.id_number), f.b, 'ordinary', 'healthy', '']), person(921, 'RI-0001', '真人', { relation: 'child' })];
    const res = await post('person', csv(PH, rows), 'reg-sweep', { sub: 'reg-prober-2', mode: 'apply-valid' });
    expect(res.status).toBe(429);
    expect(res.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect((await pg.query(`SELECT 1 FROM person WHERE id_number = $1`, [id(921)])).rowCount).toBe(0);
    expect((await pg.query(`SELECT 1 FROM import_batch WHERE batch_key = 'reg-sweep'`)).rowCount).toBe(0);
    expect((await pg.query(`SELECT 1 FROM audit_record WHERE subject = 'reg-prober-2' AND outcome = 'rate_limited'`)).rowCount).toBe(1);
    // Ten are within the limit; then the limit is reached and the next batch, and the GraphQL path, are refused.
    const ten = await post('person', csv(PH, rows.slice(0, 10)), 'reg-sweep-10', { sub: 'reg-prober-2' });
    expect(ten.body.batch).toMatchObject({ status: 'rejected', rejected: 10 });
    const next = await post('person', csv(PH, [person(922, 'RI-0001', '真人二', { relation: 'child' })]), 'reg-after', { sub: 'reg-prober-2' });
    expect(next.status).toBe(429);
    const hid = (await pg.query(`SELECT id::text FROM household WHERE number = 'RI-0001'`)).rows[0].id;
    const n = id(923);
    const gql = await app.gql(`mutation($h: ID!, $i: CreatePersonInput!) { createPerson(householdId: $h, input: $i) { id } }`, {
      h: hid, i: { relation: 'CHILD', name: '真人三', idNumber: n, gender: idNumberGender(n).toUpperCase(), birthDate: '1980-05-01', labourAbility: 'ORDINARY', healthCategory: 'HEALTHY', schoolingStage: 'NONE' },
    }, await officer('reg-prober-2'));
    expect(gql.errors?.[0].extensions.code).toBe('RATE_LIMITED');
  });

  it('importBatch takes the registry kinds too (JSON rows, Chinese or English keys)', async () => {
    const res = await app.gql(
      `mutation ($kind: String!, $rows: [JSONObject!]!, $key: String!) { importBatch(kind: $kind, rows: $rows, batchKey: $key) { replayed batch { kind status inserted rejected } } }`,
      { kind: 'household', key: 'reg-gql-h', rows: [{ 户编号: 'RI-0006', 所在村: village, 识别状态: 'registered', 识别年度: 2018, 识别标准: 'national', 主要致贫原因: 'labour',
        water: true, electricity: true, road: true, housing: false, network: true, environment: true }] },
      await officer('reg-gql'));
    expect(res.errors).toBeUndefined();
    expect(res.data.importBatch).toMatchObject({ replayed: false, batch: { kind: 'household', status: 'APPLIED', inserted: 1, rejected: 0 } });
    expect((await pg.query(`SELECT status, main_cause FROM household WHERE number = 'RI-0006'`)).rows).toEqual([{ status: 'registered', main_cause: 'labour' }]);
  });

  it('only the poverty office imports the registry', async () => {
    const res = await post('person', csv(PH, [person(931, 'RI-0001', '某人')]), 'reg-forbidden', { auth: await healthOfficer(C) });
    expect(res.status).toBe(403);
    expect(res.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const wrongDept = await app.post(csv(PH, [person(931, 'RI-0001', '某人')]), { batchKey: 'reg-x' }, { path: '/imports/health/person', auth: await healthOfficer(C) });
    expect(wrongDept.status).toBe(404);
  });

  it('a facet import after a registry import finds the new persons', async () => {
    const res = await app.post(`idNumber,year,scheme,premium,subsidy\n${id(901)},2024,resident,380,380\n`, { batchKey: 'reg-facet' }, { auth: await healthOfficer(C) });
    expect(res.body.batch).toMatchObject({ status: 'applied', inserted: 1, rejected: 0 });
  });
});
