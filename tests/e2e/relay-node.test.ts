import { Role } from '../../src/core/auth';
import { fromGlobalId, toGlobalId } from '../../src/core/global-id';
import { Department } from '../../src/core/vocab';
import { bearer, startApp } from '../support/app';
import { buildCounty } from '../support/fixtures';

// Relay global ids and node(id) / nodes(ids) (issue 10 §3). County 993701: 1 township × 2
// villages × 3 households, 3 members each; county 993702 is outside the township officer's scope.

describe('Relay nodes and global ids', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let households: Array<{ id: string; databaseId: string; number: string; members: Array<{ id: string; databaseId: string }> }>;
  let foreign: { id: string; databaseId: string };
  const township = () => bearer({ role: Role.OFFICER, department: Department.POVERTY_OFFICE, scope: '993701001' });

  beforeAll(async () => {
    const url = process.env.TEST_DATABASE_URL as string;
    await buildCounty(url, { county: '993701', townships: 1, villagesPerTownship: 2, householdsPerVillage: 3, idBase: 37_000_000 });
    await buildCounty(url, { county: '993702', townships: 1, villagesPerTownship: 1, householdsPerVillage: 1, idBase: 37_100_000 });
    app = await startApp();
    const r = await app.gql(`{ households(first: 100, filter: { regionCode: "993701" }) { edges { node { id databaseId number members { id databaseId } } } }
      other: households(first: 1, filter: { regionCode: "993702" }) { edges { node { id databaseId } } } }`);
    expect(r.errors).toBeUndefined();
    households = r.data.households.edges.map((e: any) => e.node);
    foreign = r.data.other.edges[0].node;
    expect(households).toHaveLength(6);
  });
  afterAll(() => app?.stop());

  it('answers id with an opaque global id of its type, and databaseId with the old id', () => {
    for (const h of households) {
      expect(h.databaseId).toMatch(/^\d+$/);
      expect(h.id).not.toBe(h.databaseId);
      expect(fromGlobalId(h.id)).toEqual({ type: 'Household', key: h.databaseId });
      for (const m of h.members) expect(fromGlobalId(m.id)).toEqual({ type: 'Person', key: m.databaseId });
    }
    // A household and a person with the same database id no longer share an id.
    expect(toGlobalId('Household', '13')).not.toBe(toGlobalId('Person', '13'));
  });

  it('node(id) answers what the typed field answers, for each node type', async () => {
    const h = households[0];
    const p = h.members[1];
    const r = await app.gql(`query ($h: ID!, $p: ID!, $r: ID!, $v: ID!) {
      household(id: $h) { id number status members { id } }
      hNode: node(id: $h) { __typename id ... on Household { number status members { id } } }
      pNode: node(id: $p) { __typename id ... on Person { databaseId relation name household { id } } }
      rNode: node(id: $r) { __typename id ... on Region { code level } }
      vNode: node(id: $v) { __typename id ... on Village { code isPovertyVillage households(first: null) { totalCount edges { node { id } } } } }
    }`, { h: h.id, p: p.id, r: toGlobalId('Region', '993701001000'), v: toGlobalId('Village', '993701001002') });
    expect(r.errors).toBeUndefined();
    expect(r.data.hNode).toEqual({ __typename: 'Household', ...r.data.household });
    expect(r.data.pNode).toMatchObject({ __typename: 'Person', id: p.id, databaseId: p.databaseId, relation: 'SPOUSE', household: { id: h.id } });
    expect(r.data.rNode).toEqual({ __typename: 'Region', id: toGlobalId('Region', '993701001000'), code: '993701001000', level: 'TOWNSHIP' });
    expect(r.data.vNode.households.totalCount).toBe(3);
    expect(r.data.vNode.households.edges.map((e: any) => e.node.id)).toEqual(households.slice(3).map((x) => x.id));
  });

  it('accepts a global id and, for now, a database id wherever a household or person is named', async () => {
    const h = households[1];
    const q = `query ($id: ID!) { household(id: $id) { id } }`;
    expect((await app.gql(q, { id: h.id })).data.household.id).toBe(h.id);
    expect((await app.gql(q, { id: h.databaseId })).data.household.id).toBe(h.id);
    const wrong = await app.gql(q, { id: h.members[0].id });
    expect(wrong.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(wrong.errors?.[0].message).toMatch(/a Person id where a Household id is expected/);
    const person = await app.gql(`query ($id: ID!) { person(id: $id) { id } }`, { id: h.members[0].id });
    expect(person.data.person.id).toBe(h.members[0].id);

    // A mutation argument: the same write through the global id and the database id.
    const token = await bearer({ role: Role.OFFICER, department: Department.HEALTH, scope: '993701' });
    const enrol = `mutation ($personId: ID!, $year: Int!) { createInsuranceEnrolment(personId: $personId, input: { year: $year, scheme: RESIDENT, premium: 380, subsidy: 200 }) { personId year } }`;
    const byGlobal = await app.gql(enrol, { personId: h.members[0].id, year: 2026 }, { authorization: token });
    expect(byGlobal.errors).toBeUndefined();
    expect(byGlobal.data.createInsuranceEnrolment).toEqual({ personId: h.members[0].databaseId, year: 2026 });
    const byLegacy = await app.gql(enrol, { personId: h.members[1].databaseId, year: 2026 }, { authorization: token });
    expect(byLegacy.data.createInsuranceEnrolment).toEqual({ personId: h.members[1].databaseId, year: 2026 });
    const mismatched = await app.gql(enrol, { personId: h.id, year: 2026 }, { authorization: token });
    expect(mismatched.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('foreign ≡ missing: outside the scope node(id) is NOT_FOUND like household(id), and nodes(ids) answers null', async () => {
    const authorization = await township();
    const missing = toGlobalId('Household', '999999999');
    const typed = await app.gql(`query ($a: ID!) { household(id: $a) { id } }`, { a: foreign.id }, { authorization });
    const typedMissing = await app.gql(`query ($a: ID!) { household(id: $a) { id } }`, { a: missing }, { authorization });
    const node = await app.gql(`query ($a: ID!) { node(id: $a) { id } }`, { a: foreign.id }, { authorization });
    const nodeMissing = await app.gql(`query ($a: ID!) { node(id: $a) { id } }`, { a: missing }, { authorization });
    for (const r of [typed, typedMissing, node, nodeMissing]) {
      expect(r.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([['NOT_FOUND', 'household not found']]);
    }
    expect(node.data).toEqual({ node: null });
    const list = await app.gql(`query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [households[0].id, foreign.id, missing, households[2].members[0].id] }, { authorization });
    expect(list.errors).toBeUndefined();
    expect(list.data.nodes).toEqual([{ id: households[0].id }, null, null, { id: households[2].members[0].id }]);
  });

  it('a role that may not read the type is refused by node(id) as by the typed field', async () => {
    const authorization = await bearer({ role: Role.AUDITOR, scope: '993701' });
    const typed = await app.gql(`query ($a: ID!) { household(id: $a) { id } }`, { a: households[0].id }, { authorization });
    const node = await app.gql(`query ($a: ID!) { node(id: $a) { id } }`, { a: households[0].id }, { authorization });
    expect(typed.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(node.errors?.map((e) => [e.extensions?.code, e.message])).toEqual(typed.errors?.map((e) => [e.extensions?.code, e.message]));
    const list = await app.gql(`query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [households[0].id] }, { authorization });
    expect(list.data).toBeNull();
    expect(list.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    const anonymous = await app.gql(`query ($a: ID!) { node(id: $a) { id } }`, { a: households[0].id }, { authorization: '' });
    expect(anonymous.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses what is no global id, and a database id, in node(id)', async () => {
    const r = await app.gql(`{ a: node(id: "13") { id } }`);
    expect(r.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('reads nodes(ids) in a number of statements that does not grow with the ids', async () => {
    const q = `query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on Household { number members { id name } } } }`;
    const two = await app.gql(q, { ids: households.slice(0, 2).map((h) => h.id) });
    const six = await app.gql(q, { ids: households.map((h) => h.id) });
    expect(six.errors).toBeUndefined();
    expect(six.data.nodes.map((n: any) => n.number)).toEqual(households.map((h) => h.number));
    expect(six.sqlStatements).toBe(two.sqlStatements);
  });
});
