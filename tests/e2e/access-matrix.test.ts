import { toGlobalId } from '../../src/core/global-id';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Pool } from 'pg';
import type { GraphQLSchema } from 'graphql';
import { dataSource } from '../../ormconfig';
import { permissionMap } from '../../src/core/auth/permission-map';
import { makeIdNumber } from '../../src/core/id-number';
import { buildAppSchema } from '../../src/core/schema';
import {
  ACTORS, authorizationOf, holds, inside, memberOf, scopeOrAncestor, seedWorld, TARGET_KINDS, worldOf,
  type Actor, type TargetKind, type Variant,
} from '../support/access-world';
import { startApp } from '../support/app';
import { stripPadding } from '../../src/core/scope';
import { endedSql, sampleInput, samplePatch, sampleValue } from '../support/facet-samples';
import type { FacetField } from '../../src/core/facet-declaration';
import { FACETS } from '../../src/modules/facets';

// The access matrix (issue 3 §2, §7): every role × every query and mutation × a target in the
// caller's own region, a sibling region, the parent region, a foreign region and a missing id,
// for callers scoped to a township and to a county (tests/support/access-world.ts draws the
// map: city 9906, foreign city 9908, households from 9_700_001).
//
// The operations come from the served schema: an operation without a case below fails the test,
// so a new one cannot escape the matrix. One request per case (10 roles × 34 operations × 5
// targets × 2 scopes = 3,400): every root field is non-null, so an error in one field of a
// batched document nulls the others' data and, for a synchronous refusal, stops them running.
//
// The outcome of every case is committed in schema/access-matrix.json. A diff there is a
// permission change: review it as one. To accept one, run this file with UPDATE_ACCESS_MATRIX=1.
//
// Beyond the snapshot, the rules are asserted directly: a role without the operation's permission
// gets FORBIDDEN (no caller: UNAUTHENTICATED) whatever the target; a permitted role gets data for
// its own target and, for sibling, parent and foreign targets, exactly the error (code and
// message) a missing id gets; lists and totals never hold a row outside the scope; a refused
// write changes no row it targets (a write on its own target changes only tables the role
// writes).

// Thousands of requests a test: on a loaded 2-core machine (the full suite, other runs) one takes
// more than the default minute.
jest.setTimeout(240_000);

const LAYOUT = { city: '9906', foreignCity: '9908', idBase: 9_700_000 };
const world = worldOf(LAYOUT);
const MATRIX_FILE = path.resolve(__dirname, '../../schema/access-matrix.json');
/**
 * The three cases of thousands of requests each: a minute on an idle machine, more on a shared
 * CI runner, where jest's default 60 s cut them off half-way.
 */
const HEAVY_CASE_TIMEOUT = 240_000;
/**
 * Subscriptions run over WebSocket only (over HTTP every one is BAD_REQUEST): who hears which
 * event, per role, department and scope, is asserted in tests/e2e/subscriptions.test.ts. A new
 * subscription fails the coverage case below until it is listed here and tested there.
 */
const SUBSCRIPTIONS = ['gapChanged', 'importFinished', 'measureChanged', 'procedureAdvanced'];
/** An id no record has (records' ids are far below it). */
const NO_RECORD = '999999999999';
/** Name of the approved projects the project and fund cases act on. */
const FUNDED_PROJECT = 'AM 资金项目';
/** Description of the measures the transitionMeasure case moves. */
const MOVED_MEASURE = 'AM 进度';

/**
 * Operations whose parent target is not "missing" by design, with what it is instead: the
 * divisions above a caller's scope are visible by name (a county officer reads its county's
 * city), and a list filtered on one of them holds the caller's own part of it.
 */
const PARENT_SEES_OWN_PART: Record<string, string> = {
  'Query.region': 'ok',
  'Query.households': 'rows',
  'Query.persons': 'rows',
  'Query.auditLog': 'rows',
  'Query.coordinationGaps': 'rows',
  'Query.coordinationGapCounts': 'rows',
  'Query.report': 'rows',
  'Query.procedures': 'rows',
};

/**
 * Operations whose answer does not depend on a region target, with what every permitted caller
 * gets for each target: importBatch(id) is asked for an id no batch has (who sees which batch is
 * asserted in tests/e2e/imports-graphql.test.ts).
 */
const TARGETLESS: Record<string, string> = {
  'Query.importBatch': 'NOT_FOUND',
  // API keys: the list has no target, and a new key is filed under the caller's own scope.
  'Query.apiKeys': 'ok',
  'Mutation.createApiKey': 'ok',
};

/**
 * Operations whose root check admits more callers than the case's arguments do: importBatch
 * admits any department's officer, and the kind's owner department decides (the case imports
 * insurance-enrolment: health).
 */
const EFFECTIVE_PERMISSION: Record<string, string[]> = {
  'Mutation.importBatch': ['facet:health:write'],
  // node(id)/nodes(ids) admit any caller and then read through the typed field, which checks.
  'Query.node': ['registry:read'],
  'Query.nodes': ['registry:read'],
};

/** What one target of one case looks like in the database right before the request. */
interface Facts {
  householdId: string;
  householdVersion: number;
  householdNumber: string;
  villageCode: string;
  child: Rec;
  spouseId: string;
  dibaoUpdate: Rec;
  dibaoEnd: Rec;
  insurance: Rec;
  claim: Rec;
  school: Rec;
  watch: Rec;
  renovation: Rec;
  relocation: Rec;
  pairing: Rec;
  measure: Rec;
  /** The household's open procedure, in its village notice (公示, access-world.ts), and an objection raised on it. */
  procedure: Rec;
  objection: Rec;
  /** A measure of the household only transitionMeasure moves (updateMeasure changes `measure` side by side). */
  movedMeasure: Rec;
  /** The household's support plan of 2010 (updateSupportPlan), and a year it has no plan for (createSupportPlan). */
  supportPlan: Rec;
  freePlanYear: number;
  /** An approved project of the household's village, funded from central funds ('AM 资金项目'). */
  project: Rec;
  /** Per department: a live coordination gap it owns on the household (acknowledged by that department, or any by a coordinator). */
  gaps: Record<string, Rec>;
  freeCadre: string;
  freeInsuranceYear: number;
  auditSeq: string;
  childIdNumber: string;
  /** Per declared facet (kind): the record its update changes and the one its end ends. */
  declared: Record<string, { update: Rec; end: Rec }>;
}
interface Outcome {
  outcome: string;
  message?: string;
}
interface GqlError {
  message: string;
  path?: Array<string | number>;
  extensions?: Record<string, unknown>;
}
interface Rec {
  id: string;
  version: number;
}

interface Target {
  variant: Variant;
  kind: TargetKind;
  facts: Facts;
}

/** A case: the operation's arguments (name → GraphQL type), their values per target (and actor), a selection. */
interface Case {
  args: Record<string, string>;
  vars: (t: Target, actor: Actor) => Record<string, unknown>;
  select: string;
}

// Saved reports belong to their owner, not to a region: an actor's own target is a saved report
// of its own; sibling, parent and foreign ones are another owner's (answered as missing ones).
// Created in beforeAll, one per actor, variant and operation (subjects as authorizationOf mints them).
const savedReports = new Map<string, Rec>();
const OTHER_OWNER = 'access-other-owner';
const savedReportKey = (subject: string, name: string) => `${subject}|${name}`;
function savedReportOf(t: Target, actor: Actor, name: string): Rec {
  if (t.kind === 'missing' || !actor.role) return { id: NO_RECORD, version: 1 };
  const key = t.kind === 'own' ? savedReportKey(`access-${actor.label}-${t.variant.scope}`, name) : savedReportKey(OTHER_OWNER, 'AM other');
  return savedReports.get(key) ?? { id: NO_RECORD, version: 1 };
}
const REPORT_DEFINITION = { dimensions: ['REGION_VILLAGE'], metrics: ['HOUSEHOLDS'] };

