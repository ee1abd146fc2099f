import { Client } from 'pg';
import { Role } from '../../src/core/auth';
import { Department } from '../../src/core/vocab';
import { bearer, startApp } from '../support/app';
import { buildCounty } from '../support/fixtures';

// County 990105: townships 001 and 002, one village each, two households per village
// (ids 9050001–9050004; 9050001/2 in township 001). Household h has members h*10+1 (head,
// born 1970), h*10+2 (spouse, 1972) and h*10+3 (child, 2014); the fixture insures everyone in
// 2023 and 2024 and enrols each child in primary school for 2024. The facet rows below are ours.

const COUNTY = '990105';
const H1 = '9050001';
const H3 = '9050003';
const HEAD = '90500011';
const SPOUSE = '90500012';
const CHILD = '90500013';

/** Inserts one row of every facet for household H1 (and a few elsewhere); idempotent. */
async function insertFacets(url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  const q = (sql: string, params: unknown[] = []) => client.query(sql, params);
  try {
    await q('BEGIN');
    for (const table of ['fund_allocation', 'project', 'pairing', 'cadre', 'measure', 'relocation', 'renovation_project', 'housing_appraisal',
      'yulu_training', 'student_aid', 'dropout_watch', 'family_doctor_contract', 'medical_assistance_claim', 'health_condition',
      'disability_subsidy', 'left_behind_record', 'temporary_assistance', 'extreme_poverty_support', 'dibao_enrolment']) {
      await q(`DELETE FROM ${table} WHERE county_code = $1`, [COUNTY]);
    }
    // 民政 civil affairs
    await q(`INSERT INTO dibao_enrolment (county_code, household_id, category, monthly_amount, covered_persons, start_date, end_date, status)
             VALUES ($1, ${H1}, 'class_a', 455.50, 3, '2023-01-01', NULL, 'active'), ($1, ${H3}, 'class_b', 300.00, 2, '2024-01-01', NULL, 'active')`, [COUNTY]);
    await q(`INSERT INTO temporary_assistance (county_code, household_id, paid_on, amount, reason) VALUES ($1, ${H1}, '2024-02-10', 1200.00, '火灾 house fire')`, [COUNTY]);
    await q(`INSERT INTO extreme_poverty_support (county_code, household_id, person_id, care_mode, monthly_amount, start_date)
             VALUES ($1, ${H1}, ${SPOUSE}, 'dispersed', 600.00, '2022-05-01')`, [COUNTY]);
    await q(`INSERT INTO left_behind_record (county_code, household_id, person_id, kind, contact_person, start_date)
             VALUES ($1, ${H1}, ${CHILD}, 'child', '王老师', '2021-09-01')`, [COUNTY]);
    await q(`INSERT INTO disability_subsidy (county_code, household_id, person_id, kind, monthly_amount, start_date)
             VALUES ($1, ${H1}, ${HEAD}, 'living', 80.00, '2020-01-01')`, [COUNTY]);
    // 卫健/医保 health
    await q(`INSERT INTO health_condition (county_code, household_id, person_id, kind, diagnosis, icd10_code, diagnosed_on)
             VALUES ($1, ${H1}, ${HEAD}, 'chronic', '原发性高血压 essential hypertension', 'I10', '2019-06-01')`, [COUNTY]);
    await q(`INSERT INTO medical_assistance_claim (county_code, household_id, person_id, claim_date, total_cost, reimbursed, out_of_pocket)
             VALUES ($1, ${H1}, ${HEAD}, '2024-03-05', 5321.40, 4100.00, 1221.40)`, [COUNTY]);
    await q(`INSERT INTO family_doctor_contract (county_code, household_id, person_id, doctor_name, clinic, start_date, end_date)
             VALUES ($1, ${H1}, ${HEAD}, '李医生', '测试镇卫生院', '2024-01-01', '2024-12-31')`, [COUNTY]);
    // 教育 education
    await q(`INSERT INTO dropout_watch (county_code, household_id, person_id, opened_on, reason, status, closed_on)
             VALUES ($1, ${H1}, ${CHILD}, '2023-03-01', '随父母外出 left with parents', 'returned', '2023-04-15')`, [COUNTY]);
    await q(`INSERT INTO student_aid (county_code, household_id, person_id, kind, school_year, amount)
             VALUES ($1, ${H1}, ${CHILD}, 'two_exemptions_one_subsidy', 2024, 1000.00)`, [COUNTY]);
    await q(`INSERT INTO yulu_training (county_code, household_id, person_id, programme, start_date, end_date, subsidy, status)
             VALUES ($1, ${H1}, ${SPOUSE}, '电工 electrician', '2024-03-01', NULL, 3000.00, 'underway')`, [COUNTY]);
    // 住建 housing: graded C in 2019, renovated, re-graded B in 2023.
    await q(`INSERT INTO housing_appraisal (county_code, household_id, grade, appraised_on, appraiser)
             VALUES ($1, ${H1}, 'C', '2019-05-01', '县住建局'), ($1, ${H1}, 'B', '2023-05-01', '县房屋鉴定站')`, [COUNTY]);
    await q(`INSERT INTO renovation_project (county_code, household_id, funding_department, subsidy_amount, status, start_date, completed_on)
             VALUES ($1, ${H1}, 'housing', 15000.00, 'completed', '2019-09-01', '2020-01-10')`, [COUNTY]);
    await q(`INSERT INTO relocation (county_code, household_id, destination_code, settlement_mode, planned_year, moved_on, subsidy_amount, status)
             VALUES ($1, ${H1}, '990105002001', 'centralised', 2025, NULL, 60000.00, 'planned')`, [COUNTY]);
    // 扶贫办 poverty office
    const cadre = await q(`INSERT INTO cadre (county_code, name, unit, phone) VALUES ($1, '张干部', '县扶贫办', '0745-1234567') RETURNING id`, [COUNTY]);
    await q(`INSERT INTO pairing (county_code, household_id, cadre_id, start_date) VALUES ($1, ${H1}, $2, '2016-01-01')`, [COUNTY, cadre.rows[0].id]);
    await q(`INSERT INTO measure (county_code, household_id, kind, department, status, amount, year, description)
             VALUES ($1, ${H1}, 'housing_renovation', 'housing', 'completed', 15000.00, 2019, '危房改造'),
                    ($1, ${H1}, 'industry', 'poverty_office', 'underway', 2000.00, 2024, '油茶种植 camellia planting')`, [COUNTY]);
    const projects = await q(
      `INSERT INTO project (county_code, region_code, name, kind, year, budget, status) VALUES
         ($1, '990105001001', '村道硬化 village road', 'infrastructure', 2024, 800000.00, 'underway'),
         ($1, '990105001000', '产业园 industry park', 'industry', 2023, 1500000.00, 'completed'),
         ($1, '990105002001', '安全饮水 drinking water', 'infrastructure', 2024, 250000.00, 'planned')
       RETURNING id`, [COUNTY]);
    await q(`INSERT INTO fund_allocation (county_code, project_id, source, amount, allocated_on, announced_on)
             VALUES ($1, $2, 'provincial', 500000.00, '2024-04-01', '2024-04-10'), ($1, $2, 'county', 123456.78, '2024-06-01', NULL)`,
      [COUNTY, projects.rows[0].id]);
    await q('COMMIT');
  } catch (err) {
    await q('ROLLBACK');
    throw err;
  } finally {
    await client.end();
  }
}

