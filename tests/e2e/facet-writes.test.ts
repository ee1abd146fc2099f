import { Client } from 'pg';
import { Role } from '../../src/core/auth';
import { Department } from '../../src/core/vocab';
import { bearer, startApp, type GqlResult } from '../support/app';
import { buildCounty } from '../support/fixtures';

// Department writes (issue 3 §3). County 990501: townships 001 and 002, one village each
// (990501001001, 990501002001), four households per village: 9500001–9500004 in 001, 9500005–
// 9500008 in 002; per village the 1st is exited, 2nd monitored, 3rd never registered, 4th
// registered. Household h has members h*10+1 (head, 1970), h*10+2 (spouse), h*10+3 (child,
// 2014); the fixture insures everyone for 2023 and 2024 and enrols each child for 2024.
// County 990502 (households 9600001–9600008) is the foreign region. Each test makes its own
// records; every request carries its own request id, by which its audit records are found.

const A = '990501';
const B = '990502';
const MISSING_HOUSEHOLD = '9599999';
const MISSING_PERSON = '95999991';
const NEXT_YEAR_PLUS_2 = new Date().getUTCFullYear() + 3;

const officer = (department: Department, scope = A) => bearer({ role: Role.OFFICER, department, scope, sub: `fw-${department}-${scope}` });
const coordinator = (scope = A) => bearer({ role: Role.COORDINATOR, scope, sub: `fw-coordinator-${scope}` });

const DIBAO = 'id version householdId category monthlyAmount coveredPersons startDate endDate status';
const M = {
  createDibao: `mutation ($h: ID!, $input: CreateDibaoEnrolmentInput!) { createDibaoEnrolment(householdId: $h, input: $input) { ${DIBAO} } }`,
  updateDibao: `mutation ($id: ID!, $v: Int!, $input: UpdateDibaoEnrolmentInput!) { updateDibaoEnrolment(id: $id, version: $v, input: $input) { ${DIBAO} } }`,
  endDibao: `mutation ($id: ID!, $v: Int!, $input: EndDibaoEnrolmentInput!) { endDibaoEnrolment(id: $id, version: $v, input: $input) { ${DIBAO} } }`,
  createTemp: `mutation ($h: ID!, $input: CreateTemporaryAssistanceInput!) { createTemporaryAssistance(householdId: $h, input: $input) { id version paidOn amount reason } }`,
  createInsurance: `mutation ($p: ID!, $input: CreateInsuranceEnrolmentInput!) { createInsuranceEnrolment(personId: $p, input: $input) { id version personId year scheme premium subsidy } }`,
  updateInsurance: `mutation ($id: ID!, $v: Int!, $input: UpdateInsuranceEnrolmentInput!) { updateInsuranceEnrolment(id: $id, version: $v, input: $input) { id version scheme subsidy } }`,
  createClaim: `mutation ($p: ID!, $input: CreateMedicalAssistanceClaimInput!) { createMedicalAssistanceClaim(personId: $p, input: $input) { id version claimDate totalCost reimbursed outOfPocket } }`,
  updateClaim: `mutation ($id: ID!, $v: Int!, $input: UpdateMedicalAssistanceClaimInput!) { updateMedicalAssistanceClaim(id: $id, version: $v, input: $input) { id version totalCost reimbursed outOfPocket } }`,
  createSchool: `mutation ($p: ID!, $input: CreateSchoolEnrolmentInput!) { createSchoolEnrolment(personId: $p, input: $input) { id version schoolYear stage grade status } }`,
  updateSchool: `mutation ($id: ID!, $v: Int!, $input: UpdateSchoolEnrolmentInput!) { updateSchoolEnrolment(id: $id, version: $v, input: $input) { id version status } }`,
  openWatch: `mutation ($p: ID!, $input: OpenDropoutWatchInput!) { openDropoutWatch(personId: $p, input: $input) { id version openedOn status closedOn } }`,
  closeWatch: `mutation ($id: ID!, $v: Int!, $input: CloseDropoutWatchInput!) { closeDropoutWatch(id: $id, version: $v, input: $input) { id version status closedOn } }`,
  appraise: `mutation ($h: ID!, $input: RecordHousingAppraisalInput!) { recordHousingAppraisal(householdId: $h, input: $input) { id version grade appraisedOn appraiser } }`,
  createRenovation: `mutation ($h: ID!, $input: CreateRenovationProjectInput!) { createRenovationProject(householdId: $h, input: $input) { id version fundingDepartment status startDate completedOn } }`,
  updateRenovation: `mutation ($id: ID!, $v: Int!, $input: UpdateRenovationProjectInput!) { updateRenovationProject(id: $id, version: $v, input: $input) { id version status completedOn } }`,
  createRelocation: `mutation ($h: ID!, $input: CreateRelocationInput!) { createRelocation(householdId: $h, input: $input) { id version destinationCode status movedOn } }`,
  updateRelocation: `mutation ($id: ID!, $v: Int!, $input: UpdateRelocationInput!) { updateRelocation(id: $id, version: $v, input: $input) { id version status movedOn } }`,
  createPairing: `mutation ($h: ID!, $input: CreatePairingInput!) { createPairing(householdId: $h, input: $input) { id version startDate endDate cadre { id name } } }`,
  endPairing: `mutation ($id: ID!, $v: Int!, $input: EndPairingInput!) { endPairing(id: $id, version: $v, input: $input) { id version endDate } }`,
  createMeasure: `mutation ($h: ID!, $input: CreateMeasureInput!) { createMeasure(householdId: $h, input: $input) { id version kind department status amount year } }`,
  updateMeasure: `mutation ($id: ID!, $v: Int!, $input: UpdateMeasureInput!) { updateMeasure(id: $id, version: $v, input: $input) { id version status amount } }`,
};