// API keys are filed under a region (the issuing administrator's scope): a key per variant,
// target and operation (rotation refuses a revoked key, and the cases run side by side), filed
// under the target's region; created in beforeAll. The missing target is an id no key has.
const apiKeyOf = (t: Target, op: 'rotate' | 'revoke'): string =>
  t.kind === 'missing' ? '00000000000f' : createHash('sha256').update(`${t.variant.name}|${t.kind}|${op}`).digest('hex').slice(0, 12);
// The approved-aggregate catalog (modules/aggregates): entries belong to a region. One entry per
// variant, target and operation lies in the target's region (created in beforeAll, proposed, at
// version 1); the missing target names a code no entry has. AM_PUBLISHED is approved over the
// fixture city and read at the target region.
const AM_PUBLISHED = 'am-published';
const AM_ENTRY_INPUT = { metric: 'HOUSEHOLDS', dimensions: ['STATUS'], levels: ['TOWNSHIP'], years: [2024], descriptionZh: '访问矩阵', descriptionEn: 'access matrix' };
const AM_ENTRY_OPS = ['versions', 'approve', 'revise', 'retire'] as const;
const catalogEntryOf = (t: Target, op: (typeof AM_ENTRY_OPS)[number]) => (t.kind === 'missing' ? 'am-no-such-entry' : `am-${op}-${t.variant.name}-${t.kind}`);

const utilities = { water: true, electricity: true, road: true, housing: true, network: true, environment: true };
let serial = 0;
const next = () => ++serial;

const QUERIES: Record<string, Case> = {
  auditLog: {
    args: { first: 'Int!', filter: 'AuditLogFilter' },
    vars: (t) => ({ first: 100, filter: { regionCode: t.variant.region[t.kind] } }),
    select: 'totalCount edges { node { regionCode } }',
  },
  household: { args: { id: 'ID!' }, vars: (t) => ({ id: t.facts.householdId }), select: 'id villageCode' },
  coordinationGaps: {
    args: { first: 'Int!', filter: 'CoordinationGapFilter' },
    vars: (t) => ({ first: 100, filter: { regionCode: t.variant.region[t.kind] } }),
    select: 'totalCount edges { node { regionCode } }',
  },
  coordinationGapCounts: { args: { regionCode: 'String' }, vars: (t) => ({ regionCode: t.variant.region[t.kind] }), select: 'regionCode count' },
  // The published column spec is reference data: no target, the same answer everywhere.
  importKinds: { args: {}, vars: () => ({}), select: 'kind' },
  approvedAggregates: { args: {}, vars: () => ({}), select: 'code' },
  approvedAggregate: { args: { code: 'String!', region: 'String' }, vars: (t) => ({ code: AM_PUBLISHED, region: t.variant.region[t.kind] }), select: 'region cells { value suppressed }' },
  aggregateEntries: { args: {}, vars: () => ({}), select: 'code' },
  aggregateEntryVersions: { args: { code: 'String!' }, vars: (t) => ({ code: catalogEntryOf(t, 'versions') }), select: 'version' },
  importSpec: { args: { kind: 'String!' }, vars: () => ({ kind: 'insurance-enrolment' }), select: 'kind' },
  householdByNumber: { args: { number: 'String!' }, vars: (t) => ({ number: t.facts.householdNumber }), select: 'id villageCode' },
  households: {
    args: { first: 'Int!', filter: 'HouseholdFilter' },
    vars: (t) => ({ first: 100, filter: { regionCode: t.variant.region[t.kind] } }),
    select: 'totalCount edges { node { id villageCode } }',
  },
  person: { args: { id: 'ID!' }, vars: (t) => ({ id: t.facts.child.id }), select: 'id villageCode' },
  // Relay (issue 10 §3): a node answers as its typed field does (checked below against household/person).
  node: { args: { id: 'ID!' }, vars: (t) => ({ id: toGlobalId('Household', t.facts.householdId) }), select: 'id ... on Household { villageCode }' },
  nodes: { args: { ids: '[ID!]!' }, vars: (t) => ({ ids: [toGlobalId('Person', t.facts.child.id)] }), select: 'id ... on Person { villageCode }' },
  persons: {
    args: { first: 'Int!', filter: 'PersonFilter' },
    vars: (t) => ({ first: 100, filter: { regionCode: t.variant.region[t.kind] } }),
    select: 'totalCount edges { node { id villageCode } }',
  },
  region: { args: { code: 'DivisionCode!' }, vars: (t) => ({ code: t.variant.region[t.kind] }), select: 'code prefix' },
  report: {
    args: { dimensions: '[ReportDimension!]!', metrics: '[ReportMetric!]!', filter: 'ReportFilter' },
    vars: (t) => ({ ...REPORT_DEFINITION, filter: { regionCode: t.variant.region[t.kind] } }),
    select: 'rows { grandTotal region { code } values { value } }',
  },
  runSavedReport: { args: { id: 'ID!' }, vars: (t, actor) => ({ id: savedReportOf(t, actor, 'AM run').id }), select: 'rows { grandTotal }' },
  savedReports: { args: {}, vars: () => ({}), select: 'id' },
  // The chain is one global sequence (findings are named only inside scope): the target is the
  // position of a record of that region.
  verifyAuditChain: { args: { fromSeq: 'String', toSeq: 'String' }, vars: (t) => ({ fromSeq: t.facts.auditSeq, toSeq: t.facts.auditSeq }), select: 'checkedRecords' },
  village: { args: { code: 'DivisionCode!' }, vars: (t) => ({ code: t.variant.village[t.kind] }), select: 'code' },
  importBatches: { args: { first: 'Int!' }, vars: () => ({ first: 5 }), select: 'totalCount' },
  importBatch: { args: { id: 'ID!' }, vars: () => ({ id: NO_RECORD }), select: 'id' },
  apiKeys: { args: {}, vars: () => ({}), select: 'id' },
  procedure: { args: { id: 'ID!' }, vars: (t) => ({ id: t.facts.procedure.id }), select: 'id regionCode' },
  procedures: {
    args: { first: 'Int!', filter: 'ProcedureFilter' },
    vars: (t) => ({ first: 100, filter: { regionCode: t.variant.region[t.kind] } }),
    select: 'totalCount edges { node { regionCode } }',
  },
  householdsWithoutCadre: {
    args: { regionCode: 'String', first: 'Int!' },
    vars: (t) => ({ regionCode: t.variant.region[t.kind], first: 100 }),
    select: 'totalCount edges { node { id villageCode } }',
  },
  overloadedCadres: { args: { regionCode: 'String', over: 'Int', first: 'Int!' }, vars: (t) => ({ regionCode: t.variant.region[t.kind], over: 0, first: 100 }), select: 'totalCount' },
  publicNotices: {
    args: { regionCode: 'String', first: 'Int!' },
    vars: (t) => ({ regionCode: t.variant.region[t.kind], first: 100 }),
    select: 'totalCount edges { node { regionCode } }',
  },
};

const onHousehold = (input: (t: Target) => Record<string, unknown>): Case => ({
  args: { householdId: 'ID!', input: '' },
  vars: (t) => ({ householdId: t.facts.householdId, input: input(t) }),
  select: 'id',
});
const onPerson = (person: (t: Target) => string, input: (t: Target) => Record<string, unknown>): Case => ({
  args: { personId: 'ID!', input: '' },
  vars: (t) => ({ personId: person(t), input: input(t) }),
  select: 'id',
});
const onRecord = (rec: (t: Target) => Rec, input: (t: Target) => Record<string, unknown>): Case => ({
  args: { id: 'ID!', version: 'Int!', input: '' },
  vars: (t) => ({ id: rec(t).id, version: rec(t).version, input: input(t) }),
  select: 'id',
});

