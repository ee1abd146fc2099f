import 'reflect-metadata';
import { Client } from 'pg';
import { dataSource } from '../../ormconfig';
import { Role } from '../../src/core/auth';
import { createContext } from '../../src/core/context';
import { Db } from '../../src/core/db';
import type { FacetDeclaration } from '../../src/core/facet-declaration';
import { Department, HousingGrade } from '../../src/core/vocab';
import { DEFAULT_IMPORT_LIMITS, runImport } from '../../src/modules/ingest';
import { buildImportCounty } from '../support/import-world';

// The engine on a household-parent facet (户编号 household number), declared here for the test
// only (not in FACETS): 住建 housing appraisals keyed by household + appraisal date, and 临时救助
// temporary assistance with no natural key (every row inserts). County 996606 (households
// 6660001–6660008, numbers <village code><4 digits>); 996607 lies outside the officers' region.

const A = '996606';
const B = '996607';

const appraisal: FacetDeclaration = {
  kind: 'test-housing-appraisal', typeName: 'TestHousingAppraisal', description: '测试 test only.', table: 'housing_appraisal',
  department: Department.HOUSING, parent: 'household',
  fields: [
    { name: 'grade', column: 'grade', type: { kind: 'enum', values: HousingGrade, enumName: 'housing_grade' }, description: '等级 grade.', csv: { en: 'grade', zh: '等级' } },
    { name: 'appraisedOn', column: 'appraised_on', type: { kind: 'date', aheadDays: 0 }, description: '鉴定日期 date.', csv: { en: 'appraisedOn', zh: '鉴定日期' } },
    { name: 'appraiser', column: 'appraiser', type: { kind: 'text', maxLength: 100 }, description: '鉴定人 appraiser.', csv: { en: 'appraiser', zh: '鉴定人' } },
  ],
  naturalKey: ['appraisedOn'], orderBy: 'f.appraised_on DESC', edge: { field: 'x', description: 'x' }, mutations: 'custom',
};

const assistance: FacetDeclaration = {
  ...appraisal, kind: 'test-temporary-assistance', table: 'temporary_assistance', department: Department.CIVIL_AFFAIRS, naturalKey: [],
  fields: [
    { name: 'paidOn', column: 'paid_on', type: { kind: 'date', aheadDays: 0 }, description: '发放日期 date.', csv: { en: 'paidOn', zh: '发放日期' } },
    { name: 'amount', column: 'amount', type: { kind: 'money', min: 1, max: 50_000 }, description: '金额 amount.', csv: { en: 'amount', zh: '金额' } },
    { name: 'reason', column: 'reason', type: { kind: 'text', maxLength: 200 }, description: '事由 reason.', csv: { en: 'reason', zh: '事由' } },
  ],
};

describe('imports of household facets (户编号)', () => {
  let pg: Client;
  let numbers: string[];
  let foreign: string;

  beforeAll(async () => {
    const url = process.env.TEST_DATABASE_URL as string;
    await buildImportCounty(url, A, 6_660_000);
    await buildImportCounty(url, B, 6_670_000);
    pg = new Client({ connectionString: url });
    await pg.connect();
    numbers = (await pg.query(`SELECT number FROM household WHERE county_code = $1 ORDER BY id`, [A])).rows.map((r) => r.number);
    foreign = (await pg.query(`SELECT number FROM household WHERE county_code = $1 ORDER BY id LIMIT 1`, [B])).rows[0].number;
    dataSource.setOptions({ url: process.env.TEST_APP_DATABASE_URL });
    if (!dataSource.isInitialized) await dataSource.initialize();
  });
  afterAll(async () => {
    await pg?.end();
    if (dataSource.isInitialized) await dataSource.destroy();
  });

  const run = (facet: FacetDeclaration, department: Department, batchKey: string, rows: string[][], mode: 'all_or_nothing' | 'apply_valid' = 'all_or_nothing') => {
    const ctx = createContext(new Db(dataSource), { principal: { subject: `hh-${department}`, role: Role.OFFICER, department, scope: A } });
    async function* records() {
      for (const r of rows) yield r;
    }
    return runImport(ctx, { facet, batchKey, mode, encoding: 'utf-8', bom: false, records: records(), limits: DEFAULT_IMPORT_LIMITS });
  };

  it('matches households by number: inserts, updates by natural key, rejects unknown and foreign numbers and duplicates', async () => {
    const first = await run(appraisal, Department.HOUSING, 'hh-1', [
      ['户编号', '等级', '鉴定日期', '鉴定人'],
      [numbers[0], 'C', '2024-05-01', '王工'],
      [numbers[1], 'A', '2024-05-01', '王工'],
    ]);
    expect(first.batch).toMatchObject({ status: 'applied', inserted: 2 });
    const second = await run(appraisal, Department.HOUSING, 'hh-2', [
      ['householdNumber', 'grade', 'appraisedOn', 'appraiser'],
      [numbers[0], 'D', '2024-05-01', '王工'],
      [numbers[1], 'A', '2024-05-01', '王工'],
      [numbers[2], 'B', '2024-06-01', '李工'],
      [numbers[2], 'B', '2024-06-01', '李工'],
      [foreign, 'B', '2024-06-01', '李工'],
      ['999', 'B', '2024-06-01', '李工'],
    ], 'apply_valid');
    expect(second.batch).toMatchObject({ status: 'applied', inserted: 0, updated: 1, unchanged: 1, rejected: 4 });
    const rejects = (await pg.query(`SELECT row_number AS r, column_name AS c, code FROM import_reject WHERE batch_id = $1 ORDER BY id`, [second.batch.id])).rows;
    expect(rejects).toEqual([
      { r: 3, c: 'householdNumber', code: 'DUPLICATE_KEY' },
      { r: 4, c: 'householdNumber', code: 'DUPLICATE_KEY' },
      { r: 5, c: 'householdNumber', code: 'UNKNOWN_HOUSEHOLD' },
      { r: 6, c: 'householdNumber', code: 'UNKNOWN_HOUSEHOLD' },
    ]);
    const grades = (await pg.query(`SELECT a.grade, a.version FROM housing_appraisal a JOIN household h ON h.id = a.household_id WHERE h.number = ANY($1) AND a.appraised_on = '2024-05-01' ORDER BY h.number`, [[numbers[0], numbers[1]]])).rows;
    expect(grades).toEqual([{ grade: 'D', version: 2 }, { grade: 'A', version: 1 }]);
  });

  it('with no natural key every row inserts, repeated rows included', async () => {
    const rows = [['householdNumber', 'paidOn', 'amount', 'reason'], [numbers[3], '2024-02-01', '500', '火灾'], [numbers[3], '2024-02-01', '500', '火灾']];
    const done = await run(assistance, Department.CIVIL_AFFAIRS, 'hh-3', rows);
    expect(done.batch).toMatchObject({ status: 'applied', inserted: 2, rejected: 0 });
    const again = await run(assistance, Department.CIVIL_AFFAIRS, 'hh-3', rows);
    expect(again).toMatchObject({ replayed: true, batch: { id: done.batch.id } });
    const n = await pg.query(`SELECT 1 FROM temporary_assistance t JOIN household h ON h.id = t.household_id WHERE h.number = $1 AND t.reason = '火灾'`, [numbers[3]]);
    expect(n.rowCount).toBe(2);
  });
});