const dibaoInput = { category: 'CLASS_A', monthlyAmount: 455.5, coveredPersons: 3, startDate: '2025-01-01' };
const measureInput = { kind: 'INDUSTRY', department: 'POVERTY_OFFICE', amount: 3000, year: 2025, description: '养殖 livestock' };

describe('department writes (issue 3 §3)', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let pg: Client;
  const cadre: Record<string, string> = {};
  let seq = 0;

  /** Runs a mutation as `authorization` under a fresh request id. */
  const run = async (doc: string, variables: Record<string, unknown>, authorization: Promise<string> | string) => {
    // The client's id is only logged; the audit record carries the server's (x-request-id).
    return app.gql(doc, variables, { authorization: await authorization, 'x-request-id': `fw-${++seq}` });
  };
  const ok = <T extends GqlResult>(r: T): T['data'][string] => {
    expect(r.errors).toBeUndefined();
    return Object.values(r.data)[0];
  };
  const code = (r: GqlResult) => r.errors?.[0].extensions?.code;
  const field = (r: GqlResult) => r.errors?.[0].extensions?.field;
  const sql = async (text: string, params: unknown[] = []) => (await pg.query(text, params)).rows;
  const row = async (table: string, id: string) => (await sql(`SELECT * FROM ${table} WHERE id = $1`, [id]))[0];
  const count = async (table: string) => Number((await sql(`SELECT count(*) FROM ${table} WHERE county_code IN ($1, $2)`, [A, B]))[0].count);
  const counts = async (tables: string[]) => {
    const result: number[] = [];
    for (const table of tables) result.push(await count(table));
    return result;
  };
  const audit = (requestId: string) =>
    sql('SELECT action, entity, entity_id, outcome, region_code FROM audit_record WHERE request_id = $1 ORDER BY seq', [requestId]);
  const auditedOnce = async (r: { requestId: string }, action: string, entity: string, entityId: string, regionCode: string) =>
    expect(await audit(r.requestId)).toEqual([{ action, entity, entity_id: entityId, outcome: 'success', region_code: regionCode }]);
  const insert = async (table: string, values: Record<string, unknown>) => {
    const cols = Object.keys(values);
    const rows = await sql(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id::text AS id`, Object.values(values));
    return rows[0].id as string;
  };

  beforeAll(async () => {
    const url = process.env.TEST_DATABASE_URL as string;
    await buildCounty(url, { county: A, townships: 2, villagesPerTownship: 1, householdsPerVillage: 4, idBase: 9_500_000 });
    await buildCounty(url, { county: B, townships: 2, villagesPerTownship: 1, householdsPerVillage: 4, idBase: 9_600_000 });
    app = await startApp();
    pg = new Client({ connectionString: url });
    await pg.connect();
    cadre.a1 = await insert('cadre', { county_code: A, name: '张干部', unit: '县扶贫办' });
    cadre.a2 = await insert('cadre', { county_code: A, name: '李干部', unit: '县农业局' });
    cadre.b1 = await insert('cadre', { county_code: B, name: '王干部', unit: '邻县扶贫办' });
  });
  afterAll(async () => {
    await pg?.end();
    await app?.stop();
  });

  it('民政 civil affairs creates, updates and ends a 低保 enrolment in its scope, one audit record each', async () => {
    const civil = officer(Department.CIVIL_AFFAIRS);
    const created = await run(M.createDibao, { h: '9500001', input: { ...dibaoInput, coveredPersons: 2 } }, civil);
    const e = ok(created);
    expect(e).toEqual({ ...dibaoInput, id: expect.any(String), version: 1, householdId: '9500001', coveredPersons: 2, endDate: null, status: 'ACTIVE' });
    await auditedOnce(created, 'create', 'DibaoEnrolment', e.id, '990501001001');

    const read = await app.gql(`{ household(id: "9500001") { dibaoEnrolments { ${DIBAO} } } }`, {}, { authorization: await civil });
    expect(read.data.household.dibaoEnrolments).toContainEqual(e);

    const updated = await run(M.updateDibao, { id: e.id, v: 1, input: { monthlyAmount: 520, category: 'CLASS_B' } }, civil);
    expect(ok(updated)).toMatchObject({ id: e.id, version: 2, monthlyAmount: 520, category: 'CLASS_B', status: 'ACTIVE' });
    await auditedOnce(updated, 'update', 'DibaoEnrolment', e.id, '990501001001');

    const ended = await run(M.endDibao, { id: e.id, v: 2, input: { endDate: '2025-12-31' } }, civil);
    expect(ok(ended)).toMatchObject({ version: 3, endDate: '2025-12-31', status: 'ENDED' });
    await auditedOnce(ended, 'end', 'DibaoEnrolment', e.id, '990501001001');

    // Ending it again is a conflict with what it now is, and changes nothing.
    const before = await row('dibao_enrolment', e.id);
    const again = await run(M.endDibao, { id: e.id, v: 3, input: { endDate: '2026-01-31' } }, civil);
    expect(code(again)).toBe('CONFLICT');
    expect(await row('dibao_enrolment', e.id)).toEqual(before);

    const paid = await run(M.createTemp, { h: '9500001', input: { paidOn: '2025-06-01', amount: 800, reason: '  火灾 house fire ' } }, civil);
    expect(ok(paid)).toMatchObject({ version: 1, paidOn: '2025-06-01', amount: 800, reason: '火灾 house fire' });
    await auditedOnce(paid, 'create', 'TemporaryAssistance', ok(paid).id, '990501001001');
  });

  it('卫健/医保 health enrols a person for a year and records and corrects a claim whose amounts add up', async () => {
    const health = officer(Department.HEALTH);
    const created = await run(M.createInsurance, { p: '95000021', input: { year: 2025, scheme: 'RESIDENT', premium: 380, subsidy: 200 } }, health);
    const e = ok(created);
    expect(e).toMatchObject({ version: 1, personId: '95000021', year: 2025, premium: 380, subsidy: 200 });
    await auditedOnce(created, 'create', 'InsuranceEnrolment', e.id, '990501001001');
    const read = await app.gql(`{ person(id: "95000021") { insuranceEnrolments(year: 2025) { id version } } }`, {}, { authorization: await health });
    expect(read.data.person.insuranceEnrolments).toEqual([{ id: e.id, version: 1 }]);

    // One enrolment per person and year: the unique index decides, the field is named.
    const rows = await count('insurance_enrolment');
    const dup = await run(M.createInsurance, { p: '95000021', input: { year: 2025, scheme: 'EMPLOYEE', premium: 0, subsidy: 0 } }, health);
    expect([code(dup), field(dup)]).toEqual(['BAD_USER_INPUT', 'input.year']);
    expect(await count('insurance_enrolment')).toBe(rows);

    const updated = await run(M.updateInsurance, { id: e.id, v: 1, input: { scheme: 'EMPLOYEE', subsidy: 100 } }, health);
    expect(ok(updated)).toEqual({ id: e.id, version: 2, scheme: 'EMPLOYEE', subsidy: 100 });
    await auditedOnce(updated, 'update', 'InsuranceEnrolment', e.id, '990501001001');

    const claim = ok(await run(M.createClaim, { p: '95000021', input: { claimDate: '2025-03-05', totalCost: 5321.4, reimbursed: 4100, outOfPocket: 1221.4 } }, health));
    expect(claim).toMatchObject({ version: 1, totalCost: 5321.4, outOfPocket: 1221.4 });
    const before = await row('medical_assistance_claim', claim.id);
    const unbalanced = await run(M.updateClaim, { id: claim.id, v: 1, input: { totalCost: 6000 } }, health);
    expect([code(unbalanced), field(unbalanced)]).toEqual(['BAD_USER_INPUT', 'input.outOfPocket']);
    expect(await row('medical_assistance_claim', claim.id)).toEqual(before);
    expect(await audit(unbalanced.requestId)).toEqual([expect.objectContaining({ action: 'update', outcome: 'invalid' })]);
    const corrected = await run(M.updateClaim, { id: claim.id, v: 1, input: { totalCost: 6000, outOfPocket: 1900 } }, health);
    expect(ok(corrected)).toEqual({ id: claim.id, version: 2, totalCost: 6000, reimbursed: 4100, outOfPocket: 1900 });
  });

  it('教育 education enrols a child, records the dropout, and opens and closes a dropout watch', async () => {
    const education = officer(Department.EDUCATION);
    const enrolled = await run(M.createSchool, { p: '95000033', input: { schoolYear: 2025, stage: 'PRIMARY', schoolName: '测试小学', grade: 5 } }, education);
    const e = ok(enrolled);
    expect(e).toMatchObject({ version: 1, schoolYear: 2025, stage: 'PRIMARY', grade: 5, status: 'ENROLLED' });
    await auditedOnce(enrolled, 'create', 'SchoolEnrolment', e.id, '990501001001');

    // A second ENROLLED record for the same school year is refused.
    const twice = await run(M.createSchool, { p: '95000033', input: { schoolYear: 2025, stage: 'PRIMARY', schoolName: '另一小学', grade: 5 } }, education);
    expect([code(twice), field(twice)]).toEqual(['BAD_USER_INPUT', 'input.schoolYear']);

    const dropped = await run(M.updateSchool, { id: e.id, v: 1, input: { status: 'DROPPED_OUT' } }, education);
    expect(ok(dropped)).toEqual({ id: e.id, version: 2, status: 'DROPPED_OUT' });
    await auditedOnce(dropped, 'update', 'SchoolEnrolment', e.id, '990501001001');

    const opened = await run(M.openWatch, { p: '95000033', input: { openedOn: '2025-11-03', reason: '随父母外出 left with parents' } }, education);
    const w = ok(opened);
    expect(w).toMatchObject({ version: 1, status: 'OPEN', closedOn: null });
    await auditedOnce(opened, 'create', 'DropoutWatch', w.id, '990501001001');
    const second = await run(M.openWatch, { p: '95000033', input: { openedOn: '2025-11-04', reason: 'again' } }, education);
    expect([code(second), field(second)]).toEqual(['BAD_USER_INPUT', 'personId']);

    const early = await run(M.closeWatch, { id: w.id, v: 1, input: { closedOn: '2025-10-01', outcome: 'RETURNED' } }, education);
    expect([code(early), field(early)]).toEqual(['BAD_USER_INPUT', 'input.closedOn']);
    const closed = await run(M.closeWatch, { id: w.id, v: 1, input: { closedOn: '2025-12-01', outcome: 'RETURNED' } }, education);
    expect(ok(closed)).toEqual({ id: w.id, version: 2, status: 'RETURNED', closedOn: '2025-12-01' });
    await auditedOnce(closed, 'end', 'DropoutWatch', w.id, '990501001001');
    expect(code(await run(M.closeWatch, { id: w.id, v: 2, input: { closedOn: '2025-12-02', outcome: 'CLOSED' } }, education))).toBe('CONFLICT');
  });

  it('住建 housing records an appraisal, completes a renovation and relocates to a division inside its scope', async () => {
    const housing = officer(Department.HOUSING);
    const appraised = await run(M.appraise, { h: '9500004', input: { grade: 'D', appraisedOn: '2025-03-01', appraiser: '县房屋鉴定站' } }, housing);
    const a = ok(appraised);
    await auditedOnce(appraised, 'create', 'HousingAppraisal', a.id, '990501001001');
    const latest = await app.gql(`{ household(id: "9500004") { latestHousingAppraisal { id grade } } }`, {}, { authorization: await housing });
    expect(latest.data.household.latestHousingAppraisal).toEqual({ id: a.id, grade: 'D' });

    const project = ok(await run(M.createRenovation, { h: '9500004', input: { subsidyAmount: 15000, status: 'UNDERWAY', startDate: '2025-04-01' } }, housing));
    expect(project).toMatchObject({ version: 1, fundingDepartment: 'HOUSING', status: 'UNDERWAY', completedOn: null });
    const noDate = await run(M.updateRenovation, { id: project.id, v: 1, input: { status: 'COMPLETED' } }, housing);
    expect([code(noDate), field(noDate)]).toEqual(['BAD_USER_INPUT', 'input.completedOn']);
    const done = await run(M.updateRenovation, { id: project.id, v: 1, input: { status: 'COMPLETED', completedOn: '2025-09-30' } }, housing);
    expect(ok(done)).toEqual({ id: project.id, version: 2, status: 'COMPLETED', completedOn: '2025-09-30' });
    await auditedOnce(done, 'update', 'RenovationProject', project.id, '990501001001');

    // The destination must be a real division inside the caller's scope.
    const relocations = await count('relocation');
    for (const destinationCode of ['990502001001', '990501009000', '990501001999']) {
      const bad = await run(M.createRelocation, { h: '9500004', input: { destinationCode, settlementMode: 'CENTRALISED', plannedYear: 2025, subsidyAmount: 60000 } }, housing);
      expect([code(bad), field(bad)]).toEqual(['BAD_USER_INPUT', 'input.destinationCode']);
    }
    expect(await count('relocation')).toBe(relocations);
    const moved = await run(M.createRelocation, { h: '9500004', input: { destinationCode: '990501002', settlementMode: 'CENTRALISED', plannedYear: 2025, subsidyAmount: 60000 } }, housing);
    const r = ok(moved);
    expect(r).toMatchObject({ version: 1, destinationCode: '990501002000', status: 'PLANNED', movedOn: null });
    await auditedOnce(moved, 'create', 'Relocation', r.id, '990501001001');
    const arrived = await run(M.updateRelocation, { id: r.id, v: 1, input: { status: 'COMPLETED', movedOn: '2025-10-01' } }, housing);
    expect(ok(arrived)).toEqual({ id: r.id, version: 2, status: 'COMPLETED', movedOn: '2025-10-01' });
  });

  it('扶贫办 poverty office and coordinators pair cadres of the county and keep measures; 不脱贫不脱钩 holds', async () => {
    const poverty = officer(Department.POVERTY_OFFICE);
    const coord = coordinator();
    // 9500008 is registered (village 990501002001) and has no pairing yet.
    const paired = await run(M.createPairing, { h: '9500008', input: { cadreId: cadre.a1, startDate: '2025-01-10' } }, coord);
    const p1 = ok(paired);
    expect(p1).toEqual({ id: expect.any(String), version: 1, startDate: '2025-01-10', endDate: null, cadre: { id: cadre.a1, name: '张干部' } });
    await auditedOnce(paired, 'create', 'Pairing', p1.id, '990501002001');

    const foreign = await run(M.createPairing, { h: '9500008', input: { cadreId: cadre.b1, startDate: '2025-01-10' } }, poverty);
    expect([code(foreign), field(foreign)]).toEqual(['BAD_USER_INPUT', 'input.cadreId']);
    const twice = await run(M.createPairing, { h: '9500008', input: { cadreId: cadre.a1, startDate: '2025-02-10' } }, poverty);
    expect([code(twice), field(twice)]).toEqual(['BAD_USER_INPUT', 'input.cadreId']);

    // The only current pairing of a registered household cannot end.
    const last = await run(M.endPairing, { id: p1.id, v: 1, input: { endDate: '2025-06-30' } }, poverty);
    expect([code(last), field(last)]).toEqual(['BAD_USER_INPUT', 'id']);
    expect((await row('pairing', p1.id)).end_date).toBeNull();

    ok(await run(M.createPairing, { h: '9500008', input: { cadreId: cadre.a2, startDate: '2025-06-01' } }, poverty));
    const ended = await run(M.endPairing, { id: p1.id, v: 1, input: { endDate: '2025-06-30' } }, poverty);
    expect(ok(ended)).toEqual({ id: p1.id, version: 2, endDate: '2025-06-30' });
    await auditedOnce(ended, 'end', 'Pairing', p1.id, '990501002001');
    expect(code(await run(M.endPairing, { id: p1.id, v: 2, input: { endDate: '2025-07-31' } }, poverty))).toBe('CONFLICT');

    const measure = await run(M.createMeasure, { h: '9500008', input: measureInput }, poverty);
    const m = ok(measure);
    expect(m).toMatchObject({ version: 1, kind: 'INDUSTRY', department: 'POVERTY_OFFICE', status: 'PLANNED', amount: 3000, year: 2025 });
    await auditedOnce(measure, 'create', 'Measure', m.id, '990501002001');
    // A status change is a legal move (planned → underway); measures.test.ts covers the machine.
    const progressed = await run(M.updateMeasure, { id: m.id, v: 1, input: { status: 'UNDERWAY', amount: 3500 } }, coord);
    expect(ok(progressed)).toEqual({ id: m.id, version: 2, status: 'UNDERWAY', amount: 3500 });
    await auditedOnce(progressed, 'update', 'Measure', m.id, '990501002001');
  });

  it('a wrong-department caller is FORBIDDEN and nothing changes', async () => {
    const [insurance] = await sql(`SELECT id::text AS id, version FROM insurance_enrolment WHERE person_id = 95000011 AND year = 2023`);
    const before = await row('insurance_enrolment', insurance.id);
    const tables = ['dibao_enrolment', 'medical_assistance_claim', 'school_enrolment', 'housing_appraisal', 'measure', 'pairing'];
    const counts0 = await counts(tables);
    const attempts: Array<[string, Record<string, unknown>, Promise<string>]> = [
      [M.createDibao, { h: '9500001', input: dibaoInput }, officer(Department.HEALTH)],
      [M.updateInsurance, { id: insurance.id, v: insurance.version, input: { subsidy: 0 } }, officer(Department.CIVIL_AFFAIRS)],
      [M.createClaim, { p: '95000011', input: { claimDate: '2025-01-01', totalCost: 10, reimbursed: 5, outOfPocket: 5 } }, officer(Department.POVERTY_OFFICE)],
      [M.createSchool, { p: '95000013', input: { schoolYear: 2025, stage: 'PRIMARY', schoolName: '小学', grade: 5 } }, officer(Department.HOUSING)],
      [M.appraise, { h: '9500001', input: { grade: 'A', appraisedOn: '2025-01-01', appraiser: 'x' } }, officer(Department.EDUCATION)],
      [M.createMeasure, { h: '9500001', input: measureInput }, officer(Department.CIVIL_AFFAIRS)],
      [M.createPairing, { h: '9500001', input: { cadreId: cadre.a1, startDate: '2025-01-01' } }, bearer({ role: Role.ANALYST, scope: A })],
      [M.createDibao, { h: '9500001', input: dibaoInput }, coordinator()],
    ];
    const requestIds: string[] = [];
    for (const [doc, variables, who] of attempts) {
      const r = await run(doc, variables, who);
      expect(code(r)).toBe('FORBIDDEN');
      expect(r.data).toBeNull();
      requestIds.push(r.requestId);
    }
    expect(await counts(tables)).toEqual(counts0);
    expect(await row('insurance_enrolment', insurance.id)).toEqual(before);
    // Each refusal is audited, though it happened before any write began.
    const refused = await sql(`SELECT entity, action, outcome FROM audit_record WHERE request_id = ANY($1) ORDER BY seq`, [requestIds]);
    expect(refused).toHaveLength(attempts.length);
    expect(refused.every((r) => r.outcome === 'forbidden')).toBe(true);
    expect(refused.find((r) => r.entity === 'Mutation.updateInsuranceEnrolment')?.action).toBe('update');
  });

  it('a target outside the scope answers NOT_FOUND exactly like a missing id, and nothing changes', async () => {
    const civil = officer(Department.CIVIL_AFFAIRS);
    const tables = ['dibao_enrolment', 'insurance_enrolment', 'renovation_project', 'measure', 'pairing'];
    const counts0 = await counts(tables);
    const same = async (doc: string, who: Promise<string>, foreign: Record<string, unknown>, missing: Record<string, unknown>) => {
      const f = await run(doc, foreign, who);
      const m = await run(doc, missing, who);
      expect(code(f)).toBe('NOT_FOUND');
      expect(f.errors?.[0]).toEqual(m.errors?.[0]);
      expect(await audit(f.requestId)).toEqual([expect.objectContaining({ outcome: 'not_found' })]);
    };
    await same(M.createDibao, civil, { h: '9600001', input: dibaoInput }, { h: MISSING_HOUSEHOLD, input: dibaoInput });
    // A township officer does not reach the other township of the same county.
    const township = officer(Department.HEALTH, '990501001');
    const ins = { year: 2025, scheme: 'RESIDENT', premium: 380, subsidy: 200 };
    await same(M.createInsurance, township, { p: '95000051', input: ins }, { p: MISSING_PERSON, input: ins });
    await same(M.createPairing, coordinator(), { h: '9600008', input: { cadreId: cadre.b1, startDate: '2025-01-01' } },
      { h: MISSING_HOUSEHOLD, input: { cadreId: cadre.a1, startDate: '2025-01-01' } });

    // Updates of records in the foreign county, sent with their true version.
    const [foreignInsurance] = await sql(`SELECT id::text AS id, version FROM insurance_enrolment WHERE person_id = 96000011 AND year = 2024`);
    const renovation = await insert('renovation_project', { county_code: B, household_id: 9600004, funding_department: 'housing', subsidy_amount: 1, status: 'planned', start_date: '2025-01-01' });
    const measure = await insert('measure', { county_code: B, household_id: 9600004, kind: 'industry', department: 'poverty_office', status: 'planned', amount: 1, year: 2025, description: 'x' });
    const snapshot = async () => [await row('insurance_enrolment', foreignInsurance.id), await row('renovation_project', renovation), await row('measure', measure)];
    const before = await snapshot();
    await same(M.updateInsurance, officer(Department.HEALTH), { id: foreignInsurance.id, v: foreignInsurance.version, input: { subsidy: 0 } },
      { id: '999999999', v: 1, input: { subsidy: 0 } });
    await same(M.updateRenovation, officer(Department.HOUSING), { id: renovation, v: 1, input: { subsidyAmount: 2 } },
      { id: '999999999', v: 1, input: { subsidyAmount: 2 } });
    await same(M.updateMeasure, coordinator(), { id: measure, v: 1, input: { amount: 2 } }, { id: '999999999', v: 1, input: { amount: 2 } });
    expect(await snapshot()).toEqual(before);
    expect(await counts(tables)).toEqual(counts0.map((n, i) => n + (['renovation_project', 'measure'].includes(tables[i]) ? 1 : 0)));
  });

  it('a stale version is a CONFLICT carrying the current version, and changes nothing', async () => {
    // Records at version 3; the caller sends the version 2 it read earlier.
    const base = { county_code: A, household_id: 9500002, version: 3 };
    const dibao = await insert('dibao_enrolment', { ...base, category: 'class_a', monthly_amount: 400, covered_persons: 2, start_date: '2020-01-01', status: 'ended', end_date: '2020-12-31' });
    const claim = await insert('medical_assistance_claim', { ...base, person_id: 95000022, claim_date: '2025-01-01', total_cost: 100, reimbursed: 60, out_of_pocket: 40 });
    const school = await insert('school_enrolment', { ...base, person_id: 95000023, school_year: 2023, stage: 'primary', school_name: '小学', grade: 3, status: 'graduated' });
    const relocation = await insert('relocation', { ...base, destination_code: '990501002001', settlement_mode: 'dispersed', planned_year: 2025, subsidy_amount: 1, status: 'planned' });
    const measure = await insert('measure', { ...base, kind: 'industry', department: 'poverty_office', status: 'planned', amount: 1, year: 2025, description: 'x' });
    const cases: Array<[string, string, string, Record<string, unknown>, Promise<string>]> = [
      ['dibao_enrolment', dibao, M.updateDibao, { monthlyAmount: 1 }, officer(Department.CIVIL_AFFAIRS)],
      ['medical_assistance_claim', claim, M.updateClaim, { claimDate: '2025-01-02' }, officer(Department.HEALTH)],
      ['school_enrolment', school, M.updateSchool, { status: 'DROPPED_OUT' }, officer(Department.EDUCATION)],
      ['relocation', relocation, M.updateRelocation, { subsidyAmount: 2 }, officer(Department.HOUSING)],
      ['measure', measure, M.updateMeasure, { amount: 2 }, coordinator()],
      ['dibao_enrolment', dibao, M.endDibao, { endDate: '2020-06-30' }, officer(Department.CIVIL_AFFAIRS)],
    ];
    for (const [table, id, doc, input, who] of cases) {
      const before = await row(table, id);
      const r = await run(doc, { id, v: 2, input }, who);
      expect(code(r)).toBe('CONFLICT');
      expect(r.errors?.[0].extensions?.currentVersion).toBe(3);
      expect(await row(table, id)).toEqual(before);
      expect(await audit(r.requestId)).toEqual([expect.objectContaining({ entity_id: id, outcome: 'conflict' })]);
    }

    // Two writers holding the same version: the second waits for the first, then finds its version gone.
    const race = await Promise.all([1000, 2000].map((amount) => run(M.updateMeasure, { id: measure, v: 3, input: { amount } }, coordinator())));
    expect(race.map(code).sort()).toEqual(['CONFLICT', undefined]);
    const winner = race.find((r) => !r.errors) as GqlResult;
    expect(await row('measure', measure)).toMatchObject({ version: 4, amount: String(winner.data.updateMeasure.amount.toFixed(2)) });
  });

  it('bad input is BAD_USER_INPUT naming the field, and nothing changes', async () => {
    const civil = officer(Department.CIVIL_AFFAIRS);
    const health = officer(Department.HEALTH);
    const education = officer(Department.EDUCATION);
    const [dibao] = await sql(`INSERT INTO dibao_enrolment (county_code, household_id, category, monthly_amount, covered_persons, start_date, status)
                                VALUES ($1, 9500003, 'class_c', 300, 1, '2024-01-01', 'active') RETURNING id::text AS id, version`, [A]);
    const measure = await insert('measure', { county_code: A, household_id: 9500003, kind: 'industry', department: 'poverty_office', status: 'planned', amount: 1, year: 2025, description: 'x' });
    const tables = ['dibao_enrolment', 'insurance_enrolment', 'medical_assistance_claim', 'school_enrolment', 'measure'];
    const counts0 = await counts(tables);
    const snapshot = async () => [await row('dibao_enrolment', dibao.id), await row('measure', measure)];
    const before = await snapshot();
    const cases: Array<[string, Record<string, unknown>, Promise<string>, string]> = [
      // Shape rules (class-validator, before the resolver runs).
      [M.createDibao, { h: '9500003', input: { ...dibaoInput, monthlyAmount: -1 } }, civil, 'monthlyAmount'],
      [M.createDibao, { h: '9500003', input: { ...dibaoInput, monthlyAmount: 1.234 } }, civil, 'monthlyAmount'],
      [M.createDibao, { h: '9500003', input: { ...dibaoInput, monthlyAmount: 1e9 } }, civil, 'monthlyAmount'],
      [M.createClaim, { p: '95000031', input: { claimDate: '2025-01-01', totalCost: -10, reimbursed: 0, outOfPocket: -10 } }, health, 'totalCost'],
      [M.createInsurance, { p: '95000031', input: { year: 1999, scheme: 'RESIDENT', premium: 1, subsidy: 0 } }, health, 'year'],
      // Rules over several fields or the database (the service; audited as invalid).
      [M.createDibao, { h: '9500003', input: { ...dibaoInput, startDate: '2025-03-01', endDate: '2025-02-01' } }, civil, 'input.endDate'],
      [M.createDibao, { h: '9500003', input: { ...dibaoInput, coveredPersons: 4 } }, civil, 'input.coveredPersons'],
      [M.createDibao, { h: '9500003', input: { ...dibaoInput, startDate: '2024-06-01' } }, civil, 'input.startDate'],
      [M.createDibao, { h: '9500003', input: { ...dibaoInput, status: 'ENDED' } }, civil, 'input.endDate'],
      [M.updateDibao, { id: dibao.id, v: dibao.version, input: { monthlyAmount: null } }, civil, 'input.monthlyAmount'],
      [M.updateDibao, { id: dibao.id, v: dibao.version, input: {} }, civil, 'input'],
      [M.updateDibao, { id: dibao.id, v: dibao.version, input: { endDate: '2023-12-31' } }, civil, 'input.endDate'],
      [M.createClaim, { p: '95000031', input: { claimDate: '2025-01-01', totalCost: 100, reimbursed: 50, outOfPocket: 40 } }, health, 'input.outOfPocket'],
      [M.createClaim, { p: '95000031', input: { claimDate: '2099-01-01', totalCost: 100, reimbursed: 60, outOfPocket: 40 } }, health, 'input.claimDate'],
      [M.createInsurance, { p: '95000031', input: { year: NEXT_YEAR_PLUS_2, scheme: 'RESIDENT', premium: 1, subsidy: 0 } }, health, 'input.year'],
      [M.createInsurance, { p: '95000031', input: { year: 2025, scheme: 'RESIDENT', premium: 100, subsidy: 200 } }, health, 'input.subsidy'],
      [M.createSchool, { p: '95000033', input: { schoolYear: 2026, stage: 'PRIMARY', schoolName: '小学', grade: 7 } }, education, 'input.grade'],
      [M.createSchool, { p: '95000033', input: { schoolYear: 2026, stage: 'NONE', schoolName: '小学', grade: 1 } }, education, 'input.stage'],
      [M.updateMeasure, { id: measure, v: 1, input: { year: NEXT_YEAR_PLUS_2 + 5 } }, coordinator(), 'input.year'],
    ];
    for (const [doc, variables, who, name] of cases) {
      const r = await run(doc, variables, who);
      expect([code(r), field(r), r.data]).toEqual(['BAD_USER_INPUT', name, null]);
      if (name.startsWith('input')) expect(await audit(r.requestId)).toEqual([expect.objectContaining({ outcome: 'invalid' })]);
    }
    // An unknown enum value never reaches a resolver.
    const enumValue = await run(M.createDibao, { h: '9500003', input: { ...dibaoInput, category: 'CLASS_Z' } }, civil);
    expect(code(enumValue)).toBe('BAD_USER_INPUT');
    expect(await counts(tables)).toEqual(counts0);
    expect(await snapshot()).toEqual(before);
  });
});