// Inputs valid for the own target (so that only the target decides), in the order they run.
const MUTATIONS: Record<string, Case> = {
  proposeAggregateEntry: {
    args: { code: 'String!', input: 'AggregateEntryInput!' },
    vars: (t) => ({ code: `am-propose-${next()}`, input: { ...AM_ENTRY_INPUT, region: t.variant.region[t.kind] } }),
    select: 'code',
  },
  approveAggregateEntry: { args: { code: 'String!', version: 'Int!' }, vars: (t) => ({ code: catalogEntryOf(t, 'approve'), version: 1 }), select: 'entry { version }' },
  reviseAggregateEntry: {
    args: { code: 'String!', version: 'Int!', input: 'AggregateEntryInput!' },
    vars: (t) => ({ code: catalogEntryOf(t, 'revise'), version: 1, input: { ...AM_ENTRY_INPUT, region: t.variant.region.own } }),
    select: 'entry { version }',
  },
  retireAggregateEntry: { args: { code: 'String!', version: 'Int!' }, vars: (t) => ({ code: catalogEntryOf(t, 'retire'), version: 1 }), select: 'entry { version }' },
  refreshApprovedAggregates: { args: {}, vars: () => ({}), select: 'id' },
  createHousehold: {
    args: { input: 'CreateHouseholdInput!' },
    vars: (t) => ({ input: { villageCode: t.variant.village[t.kind], number: `AM-${String(next()).padStart(4, '0')}`, status: 'NONE', utilities } }),
    select: 'id',
  },
  updateHousehold: onRecord((t) => ({ id: t.facts.householdId, version: t.facts.householdVersion }), () => ({ utilities })),
  createPerson: onHousehold(() => {
    // A fresh ID number per call: 500 odd (male) sequence numbers per birth date, then the next year.
    const n = next();
    const birthDate = `${1980 + Math.floor(n / 500)}-01-01`;
    return {
      name: '新成员', idNumber: makeIdNumber(world.counties.A, birthDate, (n % 500) * 2 + 1), gender: 'MALE', birthDate,
      relation: 'OTHER', labourAbility: 'ORDINARY', healthCategory: 'HEALTHY', schoolingStage: 'NONE',
    };
  }),
  updatePerson: onRecord((t) => t.facts.child, () => ({ name: '改名' })),
  createDibaoEnrolment: onHousehold(() => ({
    category: 'CLASS_A', monthlyAmount: 300, coveredPersons: 1, startDate: '2018-01-01', endDate: '2018-06-30', status: 'ENDED',
  })),
  updateDibaoEnrolment: onRecord((t) => t.facts.dibaoUpdate, () => ({ monthlyAmount: 310 })),
  endDibaoEnrolment: onRecord((t) => t.facts.dibaoEnd, () => ({ endDate: '2022-12-31' })),
  createTemporaryAssistance: onHousehold(() => ({ paidOn: '2024-05-01', amount: 500, reason: '火灾' })),
  createInsuranceEnrolment: onPerson((t) => t.facts.child.id, (t) => ({ year: t.facts.freeInsuranceYear, scheme: 'RESIDENT', premium: 380, subsidy: 200 })),
  updateInsuranceEnrolment: onRecord((t) => t.facts.insurance, () => ({ subsidy: 150 })),
  createMedicalAssistanceClaim: onPerson((t) => t.facts.child.id, () => ({ claimDate: '2024-04-01', totalCost: 1000, reimbursed: 700, outOfPocket: 300 })),
  updateMedicalAssistanceClaim: onRecord((t) => t.facts.claim, () => ({ claimDate: '2024-04-02' })),
  createSchoolEnrolment: onPerson((t) => t.facts.child.id, () => ({ schoolYear: 2022, stage: 'PRIMARY', schoolName: '测试小学', grade: 2, status: 'GRADUATED' })),
  updateSchoolEnrolment: onRecord((t) => t.facts.school, () => ({ schoolName: '测试二小' })),
  openDropoutWatch: onPerson((t) => t.facts.spouseId, () => ({ openedOn: '2024-09-01', reason: '辍学' })),
  closeDropoutWatch: onRecord((t) => t.facts.watch, () => ({ closedOn: '2024-10-01', outcome: 'RETURNED' })),
  recordHousingAppraisal: onHousehold(() => ({ grade: 'B', appraisedOn: '2024-06-01', appraiser: '住建局' })),
  createRenovationProject: onHousehold(() => ({ subsidyAmount: 15000, startDate: '2024-03-01', status: 'PLANNED' })),
  updateRenovationProject: onRecord((t) => t.facts.renovation, () => ({ subsidyAmount: 16000 })),
  // The destination is the caller's own village whatever the target: only the household decides.
  createRelocation: onHousehold((t) => ({ destinationCode: t.variant.village.own, settlementMode: 'CENTRALISED', plannedYear: 2024, subsidyAmount: 5000, status: 'PLANNED' })),
  updateRelocation: onRecord((t) => t.facts.relocation, () => ({ subsidyAmount: 6000 })),
  acknowledgeCoordinationGap: {
    args: { id: 'ID!', version: 'Int!' },
    vars: (t, actor) => ({ ...t.facts.gaps[actor?.department ?? 'poverty_office'] }),
    select: 'id',
  },
  recomputeCoordinationGaps: { args: { regionCode: 'String' }, vars: (t) => ({ regionCode: t.variant.region[t.kind] }), select: 'opened' },
  createPairing: onHousehold((t) => ({ cadreId: t.facts.freeCadre, startDate: '2024-01-01' })),
  endPairing: onRecord((t) => t.facts.pairing, () => ({ endDate: '2024-12-31' })),
  createMeasure: onHousehold(() => ({ kind: 'INDUSTRY', department: 'POVERTY_OFFICE', amount: 1000, year: 2024, description: '养殖' })),
  updateMeasure: onRecord((t) => t.facts.measure, () => ({ amount: 1100 })),
  // The first permitted caller moves the own measure on; later ones get IllegalTransition (data, not an error).
  transitionMeasure: { ...onRecord((t) => t.facts.movedMeasure, () => ({ to: 'IN_PROGRESS' })), select: '__typename' },
  createProject: {
    args: { input: 'CreateProjectInput!' },
    vars: (t) => ({ input: { regionCode: t.variant.village[t.kind], name: `AM 项目 ${next()}`, kind: 'INDUSTRY', year: 2024, budget: 5000, fundSources: ['COUNTY'], implementingUnit: '县扶贫办' } }),
    select: 'id',
  },
  // The first permitted caller starts the own project; later ones get IllegalProjectTransition (data).
  transitionProject: { ...onRecord((t) => t.facts.project, () => ({ to: 'UNDERWAY' })), select: '__typename' },
  allocateFunds: {
    args: { projectId: 'ID!', input: '' },
    vars: (t) => ({ projectId: t.facts.project.id, input: { source: 'CENTRAL', amount: 1, allocatedOn: '2024-05-01' } }),
    select: '__typename',
  },
  createCadre: {
    args: { input: 'CreateCadreInput!' },
    vars: (t) => ({ input: { regionCode: t.variant.village[t.kind], name: '矩阵干部', unit: '县扶贫办' } }),
    select: 'id',
  },
  logVisit: {
    args: { pairingId: 'ID!', input: '' },
    vars: (t) => ({ pairingId: t.facts.pairing.id, input: { visitedOn: '2024-06-01', kind: 'HOME_VISIT', notes: '宣讲政策' } }),
    select: 'id',
  },
  createSupportPlan: onHousehold((t) => ({ year: t.facts.freePlanYear, goal: '稳定增收' })),
  updateSupportPlan: onRecord((t) => t.facts.supportPlan, () => ({ goal: '稳定增收，巩固三保障' })),
  createVillageMeasure: {
    args: { villageCode: 'String!', input: '' },
    vars: (t) => ({ villageCode: t.variant.village[t.kind], input: { kind: 'INFRASTRUCTURE', department: 'POVERTY_OFFICE', amount: 1000, year: 2024, description: '道路' } }),
    select: 'id',
  },
  saveReport: {
    args: { id: 'ID', version: 'Int', name: 'String!', definition: 'ReportDefinitionInput!' },
    vars: (t, actor) => ({ ...savedReportOf(t, actor, 'AM change'), name: `AM changed ${next()}`, definition: REPORT_DEFINITION }),
    select: 'id',
  },
  // No version: a stale one would be CONFLICT on a report this matrix has already deleted.
  deleteReport: { args: { id: 'ID!' }, vars: (t, actor) => ({ id: savedReportOf(t, actor, 'AM delete').id }), select: '' },
  createApiKey: { args: { input: 'CreateApiKeyInput!' }, vars: () => ({ input: { organisation: 'AM org', catalogEntries: [] } }), select: 'apiKey { id }' },
  rotateApiKey: { args: { id: 'ID!' }, vars: (t) => ({ id: apiKeyOf(t, 'rotate') }), select: 'apiKey { id }' },
  revokeApiKey: { args: { id: 'ID!' }, vars: (t) => ({ id: apiKeyOf(t, 'revoke') }), select: 'id' },
  // One row naming the target's child (the fixture's ID numbers carry no checksum, so the row is
  // rejected and the batch answered REJECTED: the case is about who may import at all).
  // Procedures (a union answers both a step and its refusal: the case is about who reaches the
  // procedure at all; the rules of the steps are tests/e2e/procedures.test.ts's).
  applyForProcedure: { ...onHousehold(() => ({ kind: 'EXIT', comment: '申请' })), select: '__typename' },
  advanceProcedure: { ...onRecord((t) => t.facts.procedure, () => ({ step: 'VILLAGE_REVIEW', comment: '评议' })), select: '__typename' },
  raiseObjection: {
    args: { procedureId: 'ID!', input: '' },
    vars: (t) => ({ procedureId: t.facts.procedure.id, input: { content: '异议' } }),
    select: '__typename',
  },
  resolveObjection: { ...onRecord((t) => t.facts.objection, () => ({ outcome: 'DISMISSED', resolution: '不属实' })), select: '__typename' },
  importBatch: {
    args: { kind: 'String!', rows: '[JSONObject!]!', batchKey: 'String!' },
    vars: (t) => ({ kind: 'insurance-enrolment', rows: [{ idNumber: t.facts.childIdNumber, year: t.facts.freeInsuranceYear, scheme: 'resident', premium: 380, subsidy: 200 }], batchKey: `am-import-${next()}` }),
    select: 'batch { status }',
  },
};

