import { Client } from 'pg';
import { Role } from '../../src/core/auth';
import { Department } from '../../src/core/vocab';
import { STEP_ORDER } from '../../src/modules/procedures';
import { bearer, startApp } from '../support/app';
import { buildCounty, seedOnce } from '../support/fixtures';

// Procedures with public notice (issue 12 §4) on a county of their own (993501: two townships,
// one village each, 12 households per village, ids 9935001…9935024, persons ×10 + 1…3). Each test
// drives its own households; the process clock stands where the test puts it (only Date is
// faked), so "today" is a Beijing day the test chooses. Two more households, 9935025 (registered)
// and 9935026 (none), are added to village 1.
//
// Household statuses by number within a village (fixtures.ts): 1, 5, 9 exited; 2, 6, 10 monitored;
// 3, 7, 11 none; 4, 8, 12 registered. Village 1 holds 9935001…12, village 2 9935013…24.

const COUNTY = '993501';
const V1 = '993501001001';
const V2 = '993501002001';
const H = (n: number) => String(9_935_000 + n);
/** 10:00 Beijing time on 8 October 2024 (school year 2024, insurance year 2024 in the fixture). */
const START = new Date('2024-10-08T02:00:00Z');
const DAY = 86_400_000;

type Who = { role: Role; department?: Department | null; scope: string; sub: string };
const villageOfficer = (village: string): Who => ({ role: Role.OFFICER, department: Department.POVERTY_OFFICE, scope: village, sub: `village-officer-${village}` });
const townshipOfficer = (village: string): Who => ({ role: Role.OFFICER, department: Department.POVERTY_OFFICE, scope: village.slice(0, 9), sub: `township-officer-${village.slice(0, 9)}` });
const countyOfficer: Who = { role: Role.OFFICER, department: Department.POVERTY_OFFICE, scope: COUNTY, sub: 'county-officer' };
const countyCoordinator: Who = { role: Role.COORDINATOR, department: null, scope: COUNTY, sub: 'county-coordinator' };
const townshipCoordinator = (village: string): Who => ({ role: Role.COORDINATOR, department: null, scope: village.slice(0, 9), sub: `township-coordinator-${village.slice(0, 9)}` });
const healthOfficer: Who = { role: Role.OFFICER, department: Department.HEALTH, scope: COUNTY, sub: 'health-officer' };
const foreignOfficer: Who = { role: Role.OFFICER, department: Department.POVERTY_OFFICE, scope: '993502', sub: 'foreign-officer' };

/** Who takes each step in the happy paths: the level the state machine names. */
const ACTOR_OF: Record<string, (village: string) => Who> = {
  VILLAGE_REVIEW: villageOfficer,
  VILLAGE_NOTICE: townshipOfficer,
  TOWNSHIP_AUDIT: townshipCoordinator,
  COUNTY_APPROVAL: () => countyOfficer,
  ANNOUNCEMENT: () => countyCoordinator,
};

const PROCEDURE = `id version kind subjectType year mainCause step nextStep status outcome householdId regionCode appliedOn
  noticeStartsOn noticeEndsOn townshipAuditFrom noticeText announcementText closedOn`;
const REFUSED = `reason message procedure { id version step status } attemptedStep currentStep expectedStep allowedFrom openObjectionIds blockers { reason personId facts }`;
const RESULT = `__typename ... on Procedure { ${PROCEDURE} } ... on ProcedureStepRefused { ${REFUSED} }`;
const OBJECTION_RESULT = `__typename ... on ProcedureObjection { id version procedureId status content raisedBy raisedRole raisedOn resolvedBy resolvedRole resolvedOn resolution }
  ... on ProcedureStepRefused { ${REFUSED} }`;

const APPLY = `mutation ($h: ID!, $input: ApplyForProcedureInput!) { applyForProcedure(householdId: $h, input: $input) { ${RESULT} } }`;
const ADVANCE = `mutation ($id: ID!, $v: Int!, $input: AdvanceProcedureInput!) { advanceProcedure(id: $id, version: $v, input: $input) { ${RESULT} } }`;
const RAISE = `mutation ($id: ID!, $input: RaiseObjectionInput!) { raiseObjection(procedureId: $id, input: $input) { ${OBJECTION_RESULT} } }`;
const RESOLVE = `mutation ($id: ID!, $v: Int!, $input: ResolveObjectionInput!) { resolveObjection(id: $id, version: $v, input: $input) { ${OBJECTION_RESULT} } }`;

