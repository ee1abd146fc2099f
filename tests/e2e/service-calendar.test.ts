import { Client } from 'pg';
import { Role } from '../../src/core/auth';
import { makeIdNumber } from '../../src/core/id-number';
import { Department } from '../../src/core/vocab';
import { bearer, startApp } from '../support/app';
import { buildCounty } from '../support/fixtures';

// Issue 7 §7, end to end: at 00:30 Beijing time (16:30 UTC the day before) "today" is the
// Beijing day for "not in the future" checks and as-of defaults. The process clock stands there
// (only Date is faked; timers, I/O and PostgreSQL run for real).

const COUNTY = '990472';
const BEIJING_TODAY = '2026-03-02';

describe('days are Beijing days', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let pg: Client;
  const officer = () => bearer({ role: Role.OFFICER, department: Department.POVERTY_OFFICE, scope: COUNTY, sub: 'calendar-test' });

  beforeAll(async () => {
    const url = process.env.TEST_DATABASE_URL as string;
    await buildCounty(url, { county: COUNTY, townships: 1, villagesPerTownship: 1, householdsPerVillage: 2, idBase: 9_472_000 });
    app = await startApp();
    pg = new Client({ connectionString: url });
    await pg.connect();
    jest.useFakeTimers({
      now: new Date('2026-03-01T16:30:00Z'),
      advanceTimers: true,
      doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask', 'hrtime', 'performance'],
    });
  });
  afterAll(async () => {
    jest.useRealTimers();
    await pg?.end();
    await app?.stop();
  });

  const createPerson = `mutation ($h: ID!, $input: CreatePersonInput!) { createPerson(householdId: $h, input: $input) { id: databaseId } }`;
  const person = (birthDate: string, sequence: number) => ({
    relation: 'GRANDCHILD', name: '新生儿', idNumber: makeIdNumber(COUNTY, birthDate, sequence), gender: 'MALE', birthDate,
    labourAbility: 'NONE', healthCategory: 'HEALTHY', schoolingStage: 'PRESCHOOL',
  });

  it('accepts a birth date of today in Beijing while it is still yesterday in UTC, and refuses tomorrow', async () => {
    const born = await app.gql(createPerson, { h: '9472001', input: person(BEIJING_TODAY, 1) }, { authorization: await officer() });
    expect(born.errors).toBeUndefined();
    const stored = await pg.query('SELECT birth_date::text AS day FROM person WHERE id = $1', [born.data.createPerson.id]);
    expect(stored.rows).toEqual([{ day: BEIJING_TODAY }]);
    const tomorrow = await app.gql(createPerson, { h: '9472001', input: person('2026-03-03', 3) }, { authorization: await officer() });
    expect(tomorrow.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([['BAD_USER_INPUT', 'input.birthDate: must not be in the future']]);
  });

  it('dates a new household\'s first status event on the Beijing day', async () => {
    const created = await app.gql(
      `mutation ($input: CreateHouseholdInput!) { createHousehold(input: $input) { id: databaseId } }`,
      { input: { villageCode: `${COUNTY}001001`, number: 'CAL-0001', status: 'REGISTERED', identificationYear: 2025, mainCause: 'ILLNESS',
        utilities: { water: true, electricity: true, road: true, housing: true, network: true, environment: true } } },
      { authorization: await officer() },
    );
    expect(created.errors).toBeUndefined();
    const events = await pg.query('SELECT occurred_on::text AS day FROM household_status_event WHERE household_id = $1', [created.data.createHousehold.id]);
    expect(events.rows).toEqual([{ day: BEIJING_TODAY }]);
  });
});