// Every declared facet's derived mutations (modules/facets.ts), unless a case above covers
// them: a new declared facet joins the matrix with no new line here.
const DECLARED = FACETS.filter((f) => f.mutations !== 'custom');
for (const facet of DECLARED) {
  if (facet.mutations === 'custom') continue;
  const { create, update, end } = facet.mutations;
  if (!(create.name in MUTATIONS)) {
    MUTATIONS[create.name] = facet.parent === 'person' ? onPerson((t) => t.facts.child.id, () => sampleInput(facet)) : onHousehold(() => sampleInput(facet));
  }
  if (update && !(update.name in MUTATIONS)) MUTATIONS[update.name] = onRecord((t) => t.facts.declared[facet.kind].update, () => samplePatch(facet));
  if (end && !(end.name in MUTATIONS)) {
    const dateField = facet.fields.find((f) => f.name === end.dateField) as FacetField;
    MUTATIONS[end.name] = onRecord((t) => t.facts.declared[facet.kind].end, () => ({ [dateField.name]: sampleValue(dateField) }));
  }
}

/** Which permission may change which table (a write on the own target changes only these). */
const WRITTEN_WITH: Record<string, string> = {
  household: 'registry:write',
  household_status_event: 'registry:write',
  household_secondary_cause: 'registry:write',
  person: 'registry:write',
  dibao_enrolment: 'facet:civil_affairs:write',
  temporary_assistance: 'facet:civil_affairs:write',
  insurance_enrolment: 'facet:health:write',
  medical_assistance_claim: 'facet:health:write',
  school_enrolment: 'facet:education:write',
  dropout_watch: 'facet:education:write',
  housing_appraisal: 'facet:housing:write',
  renovation_project: 'facet:housing:write',
  relocation: 'facet:housing:write',
  pairing: 'coordination:write',
  measure: 'coordination:write',
  procedure: 'procedure:write',
  procedure_step_record: 'procedure:write',
  procedure_objection: 'procedure:write',
  cadre_visit: 'coordination:write',
  support_plan: 'coordination:write',
  ...Object.fromEntries(FACETS.map((f) => [f.table, `facet:${f.department}:write`])),
};

/** The document of one case: the operation alone (every root field is non-null, so an error in one nulls them all). */
function documentOf(kind: 'query' | 'mutation', op: string, c: Case, argType: (arg: string) => string): string {
  const defs = Object.keys(c.args).map((arg) => `$${arg}: ${c.args[arg] || argType(arg)}`);
  const args = Object.keys(c.args).map((arg) => `${arg}: $${arg}`);
  const list = (items: string[]) => (items.length ? `(${items.join(', ')})` : '');
  // A scalar result (deleteReport's ID) takes no selection.
  return `${kind} ${op[0].toUpperCase()}${op.slice(1)}Case${list(defs)} { ${op}${list(args)}${c.select ? ` { ${c.select} }` : ''} }`;
}