const CARD = `fragment Card on Household {
  number
  dibaoEnrolments { householdId category monthlyAmount coveredPersons startDate endDate status }
  temporaryAssistance { paidOn amount reason }
  housingAppraisals { grade appraisedOn }
  latestHousingAppraisal { grade appraisedOn appraiser }
  renovationProjects { fundingDepartment subsidyAmount status startDate completedOn }
  relocations { destinationCode destination { name level } settlementMode plannedYear movedOn subsidyAmount status }
  pairings { cadre { name unit phone } startDate endDate }
  measures { kind department status amount year description }
  measures2024: measures(year: 2024) { kind }
  village { projects { name budget region { prefix } fundAllocations { source amount allocatedOn announcedOn } } }
  members {
    id: databaseId
    extremePovertySupports { personId careMode monthlyAmount startDate endDate }
    leftBehindRecords { kind contactPerson startDate }
    disabilitySubsidies { kind monthlyAmount }
    insuranceEnrolments { year scheme premium subsidy }
    insured2023: insuranceEnrolments(year: 2023) { year }
    healthConditions { kind diagnosedOn diagnosis icd10Code }
    medicalAssistanceClaims { claimDate totalCost reimbursed outOfPocket }
    familyDoctorContracts { doctorName clinic startDate endDate }
    schoolEnrolments { schoolYear stage schoolName grade status }
    dropoutWatches { openedOn reason status closedOn }
    studentAid { kind schoolYear amount }
    trainings { programme startDate endDate subsidy status }
  }
}`;