describe('procedures with public notice (识别、退出、防返贫监测纳入)', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let pg: Client;

  const as = async (who: Who) => ({ authorization: await bearer(who) });
  const sql = async <R = Record<string, any>>(text: string, params: unknown[] = []) => (await pg.query(text, params)).rows as R[];
  const at = (when: Date | number) => jest.setSystemTime(when);
  /** The Beijing day `days` after START. */
  const day = (days: number) => new Date(START.getTime() + days * DAY).toISOString().slice(0, 10);

  async function apply(household: string, input: Record<string, unknown>, who: Who = villageOfficer(villageOf(household))) {
    const res = await app.gql(APPLY, { h: household, input: { comment: '农户自愿申请', ...input } }, await as(who));
    expect(res.errors).toBeUndefined();
    return res.data.applyForProcedure;
  }
  async function advance(p: { id: string; version: number }, step: string, who: Who, comment = `${step} 意见`) {
    const res = await app.gql(ADVANCE, { id: p.id, v: p.version, input: { step, comment } }, await as(who));
    expect(res.errors).toBeUndefined();
    return res.data.advanceProcedure;
  }
  async function current(id: string) {
    const res = await app.gql(`query ($id: ID!) { procedure(id: $id) { ${PROCEDURE} steps { step actor actorRole actorDepartment actorScope occurredOn comment } objections { id version status } } }`,
      { id }, await as(countyCoordinator));
    expect(res.errors).toBeUndefined();
    return res.data.procedure;
  }
  function villageOf(household: string): string {
    const n = Number(household) - 9_935_000;
    return n <= 12 || n > 24 ? V1 : V2;
  }

  /**
   * Applies and takes every step up to and including `until`, with the right actor for each,
   * moving the clock past the notice before the township audit. Returns the procedure.
   */
  async function driveTo(household: string, input: Record<string, unknown>, until: string) {
    const village = villageOf(household);
    let p = await apply(household, input);
    expect(p.__typename).toBe('Procedure');
    for (const step of STEP_ORDER.slice(1).map((s) => s.toUpperCase())) {
      if (STEP_ORDER.indexOf(p.step.toLowerCase()) >= STEP_ORDER.indexOf(until.toLowerCase() as never)) break;
      if (step === 'TOWNSHIP_AUDIT') at(new Date(`${p.townshipAuditFrom}T02:00:00Z`));
      p = await advance(p, step, ACTOR_OF[step](village));
      expect({ step, result: p.__typename, reason: p.reason }).toEqual({ step, result: 'Procedure', reason: undefined });
    }
    return p;
  }

  beforeAll(async () => {
    const url = process.env.TEST_DATABASE_URL as string;
    await buildCounty(url, { county: COUNTY, townships: 2, villagesPerTownship: 1, householdsPerVillage: 12, idBase: 9_935_000 });
    await seedOnce(url, 'procedures-facts', { sql: `SELECT 1 FROM household_income WHERE household_id = $1`, params: [H(1)] }, async (c) => {
      // Every household earns well over the line in 2024; 9935004 does not, and its member 2 is uninsured in 2024.
      await c.query(`INSERT INTO household_income (household_id, year, county_code, per_capita_net_income)
                     SELECT id, 2024, county_code, CASE WHEN id = $2 THEN 3000 ELSE 20000 END FROM household WHERE county_code = $1`, [COUNTY, H(4)]);
      await c.query(`DELETE FROM insurance_enrolment WHERE person_id = $1 AND year = 2024`, [`${H(4)}2`]);
      // 9935023: what a notice must never show — the head's ID number, a paired cadre's phone, a diagnosis.
      await c.query(`UPDATE person SET name = '王秀英', id_number = '43122619700501002X' WHERE id = $1`, [`${H(23)}1`]);
      await c.query(`INSERT INTO health_condition (household_id, person_id, county_code, kind, diagnosis, icd10_code, diagnosed_on)
                     VALUES ($1, $2, $3, 'chronic', '慢性肾功能衰竭', 'N18.9', '2020-03-01')`, [H(23), `${H(23)}1`, COUNTY]);
      const [cadre] = (await c.query(`INSERT INTO cadre (county_code, name, unit, phone) VALUES ($1, '李干部', '县扶贫办', '13812345678') RETURNING id`, [COUNTY])).rows;
      await c.query(`INSERT INTO pairing (household_id, county_code, cadre_id, start_date) VALUES ($1, $2, $3, '2024-01-01')`, [H(23), COUNTY, cadre.id]);
      // 9935025 (registered) and 9935026 (none), in village 1, for the races.
      await c.query(`INSERT INTO household (id, number, village_code, county_code, status, identification_year, identification_standard, main_cause,
                         has_water, has_electricity, has_road, has_safe_housing, has_network, has_sanitation)
                     VALUES ($1, $3 || '0025', $3, $4, 'registered', 2016, 'national', 'labour', true, true, true, true, true, true),
                            ($2, $3 || '0026', $3, $4, 'none', NULL, NULL, NULL, true, true, true, true, true, true)`, [H(25), H(26), V1, COUNTY]);
      // 9935024: a head of household under 18.
      await c.query(`UPDATE person SET name = '李小明', birth_date = '2010-06-01' WHERE id = $1`, [`${H(24)}1`]);
    });
    app = await startApp();
    pg = new Client({ connectionString: url });
    await pg.connect();
    jest.useFakeTimers({
      now: START,
      advanceTimers: true,
      doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask', 'hrtime', 'performance'],
    });
  });
  beforeEach(() => at(START));
  afterAll(async () => {
    jest.useRealTimers();
    await pg?.end();
    await app?.stop();
  });

  it('identification: every step recorded with actor, role, day and comment, audited, with a change event; the announcement registers the household', async () => {
    const h = H(3);
    const p = await driveTo(h, { kind: 'IDENTIFICATION', mainCause: 'ILLNESS' }, 'ANNOUNCEMENT');
    expect(p).toMatchObject({
      kind: 'IDENTIFICATION', year: 2024, mainCause: 'ILLNESS', step: 'ANNOUNCEMENT', nextStep: null, status: 'COMPLETED', outcome: 'REGISTERED',
      householdId: h, regionCode: V1, appliedOn: day(0), noticeStartsOn: day(0), noticeEndsOn: day(4), townshipAuditFrom: day(5), closedOn: day(5),
    });
    const [household] = await sql(`SELECT status::text, identification_year, main_cause FROM household WHERE id = $1`, [h]);
    expect(household).toEqual({ status: 'registered', identification_year: 2024, main_cause: 'illness' });
    const events = await sql(`SELECT from_status::text AS "from", to_status::text AS "to", occurred_on::text AS "on" FROM household_status_event WHERE household_id = $1 ORDER BY id`, [h]);
    expect(events.at(-1)).toEqual({ from: 'none', to: 'registered', on: day(5) });

    const full = await current(p.id);
    expect(full.steps).toEqual([
      { step: 'APPLICATION', actor: `village-officer-${V1}`, actorRole: 'OFFICER', actorDepartment: 'POVERTY_OFFICE', actorScope: V1, occurredOn: day(0), comment: '农户自愿申请' },
      { step: 'VILLAGE_REVIEW', actor: `village-officer-${V1}`, actorRole: 'OFFICER', actorDepartment: 'POVERTY_OFFICE', actorScope: V1, occurredOn: day(0), comment: 'VILLAGE_REVIEW 意见' },
      { step: 'VILLAGE_NOTICE', actor: 'township-officer-993501001', actorRole: 'OFFICER', actorDepartment: 'POVERTY_OFFICE', actorScope: '993501001', occurredOn: day(0), comment: 'VILLAGE_NOTICE 意见' },
      { step: 'TOWNSHIP_AUDIT', actor: 'township-coordinator-993501001', actorRole: 'COORDINATOR', actorDepartment: null, actorScope: '993501001', occurredOn: day(5), comment: 'TOWNSHIP_AUDIT 意见' },
      { step: 'COUNTY_APPROVAL', actor: 'county-officer', actorRole: 'OFFICER', actorDepartment: 'POVERTY_OFFICE', actorScope: COUNTY, occurredOn: day(5), comment: 'COUNTY_APPROVAL 意见' },
      { step: 'ANNOUNCEMENT', actor: 'county-coordinator', actorRole: 'COORDINATOR', actorDepartment: null, actorScope: COUNTY, occurredOn: day(5), comment: 'ANNOUNCEMENT 意见' },
    ]);

    // One audit record and one change event per step, in step order, naming the procedure.
    const audits = await sql(`SELECT action, subject, outcome, fields, region_code AS "regionCode" FROM audit_record WHERE entity = 'procedure' AND entity_id = $1 ORDER BY seq`, [p.id]);
    expect(audits.map((a) => [a.action, a.subject, a.outcome])).toEqual([
      ['create', `village-officer-${V1}`, 'success'], ['update', `village-officer-${V1}`, 'success'], ['update', 'township-officer-993501001', 'success'],
      ['update', 'township-coordinator-993501001', 'success'], ['update', 'county-officer', 'success'], ['update', 'county-coordinator', 'success'],
    ]);
    expect(audits.every((a) => a.regionCode === V1)).toBe(true);
    const changes = await sql(`SELECT kind, household_id::text AS "householdId", region_code AS "regionCode", department::text AS department, fields, actor
                                 FROM change_event WHERE entity = 'procedure' AND entity_id = $1 ORDER BY seq`, [p.id]);
    expect(changes).toEqual([
      { kind: 'create', householdId: h, regionCode: V1, department: 'poverty_office', fields: ['step'], actor: `village-officer-${V1}` },
      ...['village-officer-993501001001', 'township-officer-993501001', 'township-coordinator-993501001', 'county-officer'].map((actor) => (
        { kind: 'update', householdId: h, regionCode: V1, department: 'poverty_office', fields: ['step'], actor })),
      { kind: 'update', householdId: h, regionCode: V1, department: 'poverty_office', fields: ['step', 'status'], actor: 'county-coordinator' },
    ]);
    const registry = await sql(`SELECT fields FROM change_event WHERE entity = 'Household' AND entity_id = $1 ORDER BY seq DESC LIMIT 1`, [h]);
    expect(registry).toEqual([{ fields: ['status', 'identificationYear', 'mainCause'] }]);
  });

  it('refuses every step but the next one from every state, and every step once closed, changing nothing', async () => {
    const h = H(8);
    let p = await apply(h, { kind: 'EXIT' });
    const steps = STEP_ORDER.map((s) => s.toUpperCase());
    const refusals: string[] = [];
    for (let i = 0; i < steps.length; i++) {
      const next = steps[i + 1] ?? null;
      for (const step of steps.filter((s) => s !== next)) {
        const before = await sql(`SELECT version FROM procedure WHERE id = $1`, [p.id]);
        const r = await advance(p, step, countyCoordinator);
        refusals.push(`${steps[i]} → ${step}: ${r.reason}`);
        expect(r).toMatchObject({ __typename: 'ProcedureStepRefused', procedure: { id: p.id, version: p.version, step: steps[i] }, attemptedStep: step, currentStep: steps[i], expectedStep: next });
        expect(await sql(`SELECT version FROM procedure WHERE id = $1`, [p.id])).toEqual(before);
      }
      if (!next) break;
      if (next === 'TOWNSHIP_AUDIT') at(new Date(`${p.townshipAuditFrom}T02:00:00Z`));
      p = await advance(p, next, ACTOR_OF[next](V1));
      expect(p.__typename).toBe('Procedure');
    }
    // From each of the six states, the five other steps; after the announcement, all six.
    expect(refusals).toHaveLength(5 * 5 + 6);
    for (const line of refusals.slice(0, 25)) expect(line).toMatch(/: ILLEGAL_TRANSITION$/);
    for (const line of refusals.slice(25)) expect(line).toMatch(/^ANNOUNCEMENT → \w+: PROCEDURE_CLOSED$/);
    const recorded = await sql(`SELECT step::text FROM procedure_step_record WHERE procedure_id = $1 ORDER BY id`, [p.id]);
    expect(recorded.map((r) => r.step)).toEqual(STEP_ORDER);
    // Refusals are audited as refused, and write no change event.
    const refusedAudits = await sql(`SELECT count(*)::int AS n FROM audit_record WHERE entity = 'procedure' AND entity_id = $1 AND outcome = 'conflict'`, [p.id]);
    expect(refusedAudits).toEqual([{ n: 31 }]);
    expect(await sql(`SELECT count(*)::int AS n FROM change_event WHERE entity = 'procedure' AND entity_id = $1`, [p.id])).toEqual([{ n: 6 }]);
  });

  it('refuses the township audit before the notice has run its days (Beijing days), and takes it after', async () => {
    const h = H(7);
    let p = await driveTo(h, { kind: 'IDENTIFICATION', mainCause: 'LABOUR' }, 'VILLAGE_NOTICE');
    expect(p).toMatchObject({ noticeStartsOn: day(0), noticeEndsOn: day(4), townshipAuditFrom: day(5) });
    // 23:59 Beijing time on the notice's last day (15:59 UTC): still the notice.
    at(new Date(`${day(4)}T15:59:00Z`));
    const early = await advance(p, 'TOWNSHIP_AUDIT', townshipOfficer(V1));
    expect(early).toMatchObject({ __typename: 'ProcedureStepRefused', reason: 'NOTICE_PERIOD_NOT_OVER', allowedFrom: day(5), currentStep: 'VILLAGE_NOTICE' });
    expect((await current(p.id)).step).toBe('VILLAGE_NOTICE');
    // 00:30 Beijing time the next day, while it is still the last day in UTC: the audit may be taken.
    at(new Date(`${day(4)}T16:30:00Z`));
    p = await advance(p, 'TOWNSHIP_AUDIT', townshipOfficer(V1));
    expect(p).toMatchObject({ __typename: 'Procedure', step: 'TOWNSHIP_AUDIT' });
    expect((await current(p.id)).steps.at(-1)).toMatchObject({ step: 'TOWNSHIP_AUDIT', occurredOn: day(5) });
  });

  it('blocks the next step while an objection raised during the notice is open; a dismissed one lets it go on', async () => {
    const h = H(15);
    let p = await driveTo(h, { kind: 'IDENTIFICATION', mainCause: 'SKILLS' }, 'VILLAGE_NOTICE');
    at(START.getTime() + 2 * DAY);
    const raised = (await app.gql(RAISE, { id: p.id, input: { content: '村民反映该户有经营性收入' } }, await as(villageOfficer(V2)))).data.raiseObjection;
    expect(raised).toMatchObject({ __typename: 'ProcedureObjection', procedureId: p.id, status: 'OPEN', raisedBy: `village-officer-${V2}`, raisedRole: 'OFFICER', raisedOn: day(2) });

    at(new Date(`${p.townshipAuditFrom}T02:00:00Z`));
    const blocked = await advance(p, 'TOWNSHIP_AUDIT', townshipOfficer(V2));
    expect(blocked).toMatchObject({ __typename: 'ProcedureStepRefused', reason: 'OBJECTION_OPEN', openObjectionIds: [raised.id] });
    // After the notice, no objection is recorded any more.
    const late = (await app.gql(RAISE, { id: p.id, input: { content: '逾期异议' } }, await as(villageOfficer(V2)))).data.raiseObjection;
    expect(late).toMatchObject({ __typename: 'ProcedureStepRefused', reason: 'NOTICE_NOT_RUNNING' });

    // Resolved at the township or village level, not by the county.
    const byCounty = (await app.gql(RESOLVE, { id: raised.id, v: raised.version, input: { outcome: 'DISMISSED', resolution: '经核实不属实' } }, await as(countyOfficer))).data.resolveObjection;
    expect(byCounty).toMatchObject({ __typename: 'ProcedureStepRefused', reason: 'WRONG_LEVEL' });
    const stale = await app.gql(RESOLVE, { id: raised.id, v: raised.version + 1, input: { outcome: 'DISMISSED', resolution: '经核实不属实' } }, await as(townshipOfficer(V2)));
    expect(stale.errors?.map((e) => e.extensions?.code)).toEqual(['CONFLICT']);
    const dismissed = (await app.gql(RESOLVE, { id: raised.id, v: raised.version, input: { outcome: 'DISMISSED', resolution: '经核实不属实' } }, await as(townshipOfficer(V2)))).data.resolveObjection;
    expect(dismissed).toMatchObject({ __typename: 'ProcedureObjection', status: 'DISMISSED', resolvedBy: 'township-officer-993501002', resolvedOn: day(5), resolution: '经核实不属实' });
    const again = (await app.gql(RESOLVE, { id: raised.id, v: dismissed.version, input: { outcome: 'UPHELD', resolution: '改判' } }, await as(townshipOfficer(V2)))).data.resolveObjection;
    expect(again).toMatchObject({ __typename: 'ProcedureStepRefused', reason: 'OBJECTION_ALREADY_RESOLVED' });

    p = await advance(p, 'TOWNSHIP_AUDIT', townshipOfficer(V2));
    expect(p).toMatchObject({ __typename: 'Procedure', step: 'TOWNSHIP_AUDIT' });
    expect((await current(p.id)).objections).toEqual([{ id: raised.id, version: 2, status: 'DISMISSED' }]);
  });

  it('rejects the procedure when an objection is upheld: no further step, the household keeps its status', async () => {
    const h = H(19);
    const p = await driveTo(h, { kind: 'IDENTIFICATION', mainCause: 'CAPITAL' }, 'VILLAGE_NOTICE');
    const raised = (await app.gql(RAISE, { id: p.id, input: { content: '该户家庭成员有财政供养人员' } }, await as(townshipOfficer(V2)))).data.raiseObjection;
    const upheld = (await app.gql(RESOLVE, { id: raised.id, v: raised.version, input: { outcome: 'UPHELD', resolution: '经核实属实，不予识别' } }, await as(townshipCoordinator(V2)))).data.resolveObjection;
    expect(upheld).toMatchObject({ __typename: 'ProcedureObjection', status: 'UPHELD', resolvedRole: 'COORDINATOR' });
    const after = await current(p.id);
    expect(after).toMatchObject({ status: 'REJECTED', nextStep: null, closedOn: day(0), step: 'VILLAGE_NOTICE' });
    at(new Date(`${p.townshipAuditFrom}T02:00:00Z`));
    const next = await advance(after, 'TOWNSHIP_AUDIT', townshipOfficer(V2));
    expect(next).toMatchObject({ __typename: 'ProcedureStepRefused', reason: 'PROCEDURE_CLOSED' });
    expect(await sql(`SELECT status::text FROM household WHERE id = $1`, [h])).toEqual([{ status: 'none' }]);
    // A rejected procedure no longer blocks a new application.
    expect((await apply(h, { kind: 'IDENTIFICATION', mainCause: 'CAPITAL' })).__typename).toBe('Procedure');
  });

  it('refuses to approve an exit while exit readiness is not met, naming every blocking reason; approves it once fixed', async () => {
    const h = H(4);
    let p = await driveTo(h, { kind: 'EXIT' }, 'TOWNSHIP_AUDIT');
    const refused = await advance(p, 'COUNTY_APPROVAL', countyOfficer);
    expect(refused).toMatchObject({ __typename: 'ProcedureStepRefused', reason: 'EXIT_NOT_READY', currentStep: 'TOWNSHIP_AUDIT' });
    expect(refused.blockers.map((b: any) => [b.reason, b.personId])).toEqual([['INCOME_BELOW_LINE', null], ['MEDICAL_INSURANCE', `${h}2`]]);
    expect(refused.blockers[0].facts).toMatchObject({ perCapitaIncome: 3000 });
    expect((await current(p.id)).step).toBe('TOWNSHIP_AUDIT');

    await sql(`UPDATE household_income SET per_capita_net_income = 9000 WHERE household_id = $1 AND year = 2024`, [h]);
    await sql(`INSERT INTO insurance_enrolment (household_id, person_id, county_code, year, scheme, premium, subsidy) VALUES ($1, $2, $3, 2024, 'resident', 380, 200)`, [h, `${h}2`, COUNTY]);
    p = await advance(p, 'COUNTY_APPROVAL', countyOfficer);
    expect(p).toMatchObject({ __typename: 'Procedure', step: 'COUNTY_APPROVAL' });
    p = await advance(p, 'ANNOUNCEMENT', countyOfficer);
    expect(p).toMatchObject({ status: 'COMPLETED', outcome: 'EXITED' });
    expect(await sql(`SELECT status::text FROM household WHERE id = $1`, [h])).toEqual([{ status: 'exited' }]);
  });

  it('monitoring inclusion of each subject type ends with the household monitored', async () => {
    for (const [h, subjectType, from] of [[H(1), 'EXITED_UNSTABLE', 'exited'], [H(11), 'AT_RISK', 'none'], [H(5), 'SUDDEN_HARDSHIP', 'exited']]) {
      at(START);
      const p = await driveTo(h, { kind: 'MONITORING', subjectType }, 'ANNOUNCEMENT');
      expect(p).toMatchObject({ kind: 'MONITORING', subjectType, status: 'COMPLETED', outcome: 'MONITORED' });
      expect(p.noticeText).toContain(({ EXITED_UNSTABLE: '脱贫不稳定户', AT_RISK: '边缘易致贫户', SUDDEN_HARDSHIP: '突发严重困难户' } as Record<string, string>)[subjectType]);
      const [event] = await sql(`SELECT from_status::text AS "from", to_status::text AS "to" FROM household_status_event WHERE household_id = $1 ORDER BY id DESC LIMIT 1`, [h]);
      expect(event).toEqual({ from, to: 'monitored' });
    }
  });

  it('refuses an application that does not fit the household, a second open procedure, and a malformed one', async () => {
    const mismatch = await app.gql(APPLY, { h: H(9), input: { kind: 'MONITORING', subjectType: 'AT_RISK', comment: '申请' } }, await as(countyOfficer));
    expect(mismatch.data.applyForProcedure).toMatchObject({ __typename: 'ProcedureStepRefused', reason: 'HOUSEHOLD_STATUS_MISMATCH' });
    const registered = await app.gql(APPLY, { h: H(16), input: { kind: 'IDENTIFICATION', mainCause: 'ILLNESS', comment: '申请' } }, await as(countyOfficer));
    expect(registered.data.applyForProcedure).toMatchObject({ reason: 'HOUSEHOLD_STATUS_MISMATCH' });
    const first = await apply(H(20), { kind: 'EXIT' }, countyOfficer);
    const second = await app.gql(APPLY, { h: H(20), input: { kind: 'EXIT', comment: '再次申请' } }, await as(countyOfficer));
    expect(second.data.applyForProcedure).toMatchObject({ reason: 'PROCEDURE_ALREADY_OPEN', procedure: { id: first.id, step: 'APPLICATION', status: 'OPEN' } });
    const noSubject = await app.gql(APPLY, { h: H(21), input: { kind: 'MONITORING', comment: '申请' } }, await as(countyOfficer));
    expect(noSubject.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([['BAD_USER_INPUT', 'input.subjectType']]);
    expect(await sql(`SELECT count(*)::int AS n FROM procedure WHERE household_id = ANY($1::bigint[])`, [[H(9), H(16), H(21)]])).toEqual([{ n: 0 }]);
  });

  it('takes a step once when two people take it at the same time, and opens one procedure for two simultaneous applications', async () => {
    const p = await apply(H(25), { kind: 'EXIT' }, countyOfficer);
    const [a, b] = await Promise.all([villageOfficer(V1), townshipOfficer(V1)].map(async (who) =>
      app.gql(ADVANCE, { id: p.id, v: p.version, input: { step: 'VILLAGE_REVIEW', comment: '评议通过' } }, await as(who))));
    const outcomes = [a, b].map((r) => r.errors?.[0]?.extensions?.code ?? r.data.advanceProcedure.__typename).sort();
    expect(outcomes).toEqual(['CONFLICT', 'Procedure']);
    expect(await sql(`SELECT step::text FROM procedure_step_record WHERE procedure_id = $1 ORDER BY id`, [p.id])).toEqual([{ step: 'application' }, { step: 'village_review' }]);

    const both = await Promise.all([countyOfficer, countyCoordinator].map(async (who) =>
      app.gql(APPLY, { h: H(26), input: { kind: 'IDENTIFICATION', mainCause: 'WATER', comment: '申请' } }, await as(who))));
    expect(both.map((r) => r.data.applyForProcedure.__typename === 'Procedure' ? 'Procedure' : r.data.applyForProcedure.reason).sort())
      .toEqual(['PROCEDURE_ALREADY_OPEN', 'Procedure']);
    expect(await sql(`SELECT count(*)::int AS n FROM procedure WHERE household_id = $1`, [H(26)])).toEqual([{ n: 1 }]);
  });

  it('lets each level take only its steps; other departments are forbidden, other regions answered as missing', async () => {
    const h = H(12);
    let p = await apply(h, { kind: 'EXIT' }, countyCoordinator);
    const review = await advance(p, 'VILLAGE_REVIEW', countyOfficer);
    expect(review).toMatchObject({ __typename: 'ProcedureStepRefused', reason: 'WRONG_LEVEL', attemptedStep: 'VILLAGE_REVIEW' });
    const byCoordinator = await advance(p, 'VILLAGE_REVIEW', townshipCoordinator(V1));
    expect(byCoordinator).toMatchObject({ reason: 'WRONG_LEVEL' });
    p = await advance(p, 'VILLAGE_REVIEW', villageOfficer(V1));
    p = await advance(p, 'VILLAGE_NOTICE', villageOfficer(V1));
    at(new Date(`${p.townshipAuditFrom}T02:00:00Z`));
    expect(await advance(p, 'TOWNSHIP_AUDIT', villageOfficer(V1))).toMatchObject({ reason: 'WRONG_LEVEL' });
    expect(await advance(p, 'TOWNSHIP_AUDIT', countyOfficer)).toMatchObject({ reason: 'WRONG_LEVEL' });
    p = await advance(p, 'TOWNSHIP_AUDIT', townshipOfficer(V1));
    expect(await advance(p, 'COUNTY_APPROVAL', townshipOfficer(V1))).toMatchObject({ reason: 'WRONG_LEVEL' });

    const forbidden = await app.gql(ADVANCE, { id: p.id, v: p.version, input: { step: 'COUNTY_APPROVAL', comment: '同意' } }, await as(healthOfficer));
    expect(forbidden.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    const foreign = await app.gql(ADVANCE, { id: p.id, v: p.version, input: { step: 'COUNTY_APPROVAL', comment: '同意' } }, await as(foreignOfficer));
    const missing = await app.gql(ADVANCE, { id: '999999999999', v: 1, input: { step: 'COUNTY_APPROVAL', comment: '同意' } }, await as(foreignOfficer));
    expect(foreign.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([['NOT_FOUND', 'procedure not found']]);
    expect(foreign.errors?.map((e) => [e.extensions?.code, e.message])).toEqual(missing.errors?.map((e) => [e.extensions?.code, e.message]));
    const read = await app.gql(`query ($id: ID!) { procedure(id: $id) { id } }`, { id: p.id }, await as(foreignOfficer));
    expect(read.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    const stale = await app.gql(ADVANCE, { id: p.id, v: p.version - 1, input: { step: 'COUNTY_APPROVAL', comment: '同意' } }, await as(countyOfficer));
    expect(stale.errors?.map((e) => e.extensions?.code)).toEqual(['CONFLICT']);
    expect((await current(p.id)).step).toBe('TOWNSHIP_AUDIT');
  });

  it('posts a notice and an announcement with the head, village, size and reason, and no ID number, phone, bank account or health detail', async () => {
    // The schema holds no bank account anywhere; the household's other identifiers are planted in beforeAll.
    const h = H(23);
    const p = await driveTo(h, { kind: 'IDENTIFICATION', mainCause: 'ILLNESS' }, 'ANNOUNCEMENT');
    for (const text of [p.noticeText, p.announcementText]) {
      expect(text).toContain('王秀英');
      expect(text).toContain('测试村2-1');
      expect(text).toContain('家庭人口：3人');
      expect(text).toContain('主要致贫原因：因病');
      for (const hidden of ['43122619700501002X', '619700501', '13812345678', '慢性肾功能衰竭', 'N18.9', '慢性病', 'chronic', `${h}1`, `${h}2`]) {
        expect(text).not.toContain(hidden);
      }
      expect(text).not.toMatch(/\d{11,}/);
    }
    expect(p.noticeText).toContain(`公示期：${day(0)}至${day(4)}（5日）`);
    expect(p.announcementText).toContain('公告');
  });

  it('does not name a head of household who is a minor (a minor\'s name is hidden from the poverty office and coordinators)', async () => {
    const p = await driveTo(H(24), { kind: 'EXIT' }, 'VILLAGE_NOTICE');
    expect(p.noticeText).toContain('户主：（未成年人，不公示姓名）；家庭人口：3人');
    expect(p.noticeText).not.toContain('李小明');
  });

  it('lists procedures by region, kind and step, and Household.procedures, in statements bounded by depth', async () => {
    for (const n of [13, 17, 21]) await apply(H(n), { kind: 'MONITORING', subjectType: 'EXITED_UNSTABLE' }, countyOfficer);
    const LIST = `query ($f: ProcedureFilter) { procedures(first: 50, filter: $f) { totalCount edges { node { id kind step regionCode household { number }
      steps { step actor } objections { status } } } } }`;
    const all = await app.gql(LIST, { f: { regionCode: COUNTY } }, await as(countyCoordinator));
    const monitoring = await app.gql(LIST, { f: { regionCode: V2, kind: 'MONITORING', step: 'APPLICATION' } }, await as(countyCoordinator));
    expect(all.errors).toBeUndefined();
    expect(monitoring.errors).toBeUndefined();
    const nodes = (r: typeof all) => r.data.procedures.edges.map((e: any) => e.node);
    expect(nodes(monitoring).map((n: any) => n.household.number).sort()).toEqual(expect.arrayContaining([`${V2}0001`, `${V2}0005`, `${V2}0009`]));
    expect(nodes(monitoring).every((n: any) => n.kind === 'MONITORING' && n.step === 'APPLICATION' && n.regionCode === V2 && n.steps.length === 1)).toBe(true);
    expect(nodes(all).length).toBeGreaterThan(nodes(monitoring).length);
    // Page, total, households, steps, objections: one statement each, whatever the number of rows.
    expect(all.sqlStatements).toBe(monitoring.sqlStatements);
    expect(all.sqlStatements).toBeLessThanOrEqual(5);

    const township = await app.gql(LIST, { f: { regionCode: COUNTY } }, await as(townshipOfficer(V2)));
    expect(nodes(township).every((n: any) => n.regionCode === V2)).toBe(true);
    expect(township.data.procedures.totalCount).toBe(nodes(township).length);

    const HOUSEHOLDS = `query ($code: DivisionCode) { households(first: 50, filter: { regionCode: $code }) { edges { node { id procedures { kind status steps { step } } } } } }`;
    const v1 = await app.gql(HOUSEHOLDS, { code: V1 }, await as(countyOfficer));
    const v2 = await app.gql(HOUSEHOLDS, { code: V2 }, await as(countyOfficer));
    expect(v1.errors).toBeUndefined();
    const withProcedures = (r: typeof v1) => r.data.households.edges.filter((e: any) => e.node.procedures.length).length;
    expect(withProcedures(v2)).toBeGreaterThanOrEqual(3);
    expect(v1.sqlStatements).toBe(v2.sqlStatements);
    const forbidden = await app.gql(HOUSEHOLDS, { code: V1 }, await as(healthOfficer));
    expect(forbidden.errors?.every((e) => e.extensions?.code === 'FORBIDDEN')).toBe(true);
  });
});
