import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../core/context';
import { AppError, badInput } from '../../core/errors';
import { Department, EnrolmentStatus } from '../../core/vocab';
import { assertDateWithin, assertPatch, lockRule, lockRuleShared, patchVersioned, readBack } from '../../core/write-checks';
import { assertDateOrder, definedOnly, householdAnchor, insertRow, mutate } from '../../core/writes';
import { DIBAO_RULE_LOCK } from './civil-affairs.facets';
import { dibaoEnrolmentById } from './civil-affairs.loaders';
import type { CreateDibaoEnrolmentInput, EndDibaoEnrolmentInput, UpdateDibaoEnrolmentInput } from './civil-affairs.inputs';
import type { DibaoEnrolmentNode } from './civil-affairs.types';

// Writes of 民政 civil affairs: 低保 enrolments (the declared facets' writes are derived), in one transaction
// with its audit record (core/writes.ts), only on households inside the caller's scope.

/** How far ahead an enrolment may start (decided now, paid from next month or so). */
const START_AHEAD_DAYS = 366;
/** How far ahead a fixed end date may lie (低保 is reviewed at least every few years). */
const END_AHEAD_DAYS = 5 * 366;

const DIBAO = { table: 'dibao_enrolment', entity: 'DibaoEnrolment' } as const;

/** What the 低保 rules look at, as stored. */
interface DibaoState {
  id: string;
  householdId: string;
  startDate: string;
  endDate: string | null;
  status: EnrolmentStatus;
  coveredPersons: number;
}
const DIBAO_STATE = `f.id::text AS id, f.household_id::text AS "householdId", f.start_date AS "startDate", f.end_date AS "endDate",
  f.status, f.covered_persons AS "coveredPersons"`;

/**
 * The rules an enrolment must meet as a whole, after any write: dates ordered, ENDED only with
 * an end date, no more members covered than registered, and no overlap with another enrolment
 * of the household that has not ended (one 低保 per household at a time).
 */
async function checkDibao(tx: EntityManager, e: Omit<DibaoState, 'id'> & { id: string | null }): Promise<void> {
  assertDateOrder(e.startDate, e.endDate, 'input.endDate');
  if (e.status === EnrolmentStatus.ENDED && !e.endDate) throw badInput('input.endDate', 'is required when the status is ENDED');
  const [{ members }]: Array<{ members: number }> = await tx.query(
    'SELECT count(*)::int AS members FROM person WHERE household_id = $1', [e.householdId],
  );
  if (e.coveredPersons > members) throw badInput('input.coveredPersons', `exceeds the household's ${members} registered members`);
  if (e.status === EnrolmentStatus.ENDED) return;
  // An import of the county holds this lock exclusively while it checks and writes a batch.
  const [{ countyCode }]: Array<{ countyCode: string }> = await tx.query('SELECT county_code AS "countyCode" FROM household WHERE id = $1', [e.householdId]);
  await lockRuleShared(tx, `${DIBAO_RULE_LOCK}:county:${countyCode}`);
  await lockRule(tx, `${DIBAO_RULE_LOCK}:${e.householdId}`);
  const overlapping: Array<{ id: string }> = await tx.query(
    `SELECT id::text AS id FROM dibao_enrolment
      WHERE household_id = $1 AND id <> $2 AND status <> 'ended'
        AND daterange(start_date, end_date, '[]') && daterange($3::date, $4::date, '[]')
      LIMIT 1`,
    [e.householdId, e.id ?? '0', e.startDate, e.endDate],
  );
  if (overlapping.length) {
    throw badInput('input.startDate', `overlaps 低保 enrolment ${overlapping[0].id} of the same household, which has not ended`);
  }
}

/** Owner department of every record written here (change events). */
const OWNER = Department.CIVIL_AFFAIRS;

export class CivilAffairsWriteService {
  static async createDibaoEnrolment(ctx: RequestContext, householdId: string, input: CreateDibaoEnrolmentInput): Promise<DibaoEnrolmentNode> {
    const id = await mutate(ctx, { department: OWNER, action: 'create', entity: DIBAO.entity, entityId: null, fields: Object.keys(input) }, async (tx) => {
      const anchor = await householdAnchor(ctx, tx, householdId);
      assertDateWithin(ctx, input.startDate, 'input.startDate', START_AHEAD_DAYS);
      assertDateWithin(ctx, input.endDate, 'input.endDate', END_AHEAD_DAYS);
      await checkDibao(tx, {
        id: null, householdId, startDate: input.startDate, endDate: input.endDate ?? null, status: input.status, coveredPersons: input.coveredPersons,
      });
      const newId = await insertRow(tx, DIBAO.table, {
        household_id: householdId, county_code: anchor.countyCode, category: input.category, monthly_amount: input.monthlyAmount,
        covered_persons: input.coveredPersons, start_date: input.startDate, end_date: input.endDate ?? null, status: input.status,
      });
      return { result: newId, entityId: newId, regionCode: anchor.villageCode, householdId: anchor.householdId, personId: anchor.personId };
    });
    return readBack(ctx, dibaoEnrolmentById, id, DIBAO.entity);
  }

  static async updateDibaoEnrolment(ctx: RequestContext, id: string, version: number, patch: UpdateDibaoEnrolmentInput): Promise<DibaoEnrolmentNode> {
    await mutate(ctx, { department: OWNER, action: 'update', entity: DIBAO.entity, entityId: id, fields: Object.keys(definedOnly({ ...patch })) }, async (tx) => {
      assertPatch(patch, ['endDate']);
      assertDateWithin(ctx, patch.startDate, 'input.startDate', START_AHEAD_DAYS);
      assertDateWithin(ctx, patch.endDate, 'input.endDate', END_AHEAD_DAYS);
      const set = definedOnly({
        category: patch.category, monthly_amount: patch.monthlyAmount, covered_persons: patch.coveredPersons,
        start_date: patch.startDate, end_date: patch.endDate, status: patch.status,
      });
      const { after, householdId, personId, villageCode } = await patchVersioned<DibaoState>(ctx, tx, { ...DIBAO, id, version }, set, DIBAO_STATE);
      await checkDibao(tx, after);
      return { result: id, entityId: id, regionCode: villageCode, householdId, personId };
    });
    return readBack(ctx, dibaoEnrolmentById, id, DIBAO.entity);
  }

  /** 低保退出: sets the end date and ENDED; an enrolment that has already ended is a CONFLICT. */
  static async endDibaoEnrolment(ctx: RequestContext, id: string, version: number, input: EndDibaoEnrolmentInput): Promise<DibaoEnrolmentNode> {
    await mutate(ctx, { department: OWNER, action: 'end', entity: DIBAO.entity, entityId: id, fields: ['endDate', 'status'] }, async (tx) => {
      assertDateWithin(ctx, input.endDate, 'input.endDate', START_AHEAD_DAYS);
      const { before, after, householdId, personId, villageCode } = await patchVersioned<DibaoState>(
        ctx, tx, { ...DIBAO, id, version }, { end_date: input.endDate, status: EnrolmentStatus.ENDED }, DIBAO_STATE,
      );
      if (before.status === EnrolmentStatus.ENDED) throw new AppError('CONFLICT', `${DIBAO.entity} ${id} has already ended (on ${before.endDate})`);
      assertDateOrder(after.startDate, after.endDate, 'input.endDate');
      return { result: id, entityId: id, regionCode: villageCode, householdId, personId };
    });
    return readBack(ctx, dibaoEnrolmentById, id, DIBAO.entity);
  }
}