/** Runs `work` over `items`, at most `limit` at a time, keeping their order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let nextIndex = 0;
  const worker = async () => {
    while (nextIndex < items.length) {
      const i = nextIndex++;
      out[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

describe('access matrix: every role × every operation × own, sibling, parent, foreign and missing targets', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let endpoint: string;
  let pg: Pool;
  let schema: GraphQLSchema;
  let permissions: Record<string, string[] | null>;
  /** Audit chain position of a record of each variant's target region (verifyAuditChain's target). */
  const auditSeq: Record<string, string> = {};
  const matrix: Record<string, Record<string, Record<string, string>>> = {};
  const problems: string[] = [];

  /** POSTs one operation to the listening server (one keep-alive connection pool for the whole matrix). */
  async function post(query: string, variables: Record<string, unknown>, authorization: string): Promise<{ status: number; data?: any; errors?: GqlError[] }> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (authorization) headers.authorization = authorization;
    const res = await fetch(endpoint, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    return { status: res.status, ...((await res.json()) as object) };
  }

  const sql = async <R = Record<string, any>>(text: string, params: unknown[] = []) => (await pg.query(text, params)).rows as R[];

  beforeAll(async () => {
    const url = process.env.TEST_DATABASE_URL as string;
    await seedWorld(url, world);
    // One approved project per village of the world, so that moves and allocations have a target,
    // one measure per household that only transitionMeasure moves, and a plan of 2010 per household.
    const setup = new Pool({ connectionString: url, max: 1 });
    await setup.query(
      `INSERT INTO project (county_code, region_code, name, kind, year, budget, status, fund_sources)
       SELECT v.county_code, v.code, $1::varchar, 'infrastructure', 2024, 1000000000, 'approved', '{central}' FROM village v
        WHERE left(v.code, 4) IN ($2, $3) AND NOT EXISTS (SELECT 1 FROM project x WHERE x.region_code = v.code AND x.name = $1::varchar)`,
      [FUNDED_PROJECT, LAYOUT.city, LAYOUT.foreignCity],
    );
    await setup.query(
      `INSERT INTO measure (county_code, household_id, kind, department, status, amount, year, description)
       SELECT h.county_code, h.id, 'industry', 'poverty_office', 'planned', 100, 2024, $1::text FROM household h
        WHERE left(h.village_code, 4) IN ($2, $3) AND NOT EXISTS (SELECT 1 FROM measure x WHERE x.household_id = h.id AND x.description = $1::text)`,
      [MOVED_MEASURE, LAYOUT.city, LAYOUT.foreignCity],
    );
    await setup.query(
      `INSERT INTO support_plan (county_code, household_id, year, goal)
       SELECT h.county_code, h.id, 2010, 'AM 计划' FROM household h WHERE left(h.village_code, 4) IN ($1, $2) ON CONFLICT DO NOTHING`,
      [LAYOUT.city, LAYOUT.foreignCity],
    );
    await setup.end();
    // Thousands of audited refusals each commit while holding the audit chain's head: without
    // waiting for each commit's WAL flush (nothing here needs to survive a crash), the matrix
    // runs in a third of the time. Statements, locks and transactions are unchanged.
    dataSource.setOptions({ extra: { ...(dataSource.options.extra as object), options: '-c synchronous_commit=off' } });
    app = await startApp();
    await new Promise<void>((resolve) => app.server.httpServer.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(app.server.httpServer.address() as AddressInfo).port}/graphql`;
    pg = new Pool({ connectionString: url, max: 6 });
    schema = await buildAppSchema();
    permissions = await permissionMap();

    // Audit records in each target region, written through the API: a poverty-office write in
    // each region's village, and a refused write by an analyst scoped to a division above the
    // caller's (its record is attached to that division itself).
    const { A, B, F } = world.counties;
    const [township, county] = world.variants;
    const seeds: Array<[string, string, string, 'write' | 'refused']> = [
      ['township:own', township.scope, township.household.own, 'write'],
      ['township:sibling', `${A}002`, township.household.sibling, 'write'],
      ['township:parent', A, township.household.own, 'refused'],
      ['township:foreign', F, township.household.foreign, 'write'],
      ['county:sibling', B, county.household.sibling, 'write'],
      ['county:parent', world.city, county.household.own, 'refused'],
    ];
    for (const [key, scope, householdId, how] of seeds) {
      const actor = ACTORS.find((a) => a.label === (how === 'write' ? 'officer:poverty_office' : 'analyst')) as Actor;
      const res = await app.gql(`mutation ($h: ID!) { createMeasure(householdId: $h, input: { kind: INDUSTRY, department: POVERTY_OFFICE, amount: 1, year: 2024, description: "seed" }) { id } }`,
        { h: householdId }, { authorization: await authorizationOf(actor, scope) });
      const requestId = res.requestId;
      expect({ key, codes: res.errors?.map((e) => e.extensions?.code) }).toEqual({ key, codes: how === 'write' ? undefined : ['FORBIDDEN'] });
      const [row] = await sql<{ seq: string }>('SELECT seq::text AS seq FROM audit_record WHERE request_id = $1', [requestId]);
      auditSeq[key] = row.seq;
    }
    auditSeq['county:own'] = auditSeq['township:own'];
    auditSeq['county:foreign'] = auditSeq['township:foreign'];
    auditSeq['township:missing'] = NO_RECORD;
    auditSeq['county:missing'] = NO_RECORD;

    const owners: Array<[string, string]> = [[OTHER_OWNER, 'AM other']];
    for (const variant of world.variants) {
      for (const actor of ACTORS.filter((a) => a.role)) for (const name of ['AM run', 'AM change', 'AM delete']) owners.push([`access-${actor.label}-${variant.scope}`, name]);
    }
    const saved = await sql<{ owner: string; name: string; id: string; version: number }>(
      `INSERT INTO saved_report (owner_subject, name, definition) SELECT o, n, $3::jsonb FROM unnest($1::text[], $2::text[]) AS x(o, n)
       ON CONFLICT (owner_subject, name) DO UPDATE SET version = 1, definition = EXCLUDED.definition
       RETURNING owner_subject AS owner, name, id::text AS id, version`,
      [owners.map((o) => o[0]), owners.map((o) => o[1]), JSON.stringify(REPORT_DEFINITION)],
    );
    for (const r of saved) savedReports.set(savedReportKey(r.owner, r.name), { id: r.id, version: r.version });

    const keys = world.variants.flatMap((variant) => TARGET_KINDS.filter((k) => k !== 'missing').flatMap((kind) =>
      (['rotate', 'revoke'] as const).map((op) => [apiKeyOf({ variant, kind } as Target, op), variant.region[kind]])));
    await sql(
      `INSERT INTO api_key (id, organisation, secret_sha256, region_code, created_by) SELECT id, 'AM org', repeat('0', 64), region, 'access-matrix'
         FROM unnest($1::text[], $2::text[]) AS x(id, region)
       ON CONFLICT (id) DO UPDATE SET region_code = EXCLUDED.region_code, revoked_at = NULL`,
      [keys.map((k) => k[0]), keys.map((k) => k[1])],
    );
    const entries: Array<[string, string, string]> = [[AM_PUBLISHED, world.city, 'approved']];
    for (const variant of world.variants) {
      for (const kind of TARGET_KINDS.filter((k) => k !== 'missing')) {
        for (const op of AM_ENTRY_OPS) entries.push([catalogEntryOf({ variant, kind } as Target, op), variant.region[kind], 'proposed']);
      }
    }
    await sql(
      `WITH e AS (
         INSERT INTO aggregate_entry (code, status, region_code, metric, dimensions, levels, years, description_zh, description_en, proposed_by)
         SELECT c, s, r, 'HOUSEHOLDS', '{STATUS}', CASE WHEN s = 'approved' THEN '{city,county,township}'::text[] ELSE '{township}'::text[] END, '{2024}',
                '访问矩阵', 'access matrix', 'access-matrix'
           FROM unnest($1::text[], $2::text[], $3::text[]) AS x(c, r, s)
         ON CONFLICT (code) DO UPDATE SET status = EXCLUDED.status, version = 1 RETURNING *)
       INSERT INTO aggregate_entry_version (entry_id, version, action, status, region_code, metric, dimensions, levels, years, description_zh, description_en, changed_by)
       SELECT id, 1, 'propose', status, region_code, metric, dimensions, levels, years, description_zh, description_en, proposed_by FROM e
       ON CONFLICT DO NOTHING`,
      [entries.map((e) => e[0]), entries.map((e) => e[1]), entries.map((e) => e[2])],
    );
  });
  afterAll(async () => {
    await pg?.end();
    await app?.stop();
  });

  /** The facts of a target, read right before its request (versions move as the matrix writes). */
  async function factsOf(variant: Variant, kind: TargetKind): Promise<Facts> {
    const householdId = variant.household[kind];
    const rec = (from: string, where: string, order = 'x.id') =>
      `(SELECT json_build_object('id', x.id::text, 'version', x.version) FROM ${from} x WHERE ${where} ORDER BY ${order} LIMIT 1)`;
    const [row] = await sql<Facts>(
      `SELECT h.id::text AS "householdId", h.version AS "householdVersion", h.number AS "householdNumber", h.village_code AS "villageCode",
              (h.id * 10 + 2)::text AS "spouseId",
              ${rec('person', 'x.id = h.id * 10 + 3')} AS child,
              (SELECT x.id_number FROM person x WHERE x.id = h.id * 10 + 3) AS "childIdNumber",
              ${rec('dibao_enrolment', "x.household_id = h.id AND x.start_date = '2019-01-01'")} AS "dibaoUpdate",
              ${rec('dibao_enrolment', "x.household_id = h.id AND x.start_date = '2021-01-01'", "(x.status = 'ended'), x.id")} AS "dibaoEnd",
              ${rec('insurance_enrolment', 'x.person_id = h.id * 10 + 3 AND x.year = 2023')} AS insurance,
              ${rec('medical_assistance_claim', 'x.person_id = h.id * 10 + 3')} AS claim,
              ${rec('school_enrolment', "x.person_id = h.id * 10 + 3 AND x.school_year = 2024 AND x.status = 'enrolled'")} AS school,
              ${rec('dropout_watch', "x.household_id = h.id AND x.status = 'open'")} AS watch,
              ${rec('renovation_project', 'x.household_id = h.id')} AS renovation,
              ${rec('relocation', 'x.household_id = h.id')} AS relocation,
              ${rec('pairing', 'x.household_id = h.id AND x.end_date IS NULL')} AS pairing,
              ${rec('measure', `x.household_id = h.id AND x.description <> '${MOVED_MEASURE}'`)} AS measure,
              ${rec('measure', `x.household_id = h.id AND x.description = '${MOVED_MEASURE}'`)} AS "movedMeasure",
              ${rec('support_plan', 'x.household_id = h.id AND x.year = 2010')} AS "supportPlan",
              (SELECT min(y) FROM generate_series(2000, 2026) y
                WHERE NOT EXISTS (SELECT 1 FROM support_plan p WHERE p.household_id = h.id AND p.year = y)) AS "freePlanYear",
              ${rec('project', `x.region_code = h.village_code AND x.name = '${FUNDED_PROJECT}'`)} AS project,
              ${rec('procedure', "x.household_id = h.id AND x.status = 'open'")} AS procedure,
              ${rec('procedure_objection', 'x.household_id = h.id')} AS objection,
              (SELECT json_object_agg(d.department, json_build_object('id', g.id::text, 'version', g.version))
                 FROM unnest(enum_range(NULL::department)) d(department)
                 CROSS JOIN LATERAL (SELECT x.id, x.version FROM coordination_gap x WHERE x.household_id = h.id AND x.department = d.department
                                      AND x.status <> 'resolved' ORDER BY x.id LIMIT 1) g) AS gaps,
              (SELECT c.id::text FROM cadre c WHERE c.county_code = h.county_code AND NOT EXISTS (
                 SELECT 1 FROM pairing p WHERE p.household_id = h.id AND p.cadre_id = c.id AND (p.end_date IS NULL OR p.end_date >= '2024-01-01'))
                ORDER BY c.id LIMIT 1) AS "freeCadre",
              (SELECT min(y) FROM generate_series(2010, 2022) y
                WHERE NOT EXISTS (SELECT 1 FROM insurance_enrolment i WHERE i.person_id = h.id * 10 + 3 AND i.year = y)) AS "freeInsuranceYear",
              json_build_object(${DECLARED.map((f) => `'${f.kind}', json_build_object(
                'update', ${rec(f.table, 'x.household_id = h.id')},
                'end', ${rec(f.table, 'x.household_id = h.id', endedSql(f) ? `(${endedSql(f)}), x.id DESC` : 'x.id DESC')})`).join(', ')}) AS declared
         FROM household h WHERE h.id = $1`,
      [householdId],
    );
    const auditKey = `${variant.name}:${kind}`;
    if (row) return { ...row, auditSeq: auditSeq[auditKey] };
    // A missing household: its person and records are missing too.
    const none: Rec = { id: NO_RECORD, version: 1 };
    const [cadre] = await sql<{ id: string }>('SELECT id::text AS id FROM cadre WHERE county_code = $1 ORDER BY id LIMIT 1', [world.counties.A]);
    return {
      householdId, householdVersion: 1, householdNumber: 'NO-SUCH-HOUSEHOLD', villageCode: variant.village.missing,
      child: { id: memberOf(householdId, 3), version: 1 }, spouseId: memberOf(householdId, 2),
      dibaoUpdate: none, dibaoEnd: none, insurance: none, claim: none, school: none, watch: none, renovation: none, relocation: none, pairing: none, measure: none, movedMeasure: none, supportPlan: none, freePlanYear: 2020, project: none,
      procedure: none, objection: none,
      gaps: Object.fromEntries(['civil_affairs', 'health', 'education', 'housing', 'poverty_office'].map((d) => [d, none])),
      freeCadre: cadre.id, freeInsuranceYear: 2020, auditSeq: auditSeq[auditKey], childIdNumber: makeIdNumber('990000', '2014-09-10', 1),
      declared: Object.fromEntries(DECLARED.map((f) => [f.kind, { update: none, end: none }])),
    };
  }

  /** Per table, what rows a target's household (and its village, for new households) has now. */
  async function fingerprint(householdId: string, villageCode: string): Promise<Record<string, string>> {
    const unversioned = ['household_status_event', 'household_secondary_cause', 'procedure_step_record'];
    const scoped = (table: string, key = 'household_id', stamp = 'updated_at') =>
      `SELECT '${table}' AS t, count(*) || '/' || coalesce(sum(${unversioned.includes(table) ? '0' : 'version'}), 0) || '/' || coalesce(max(${stamp})::text, '') AS f
         FROM ${table} WHERE ${key} IN (SELECT id FROM hh)`;
    const rows = await sql<{ t: string; f: string }>(
      `WITH hh AS (SELECT id FROM household WHERE id = $1::bigint OR village_code = $2)
       ${Object.keys(WRITTEN_WITH).map((t) =>
         t === 'household' ? scoped(t, 'id') : t === 'household_status_event' || t === 'procedure_step_record' ? scoped(t, 'household_id', 'recorded_at') : t === 'household_secondary_cause' ? scoped(t, 'household_id', 'NULL::text') : scoped(t),
       ).join(' UNION ALL ')}`,
      [householdId, villageCode],
    );
    return Object.fromEntries(rows.map((r) => [r.t, r.f]));
  }

  /** Rows a caller with `scope` may see under the requested prefix, counted straight in SQL. */
  async function visibleCount(op: string, scope: string, requested: string): Promise<number> {
    const prefix = requested.startsWith(scope) ? requested : scope.startsWith(requested) ? scope : null;
    if (prefix === null) return 0;
    const [table, column] = op === 'auditLog' ? ['audit_record', 'region_code'] : op === 'households' ? ['household', 'village_code'] : ['person', 'village_code'];
    const [row] = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${column} LIKE $1 || '%'`, [prefix]);
    return row.n;
  }

  /** The outcome of one root field of a response: an error code, or what the data says. */
  async function outcomeOf(res: { status: number; data?: any; errors?: GqlError[] }, op: string, target: Target): Promise<Outcome> {
    if (res.status >= 500) return { outcome: `HTTP ${res.status}` };
    const unplaced = res.errors?.filter((e) => !e.path);
    if (unplaced?.length) throw new Error(`request refused as a whole: ${JSON.stringify(unplaced)}`);
    const error = res.errors?.find((e) => e.path?.[0] === op);
    if (error) {
      if (res.data?.[op] != null) return { outcome: 'LEAK: data beside an error' };
      return { outcome: String(error.extensions?.code), message: error.message };
    }
    const value = res.data?.[op];
    if (value == null) return { outcome: 'NULL' };
    const scope = target.variant.scope;
    switch (op) {
      case 'auditLog':
      case 'households':
      case 'persons': {
        const nodes: Array<{ villageCode?: string; regionCode?: string }> = value.edges.map((e: { node: object }) => e.node);
        const outside = nodes.filter((n) => !inside((n.villageCode ?? n.regionCode) as string, scope));
        if (outside.length) return { outcome: `LEAK: ${outside.length} rows outside ${scope}` };
        const expected = await visibleCount(op, scope, String(target.variant.region[target.kind]));
        if (value.totalCount !== expected) return { outcome: `LEAK: totalCount ${value.totalCount}, ${expected} visible` };
        return { outcome: value.totalCount === 0 ? 'none' : 'rows' };
      }
      case 'procedures': {
        const outside = value.edges.filter((e: { node: { regionCode: string } }) => !inside(e.node.regionCode, scope));
        if (outside.length) return { outcome: `LEAK: ${outside.length} procedures outside ${scope}` };
        if (value.totalCount !== value.edges.length) return { outcome: `LEAK: totalCount ${value.totalCount}, ${value.edges.length} listed` };
        return { outcome: value.totalCount === 0 ? 'none' : 'rows' };
      }
      case 'procedure':
        return { outcome: inside(value.regionCode, scope) ? 'ok' : `LEAK: ${value.regionCode}` };
      case 'coordinationGaps': {
        // Which department's gaps an officer sees is tested in coordination.test.ts; here: region.
        const outside = value.edges.filter((e: { node: { regionCode: string } }) => !inside(e.node.regionCode, scope));
        if (outside.length) return { outcome: `LEAK: ${outside.length} gaps outside ${scope}` };
        return { outcome: value.totalCount === 0 ? 'none' : 'rows' };
      }
      case 'coordinationGapCounts': {
        const outside = (value as Array<{ regionCode: string }>).filter((c) => !inside(stripPadding(c.regionCode), scope));
        if (outside.length) return { outcome: `LEAK: counts of ${outside.map((c) => c.regionCode).join(', ')} outside ${scope}` };
        return { outcome: value.length === 0 ? 'none' : 'rows' };
      }
      case 'report': {
        const rows: Array<{ grandTotal: boolean; region: { code: string } | null; values: Array<{ value: number }> }> = value.rows;
        const outside = rows.filter((r) => r.region && !inside(r.region.code, scope));
        if (outside.length) return { outcome: `LEAK: ${outside.length} rows outside ${scope}` };
        const total = rows.find((r) => r.grandTotal)?.values[0].value;
        const expected = await visibleCount('households', scope, String(target.variant.region[target.kind]));
        if (total !== expected) return { outcome: `LEAK: total ${total}, ${expected} visible` };
        return { outcome: total === 0 ? 'none' : 'rows' };
      }
      case 'householdsWithoutCadre': {
        const outside = value.edges.filter((e: { node: { villageCode: string } }) => !inside(e.node.villageCode, scope));
        return { outcome: outside.length ? `LEAK: ${outside.length} households outside ${scope}` : 'ok' };
      }
      case 'publicNotices': {
        // Notices name no person; here: none outside the caller's scope (projects.test.ts: the rest).
        const outside = value.edges.filter((e: { node: { regionCode: string } }) => !inside(e.node.regionCode, scope));
        return { outcome: outside.length ? `LEAK: ${outside.length} notices outside ${scope}` : 'ok' };
      }
      case 'nodes': {
        const found = (value as Array<{ villageCode: string } | null>).filter((n) => n !== null);
        const outside = found.filter((n) => !inside(n.villageCode, scope));
        if (outside.length) return { outcome: `LEAK: ${outside.length} nodes outside ${scope}` };
        return { outcome: found.length ? 'ok' : 'none' };
      }
      case 'household':
      case 'householdByNumber':
      case 'node':
      case 'person':
        return { outcome: inside(value.villageCode, scope) ? 'ok' : `LEAK: ${value.villageCode}` };
      case 'region':
        return { outcome: scopeOrAncestor(value.prefix, scope) ? 'ok' : `LEAK: ${value.code}` };
      case 'village':
        return { outcome: inside(value.code, scope) ? 'ok' : `LEAK: ${value.code}` };
      default:
        return { outcome: 'ok' };
    }
  }

  /** Checks the rules on one row of the matrix (one actor, one operation, five targets) and records it. */
  function judge(variant: Variant, actor: Actor, key: string, results: Record<TargetKind, Outcome>): void {
    const where = `${variant.name} ${actor.label} ${key}`;
    ((matrix[variant.name] ??= {})[key] ??= {})[actor.label] = TARGET_KINDS.map((k) => results[k].outcome).join(' ');
    for (const kind of TARGET_KINDS) if (results[kind].outcome.startsWith('LEAK') || results[kind].outcome === 'NULL') problems.push(`${where} ${kind}: ${results[kind].outcome}`);
    const same = (a: Outcome, b: Outcome) => a.outcome === b.outcome && a.message === b.message;
    if (!actor.role) {
      for (const kind of TARGET_KINDS) if (results[kind].outcome !== 'UNAUTHENTICATED') problems.push(`${where} ${kind}: ${results[kind].outcome}, not UNAUTHENTICATED`);
      return;
    }
    if (!holds(actor, EFFECTIVE_PERMISSION[key] ?? permissions[key])) {
      for (const kind of TARGET_KINDS) {
        if (results[kind].outcome !== 'FORBIDDEN' || !same(results[kind], results.own)) problems.push(`${where} ${kind}: ${results[kind].outcome}, not the same FORBIDDEN`);
      }
      return;
    }
    if (TARGETLESS[key]) {
      for (const kind of TARGET_KINDS) if (results[kind].outcome !== TARGETLESS[key]) problems.push(`${where} ${kind}: ${results[kind].outcome}, not ${TARGETLESS[key]}`);
      return;
    }
    if (!['ok', 'rows'].includes(results.own.outcome)) problems.push(`${where} own: ${results.own.outcome} ${results.own.message ?? ''}`);
    for (const kind of ['sibling', 'foreign', 'parent'] as const) {
      if (kind === 'parent' && PARENT_SEES_OWN_PART[key]) {
        if (results.parent.outcome !== PARENT_SEES_OWN_PART[key]) problems.push(`${where} parent: ${results.parent.outcome}, not ${PARENT_SEES_OWN_PART[key]}`);
        continue;
      }
      if (!same(results[kind], results.missing)) {
        problems.push(`${where} ${kind}: ${results[kind].outcome} "${results[kind].message ?? ''}" differs from missing: ${results.missing.outcome} "${results.missing.message ?? ''}"`);
      }
    }
  }

  it('has a case for every query, mutation and subscription the schema serves', () => {
    const served = (type: { getFields(): object } | null | undefined) => Object.keys(type?.getFields() ?? {}).sort();
    expect({ queries: served(schema.getQueryType()), mutations: served(schema.getMutationType()), subscriptions: served(schema.getSubscriptionType()) })
      .toEqual({ queries: Object.keys(QUERIES).sort(), mutations: Object.keys(MUTATIONS).sort(), subscriptions: SUBSCRIPTIONS });
  });

  /** Every case of one actor-independent list, outcome per (variant, actor, operation, target). */
  type Outcomes = Map<string, Record<TargetKind, Outcome>>;
  const record = (outcomes: Outcomes, variant: Variant, actor: Actor, key: string, kind: TargetKind, outcome: Outcome) => {
    const id = `${variant.name}|${actor.label}|${key}`;
    if (!outcomes.has(id)) outcomes.set(id, {} as Record<TargetKind, Outcome>);
    (outcomes.get(id) as Record<TargetKind, Outcome>)[kind] = outcome;
  };
  const judgeAll = (outcomes: Outcomes) => {
    for (const variant of world.variants) {
      for (const actor of ACTORS) {
        for (const [id, results] of outcomes) {
          const [v, a, key] = id.split('|');
          if (v === variant.name && a === actor.label) judge(variant, actor, key, results);
        }
      }
    }
  };

  it('answers every query for every role and target as its permission and scope say', async () => {
    const outcomes: Outcomes = new Map();
    const cases: Array<{ variant: Variant; actor: Actor; authorization: string; op: string; target: Target }> = [];
    for (const variant of world.variants) {
      const targets = await Promise.all(TARGET_KINDS.map(async (kind): Promise<Target> => ({ variant, kind, facts: await factsOf(variant, kind) })));
      for (const actor of ACTORS) {
        const authorization = await authorizationOf(actor, variant.scope);
        for (const op of Object.keys(QUERIES)) for (const target of targets) cases.push({ variant, actor, authorization, op, target });
      }
    }
    await mapLimit(cases, 16, async ({ variant, actor, authorization, op, target }) => {
      const res = await post(documentOf('query', op, QUERIES[op], () => ''), QUERIES[op].vars(target, actor), authorization);
      record(outcomes, variant, actor, `Query.${op}`, target.kind, await outcomeOf(res, op, target));
    });
    judgeAll(outcomes);
    expect(problems).toEqual([]);
  }, HEAVY_CASE_TIMEOUT);

  it('answers every mutation for every role and target as its permission and scope say, and a refused one changes nothing', async () => {
    const outcomes: Outcomes = new Map();
    const argType = (op: string) => (arg: string) => String(schema.getMutationType()?.getFields()[op].args.find((a) => a.name === arg)?.type);
    const docs = Object.fromEntries(Object.entries(MUTATIONS).map(([op, c]) => [op, documentOf('mutation', op, c, argType(op))]));
    for (const variant of world.variants) {
      for (const actor of ACTORS) {
        const authorization = await authorizationOf(actor, variant.scope);
        // One actor at a time, all its cases side by side: the targets are disjoint households and
        // villages, and on its own target each case writes a different record.
        const targets = await Promise.all(TARGET_KINDS.map(async (kind): Promise<Target> => ({ variant, kind, facts: await factsOf(variant, kind) })));
        const prints = () => Promise.all(targets.map((t) => fingerprint(t.facts.householdId, variant.village[t.kind])));
        const before = await prints();
        const cases = Object.keys(MUTATIONS).flatMap((op) => targets.map((target) => ({ op, target })));
        await mapLimit(cases, 12, async ({ op, target }) => {
          const res = await post(docs[op], MUTATIONS[op].vars(target, actor), authorization);
          record(outcomes, variant, actor, `Mutation.${op}`, target.kind, await outcomeOf(res, op, target));
        });
        const after = await prints();
        for (const [i, { kind }] of targets.entries()) {
          for (const table of Object.keys(WRITTEN_WITH)) {
            if (before[i][table] === after[i][table]) continue;
            if (kind !== 'own' || !holds(actor, [WRITTEN_WITH[table]])) {
              problems.push(`${variant.name} ${actor.label} ${kind}: ${table} changed (${before[i][table]} → ${after[i][table]})`);
            }
          }
        }
      }
    }
    judgeAll(outcomes);
    expect(problems).toEqual([]);
  }, HEAVY_CASE_TIMEOUT);

  it('answers a stale version on a record outside the scope like a missing record (not CONFLICT), and a stale write changes nothing', async () => {
    const argType = (op: string) => (arg: string) => String(schema.getMutationType()?.getFields()[op].args.find((a) => a.name === arg)?.type);
    const versioned = Object.keys(MUTATIONS).filter((op) => 'version' in MUTATIONS[op].args);
    expect(versioned.length).toBeGreaterThan(10);
    const stale: string[] = [];
    for (const variant of world.variants) {
      for (const op of versioned) {
        for (const actor of ACTORS.filter((a) => a.role && holds(a, permissions[`Mutation.${op}`]))) {
          const authorization = await authorizationOf(actor, variant.scope);
          const results = {} as Record<TargetKind, Outcome>;
          await Promise.all(TARGET_KINDS.map(async (kind) => {
            const target: Target = { variant, kind, facts: await factsOf(variant, kind) };
            const vars = MUTATIONS[op].vars(target, actor);
            const before = await fingerprint(target.facts.householdId, variant.village[kind]);
            const res = await post(documentOf('mutation', op, MUTATIONS[op], argType(op)), { ...vars, version: (vars.version as number) + 7 }, authorization);
            results[kind] = await outcomeOf(res, op, target);
            const after = await fingerprint(target.facts.householdId, variant.village[kind]);
            if (JSON.stringify(before) !== JSON.stringify(after)) problems.push(`${variant.name} ${actor.label} ${op} ${kind}: a stale write changed rows`);
          }));
          stale.push(`${variant.name} ${op} ${actor.label}: ${TARGET_KINDS.map((k) => results[k].outcome).join(' ')}`);
          if (results.own.outcome !== 'CONFLICT') problems.push(`${variant.name} ${actor.label} ${op} own: ${results.own.outcome}, not CONFLICT`);
          for (const kind of ['sibling', 'parent', 'foreign'] as const) {
            if (results[kind].outcome !== results.missing.outcome || results[kind].message !== results.missing.message) {
              problems.push(`${variant.name} ${actor.label} ${op} ${kind}: ${results[kind].outcome} "${results[kind].message}" differs from missing`);
            }
          }
        }
      }
    }
    expect(problems).toEqual([]);
    expect(stale.length).toBeGreaterThan(20);
  }, HEAVY_CASE_TIMEOUT);

  // Uniqueness checks (issue 7 §2): ID and household numbers are nationally unique, so a
  // registration checks them everywhere; a number registered outside the scope answers
  // DUPLICATE_ELSEWHERE with the same code and message whatever its region (sibling, parent,
  // foreign), one inside the scope BAD_USER_INPUT naming the field, a fresh one (missing) is created.
  const duplicates: Record<string, Record<string, Record<string, string>>> = {};
  it('answers a number registered outside the scope with DUPLICATE_ELSEWHERE, the same whatever its region', async () => {
    const cases = {
      createPerson: {
        doc: `mutation ($householdId: ID!, $input: CreatePersonInput!) { createPerson(householdId: $householdId, input: $input) { id } }`,
        field: 'input.idNumber',
      },
      createHousehold: { doc: `mutation ($input: CreateHouseholdInput!) { createHousehold(input: $input) { id } }`, field: 'input.number' },
    };
    // Its own list: the other cases' problems are theirs to report.
    const found: string[] = [];
    let sequence = 0;
    for (const variant of world.variants) {
      // Each target's head gets a valid ID number (the fixture's are not checksummed); a missing target's number is fresh.
      const numbers = {} as Record<TargetKind, { idNumber: string; householdNumber: string }>;
      for (const kind of TARGET_KINDS) {
        const idNumber = makeIdNumber('990699', '1970-05-01', (sequence += 2) - 1);
        const facts = await factsOf(variant, kind);
        if (kind !== 'missing') await sql('UPDATE person SET id_number = $2 WHERE id = $1', [memberOf(facts.householdId, 1), idNumber]);
        numbers[kind] = { idNumber, householdNumber: kind === 'missing' ? `DUP-${variant.name}` : facts.householdNumber };
      }
      const own = variant.household.own;
      for (const actor of ACTORS.filter((a) => a.role && holds(a, permissions['Mutation.createPerson']))) {
        const authorization = await authorizationOf(actor, variant.scope);
        for (const [op, { doc, field }] of Object.entries(cases)) {
          const results = {} as Record<TargetKind, Outcome & { field?: unknown }>;
          for (const kind of TARGET_KINDS) {
            const vars = op === 'createPerson'
              ? { householdId: own, input: {
                name: '重号', idNumber: numbers[kind].idNumber, gender: 'MALE', birthDate: '1970-05-01',
                relation: 'OTHER', labourAbility: 'ORDINARY', healthCategory: 'HEALTHY', schoolingStage: 'NONE' } }
              : { input: { villageCode: variant.village.own, number: numbers[kind].householdNumber, status: 'NONE', utilities } };
            const res = await post(doc, vars, authorization);
            const error = res.errors?.[0];
            results[kind] = error ? { outcome: String(error.extensions?.code), message: error.message, field: error.extensions?.field } : { outcome: 'ok' };
          }
          ((duplicates[variant.name] ??= {})[`Mutation.${op}`] ??= {})[actor.label] = TARGET_KINDS.map((k) => results[k].outcome).join(' ');
          const where = `${variant.name} ${actor.label} ${op}`;
          if (results.own.outcome !== 'BAD_USER_INPUT' || results.own.field !== field) found.push(`${where} own: ${JSON.stringify(results.own)}`);
          if (results.missing.outcome !== 'ok') found.push(`${where} missing: ${JSON.stringify(results.missing)}`);
          for (const kind of ['sibling', 'parent', 'foreign'] as const) {
            if (results[kind].outcome !== 'DUPLICATE_ELSEWHERE' || JSON.stringify(results[kind]) !== JSON.stringify(results.foreign)) {
              found.push(`${where} ${kind}: ${JSON.stringify(results[kind])} differs from foreign ${JSON.stringify(results.foreign)}`);
            }
          }
        }
      }
    }
    expect(found).toEqual([]);
    expect(Object.keys(duplicates)).toEqual(['township', 'county']);
  });

  it('answers node(id) exactly as household(id), for every role and target', () => {
    const rows = Object.values(matrix);
    expect(rows.length).toBe(2);
    for (const ops of rows) expect(ops['Query.node']).toEqual(ops['Query.household']);
  });

  // A diff here is a permission change: review it as one, then run with UPDATE_ACCESS_MATRIX=1.
  it('matches schema/access-matrix.json', () => {
    const sorted = Object.fromEntries(Object.entries(matrix).map(([variant, ops]) => [variant,
      Object.fromEntries(Object.keys(ops).sort().map((op) => [op, ops[op]]))]));
    const legend = {
      _: 'Outcome of each role × operation × target (issue 3 §7): "own sibling parent foreign missing". ok: the record; rows/none: a list with '
        + 'rows (only in scope) or empty; otherwise the error code. Written by tests/e2e/access-matrix.test.ts with UPDATE_ACCESS_MATRIX=1. '
        + '"duplicates": registering a number already registered at each target (missing: a fresh number), by the roles that may register.',
    };
    const current = { ...legend, ...sorted, duplicates };
    // Only a whole matrix is compared or written (not one left partial by `-t`).
    const cells = Object.values(sorted).flatMap((ops) => Object.values(ops).map((row) => Object.keys(row).length));
    expect({ variants: Object.keys(sorted), cells: cells.reduce((n, c) => n + c, 0) })
      .toEqual({ variants: ['township', 'county'], cells: 2 * ACTORS.length * (Object.keys(QUERIES).length + Object.keys(MUTATIONS).length) });
    if (process.env.UPDATE_ACCESS_MATRIX) fs.writeFileSync(MATRIX_FILE, `${JSON.stringify(current, null, 2)}\n`);
    expect(current).toEqual(JSON.parse(fs.readFileSync(MATRIX_FILE, 'utf8')));
  });
});