const codes = (r: { errors?: Array<{ extensions?: Record<string, any> }> }) => [...new Set(r.errors?.map((e) => e.extensions?.code))];

describe('department facets on households and persons', () => {
  let app: Awaited<ReturnType<typeof startApp>>;

  beforeAll(async () => {
    const url = process.env.TEST_DATABASE_URL as string;
    await buildCounty(url, { county: COUNTY, townships: 2, villagesPerTownship: 1, householdsPerVillage: 2, idBase: 9_050_000 });
    await insertFacets(url);
    app = await startApp();
  });
  afterAll(() => app?.stop());

  it('shows a coordinator every facet of a household card, with amounts as numbers and dates as dates', async () => {
    const r = await app.gql(`${CARD} query ($id: ID!) { household(id: $id) { ...Card } }`, { id: H1 });
    expect(r.errors).toBeUndefined();
    const h = r.data.household;
    expect(h.dibaoEnrolments).toEqual([{ householdId: H1, category: 'CLASS_A', monthlyAmount: 455.5, coveredPersons: 3, startDate: '2023-01-01', endDate: null, status: 'ACTIVE' }]);
    expect(h.temporaryAssistance).toEqual([{ paidOn: '2024-02-10', amount: 1200, reason: '火灾 house fire' }]);
    expect(h.housingAppraisals.map((a: any) => a.grade)).toEqual(['B', 'C']);
    expect(h.latestHousingAppraisal).toEqual({ grade: 'B', appraisedOn: '2023-05-01', appraiser: '县房屋鉴定站' });
    expect(h.renovationProjects).toEqual([{ fundingDepartment: 'HOUSING', subsidyAmount: 15000, status: 'COMPLETED', startDate: '2019-09-01', completedOn: '2020-01-10' }]);
    expect(h.relocations).toEqual([{
      destinationCode: '990105002001', destination: { name: '测试村2-1', level: 'VILLAGE' }, settlementMode: 'CENTRALISED',
      plannedYear: 2025, movedOn: null, subsidyAmount: 60000, status: 'PLANNED',
    }]);
    expect(h.pairings).toEqual([{ cadre: { name: '张干部', unit: '县扶贫办', phone: '0745-1234567' }, startDate: '2016-01-01', endDate: null }]);
    expect(h.measures.map((m: any) => [m.kind, m.department, m.amount, m.year])).toEqual([['INDUSTRY', 'POVERTY_OFFICE', 2000, 2024], ['HOUSING_RENOVATION', 'HOUSING', 15000, 2019]]);
    expect(h.measures2024).toEqual([{ kind: 'INDUSTRY' }]);
    expect(h.village.projects).toEqual([{
      name: '村道硬化 village road', budget: 800000, region: { prefix: '990105001001' },
      fundAllocations: [
        { source: 'COUNTY', amount: 123456.78, allocatedOn: '2024-06-01', announcedOn: null },
        { source: 'PROVINCIAL', amount: 500000, allocatedOn: '2024-04-01', announcedOn: '2024-04-10' },
      ],
    }]);

    const [head, spouse, child] = h.members;
    expect([head.id, spouse.id, child.id]).toEqual([HEAD, SPOUSE, CHILD]);
    expect(spouse.extremePovertySupports).toEqual([{ personId: SPOUSE, careMode: 'DISPERSED', monthlyAmount: 600, startDate: '2022-05-01', endDate: null }]);
    expect(child.leftBehindRecords).toEqual([{ kind: 'CHILD', contactPerson: '王老师', startDate: '2021-09-01' }]);
    expect(head.disabilitySubsidies).toEqual([{ kind: 'LIVING', monthlyAmount: 80 }]);
    expect(head.insuranceEnrolments).toEqual([
      { year: 2024, scheme: 'RESIDENT', premium: 380, subsidy: 200 }, { year: 2023, scheme: 'RESIDENT', premium: 380, subsidy: 200 },
    ]);
    expect(head.insured2023).toEqual([{ year: 2023 }]);
    // Coordinators see that a condition exists, never the clinical detail (privacy policy).
    expect(head.healthConditions).toEqual([{ kind: 'CHRONIC', diagnosedOn: '2019-06-01', diagnosis: null, icd10Code: null }]);
    expect(head.medicalAssistanceClaims).toEqual([{ claimDate: '2024-03-05', totalCost: 5321.4, reimbursed: 4100, outOfPocket: 1221.4 }]);
    expect(head.familyDoctorContracts).toEqual([{ doctorName: '李医生', clinic: '测试镇卫生院', startDate: '2024-01-01', endDate: '2024-12-31' }]);
    expect(child.schoolEnrolments).toEqual([{ schoolYear: 2024, stage: 'PRIMARY', schoolName: '测试小学', grade: 4, status: 'ENROLLED' }]);
    expect(child.dropoutWatches).toEqual([{ openedOn: '2023-03-01', reason: '随父母外出 left with parents', status: 'RETURNED', closedOn: '2023-04-15' }]);
    expect(child.studentAid).toEqual([{ kind: 'TWO_EXEMPTIONS_ONE_SUBSIDY', schoolYear: 2024, amount: 1000 }]);
    expect(spouse.trainings).toEqual([{ programme: '电工 electrician', startDate: '2024-03-01', endDate: null, subsidy: 3000, status: 'UNDERWAY' }]);
    expect(head.schoolEnrolments).toEqual([]);
  });

  it('reads the cards of many households in as many statements as one', async () => {
    const page = `${CARD} query ($first: Int!) { households(first: $first, filter: { regionCode: "${COUNTY}" }) { edges { node { ...Card } } } }`;
    const one = await app.gql(page, { first: 1 });
    const all = await app.gql(page, { first: 4 });
    expect(one.errors).toBeUndefined();
    expect(all.errors).toBeUndefined();
    expect(all.data.households.edges).toHaveLength(4);
    expect(all.sqlStatements).toBe(one.sqlStatements);
  });

  it('shows clinical detail to the health department only', async () => {
    const q = `query ($id: ID!) { household(id: $id) { members { healthConditions { kind diagnosis icd10Code } } } }`;
    const audited = async (requestId: string) => {
      const pg = new Client({ connectionString: process.env.TEST_DATABASE_URL });
      await pg.connect();
      try {
        return (await pg.query(`SELECT subject, action, entity, fields, region_code AS "regionCode" FROM audit_record WHERE request_id = $1 ORDER BY seq`, [requestId])).rows;
      } finally {
        await pg.end();
      }
    };
    const health = await app.gql(q, { id: H1 }, {
      authorization: await bearer({ role: Role.OFFICER, department: Department.HEALTH, scope: COUNTY, sub: 'nurse-1' }),
    });
    expect(health.errors).toBeUndefined();
    expect(health.data.household.members[0].healthConditions).toEqual([{ kind: 'CHRONIC', diagnosis: '原发性高血压 essential hypertension', icd10Code: 'I10' }]);
    // Every shown diagnosis is an audited read of an unmasked personal field.
    const records = await audited(health.requestId);
    expect(records.map((r) => [r.subject, r.action, r.entity, r.fields])).toEqual(
      expect.arrayContaining([['nurse-1', 'read', 'HealthCondition', ['diagnosis']], ['nurse-1', 'read', 'HealthCondition', ['icd10Code']]]),
    );
    expect(records).toHaveLength(2);
    expect(records[0].regionCode.startsWith(COUNTY)).toBe(true);

    const coordinator = await app.gql(q, { id: H1 });
    expect(coordinator.errors).toBeUndefined();
    expect(coordinator.data.household.members[0].healthConditions).toEqual([{ kind: 'CHRONIC', diagnosis: null, icd10Code: null }]);
    expect(await audited(coordinator.requestId)).toEqual([]);
  });

  it('gives an officer their own department\'s facets and refuses every other department\'s', async () => {
    const civil = { authorization: await bearer({ role: Role.OFFICER, department: Department.CIVIL_AFFAIRS, scope: COUNTY }) };
    const own = await app.gql(`query ($id: ID!) { household(id: $id) { dibaoEnrolments { monthlyAmount } temporaryAssistance { amount }
      members { extremePovertySupports { monthlyAmount } leftBehindRecords { kind } disabilitySubsidies { kind } } } }`, { id: H1 }, civil);
    expect(own.errors).toBeUndefined();
    expect(own.data.household.dibaoEnrolments).toEqual([{ monthlyAmount: 455.5 }]);
    expect(own.data.household.members[2].leftBehindRecords).toEqual([{ kind: 'CHILD' }]);

    const foreign = [
      'members { healthConditions { kind } }', 'members { insuranceEnrolments { year } }', 'members { medicalAssistanceClaims { totalCost } }',
      'members { familyDoctorContracts { clinic } }', 'members { schoolEnrolments { stage } }', 'members { dropoutWatches { status } }',
      'members { studentAid { amount } }', 'members { trainings { programme } }', 'housingAppraisals { grade }', 'latestHousingAppraisal { grade }',
      'renovationProjects { subsidyAmount }', 'relocations { subsidyAmount }', 'pairings { startDate }', 'measures { amount }', 'village { projects { name } }',
    ];
    for (const selection of foreign) {
      const r = await app.gql(`query ($id: ID!) { household(id: $id) { number ${selection} } }`, { id: H1 }, civil);
      expect({ selection, codes: codes(r) }).toEqual({ selection, codes: ['FORBIDDEN'] });
      // A refusal nulls that field alone (issue 10 §2): the household, its members and village stay.
      const [field, , nested] = selection.split(' ');
      expect(typeof r.data.household.number).toBe('string');
      const value = r.data.household[field];
      if (field === 'members') expect(value.map((m: Record<string, unknown>) => m[nested])).toEqual(value.map(() => null));
      else if (field === 'village') expect(value[nested]).toBeNull();
      else expect(value).toBeNull();
    }
    const projects = await app.gql(`{ region(code: "${COUNTY}") { name projects { name } } }`, {}, civil);
    expect(codes(projects)).toEqual(['FORBIDDEN']);

    // …and the health officer, in turn, cannot read 低保.
    const health = await app.gql(`query ($id: ID!) { household(id: $id) { dibaoEnrolments { monthlyAmount } } }`, { id: H1 },
      { authorization: await bearer({ role: Role.OFFICER, department: Department.HEALTH, scope: COUNTY }) });
    expect(codes(health)).toEqual(['FORBIDDEN']);
  });

  it('shows callers nothing outside their scope', async () => {
    const elsewhere = { authorization: await bearer({ scope: '990106' }) };
    const card = await app.gql(`${CARD} query ($id: ID!) { household(id: $id) { ...Card } }`, { id: H1 }, elsewhere);
    expect(codes(card)).toEqual(['NOT_FOUND']);
    expect(card.data?.household ?? null).toBeNull();
    const region = await app.gql(`{ region(code: "${COUNTY}") { projects { name } } }`, {}, elsewhere);
    expect(codes(region)).toEqual(['NOT_FOUND']);
    const list = await app.gql(`{ households(first: 10, filter: { regionCode: "${COUNTY}" }) { totalCount edges { node { dibaoEnrolments { monthlyAmount } } } } }`, {}, elsewhere);
    expect(list.errors).toBeUndefined();
    expect(list.data.households).toEqual({ totalCount: 0, edges: [] });

    // A township caller sees its own households' facets (scope checked through the household's
    // village) and only the projects inside its township, even when reading the whole county.
    const township2 = { authorization: await bearer({ scope: '990105002' }) };
    const own = await app.gql(`query ($id: ID!) { household(id: $id) { dibaoEnrolments { monthlyAmount } } }`, { id: H3 }, township2);
    expect(own.errors).toBeUndefined();
    expect(own.data.household.dibaoEnrolments).toEqual([{ monthlyAmount: 300 }]);
    const other = await app.gql(`query ($id: ID!) { household(id: $id) { dibaoEnrolments { monthlyAmount } } }`, { id: H1 }, township2);
    expect(codes(other)).toEqual(['NOT_FOUND']);
    const county = await app.gql(`{ region(code: "${COUNTY}") { projects { name } } }`, {}, township2);
    expect(county.errors).toBeUndefined();
    expect(county.data.region.projects).toEqual([{ name: '安全饮水 drinking water' }]);

    const coordinator = await app.gql(`{ region(code: "${COUNTY}") { all: projects { name } y2023: projects(year: 2023) { name } } }`);
    expect(coordinator.errors).toBeUndefined();
    expect(coordinator.data.region.all.map((p: any) => p.name)).toEqual(['安全饮水 drinking water', '村道硬化 village road', '产业园 industry park']);
    expect(coordinator.data.region.y2023).toEqual([{ name: '产业园 industry park' }]);
  });
});
