import type { EntityManager } from 'typeorm';
import type { RequestContext } from '../../core/context';
import { AppError, badInput } from '../../core/errors';
import { Department, DropoutWatchStatus, SchoolStatus, SchoolingStage } from '../../core/vocab';
import { assertDateWithin, assertPatch, assertYearWithin, lockRule, patchVersioned, readBack } from '../../core/write-checks';
import { assertDateOrder, definedOnly, insertRow, mutate, personAnchor } from '../../core/writes';
import { dropoutWatchById, schoolEnrolmentById } from './education.loaders';
import type { CloseDropoutWatchInput, CreateSchoolEnrolmentInput, OpenDropoutWatchInput, UpdateSchoolEnrolmentInput } from './education.inputs';
import type { DropoutWatchNode, SchoolEnrolmentNode } from './education.types';

// Writes of 教育 education: school enrolments (学籍, dropping out included) and 控辍保学
// dropout-watch cases, each in one transaction with its audit record (core/writes.ts), only on
// persons inside the caller's scope.

const ENROLMENT = { table: 'school_enrolment', entity: 'SchoolEnrolment' } as const;
const WATCH = { table: 'dropout_watch', entity: 'DropoutWatch' } as const;

/** Highest grade of each stage (junior 4 and primary 6 cover the 五四 and 六三 systems alike). */
const TOP_GRADE: Record<SchoolingStage, number> = {
  [SchoolingStage.NONE]: 0,
  [SchoolingStage.PRESCHOOL]: 3,
  [SchoolingStage.PRIMARY]: 6,
  [SchoolingStage.JUNIOR]: 4,
  [SchoolingStage.SENIOR]: 3,
  [SchoolingStage.VOCATIONAL]: 4,
  [SchoolingStage.COLLEGE]: 8,
};

interface EnrolmentState {
  id: string;
  personId: string;
  schoolYear: number;
  stage: SchoolingStage;
  grade: number;
  status: SchoolStatus;
}
const ENROLMENT_STATE = `f.id::text AS id, f.person_id::text AS "personId", f.school_year AS "schoolYear", f.stage, f.grade, f.status`;

/**
 * The rules an enrolment must meet as a whole, after any write: a real stage, a grade the
 * stage has, and at most one ENROLLED record per person and school year (a transfer ends the
 * old record first).
 */
async function checkEnrolment(ctx: RequestContext, tx: EntityManager, e: Omit<EnrolmentState, 'id'> & { id: string | null }): Promise<void> {
  assertYearWithin(ctx, e.schoolYear, 'input.schoolYear', 1);
  if (e.stage === SchoolingStage.NONE) throw badInput('input.stage', 'NONE is not a school stage');
  if (e.grade > TOP_GRADE[e.stage]) throw badInput('input.grade', `the ${e.stage} stage has grades 1–${TOP_GRADE[e.stage]}`);
  if (e.status !== SchoolStatus.ENROLLED) return;
  await lockRule(tx, `school_enrolment:${e.personId}`);
  const other: Array<{ id: string }> = await tx.query(
    `SELECT id::text AS id FROM school_enrolment WHERE person_id = $1 AND school_year = $2 AND status = 'enrolled' AND id <> $3 LIMIT 1`,
    [e.personId, e.schoolYear, e.id ?? '0'],
  );
  if (other.length) {
    throw badInput('input.schoolYear', `the person is already enrolled in school year ${e.schoolYear} (record ${other[0].id}); change that record first`);
  }
}

/** Owner department of every record written here (change events). */
const OWNER = Department.EDUCATION;

export class EducationWriteService {
  static async createSchoolEnrolment(ctx: RequestContext, personId: string, input: CreateSchoolEnrolmentInput): Promise<SchoolEnrolmentNode> {
    const id = await mutate(ctx, { department: OWNER, action: 'create', entity: ENROLMENT.entity, entityId: null, fields: Object.keys(input) }, async (tx) => {
      const anchor = await personAnchor(ctx, tx, personId);
      await checkEnrolment(ctx, tx, { id: null, personId, ...input });
      const newId = await insertRow(tx, ENROLMENT.table, {
        household_id: anchor.householdId, person_id: personId, county_code: anchor.countyCode, school_year: input.schoolYear,
        stage: input.stage, school_name: input.schoolName.trim(), grade: input.grade, status: input.status,
      });
      return { result: newId, entityId: newId, regionCode: anchor.villageCode, householdId: anchor.householdId, personId: anchor.personId };
    });
    return readBack(ctx, schoolEnrolmentById, id, ENROLMENT.entity);
  }

  static async updateSchoolEnrolment(ctx: RequestContext, id: string, version: number, patch: UpdateSchoolEnrolmentInput): Promise<SchoolEnrolmentNode> {
    await mutate(ctx, { department: OWNER, action: 'update', entity: ENROLMENT.entity, entityId: id, fields: Object.keys(definedOnly({ ...patch })) }, async (tx) => {
      assertPatch(patch);
      const set = definedOnly({
        school_year: patch.schoolYear, stage: patch.stage, school_name: patch.schoolName?.trim(), grade: patch.grade, status: patch.status,
      });
      const { after, householdId, personId, villageCode } = await patchVersioned<EnrolmentState>(ctx, tx, { ...ENROLMENT, id, version }, set, ENROLMENT_STATE);
      await checkEnrolment(ctx, tx, after);
      return { result: id, entityId: id, regionCode: villageCode, householdId, personId };
    });
    return readBack(ctx, schoolEnrolmentById, id, ENROLMENT.entity);
  }

  /** 控辍保学立案: one open case per person at a time. */
  static async openDropoutWatch(ctx: RequestContext, personId: string, input: OpenDropoutWatchInput): Promise<DropoutWatchNode> {
    const id = await mutate(ctx, { department: OWNER, action: 'create', entity: WATCH.entity, entityId: null, fields: Object.keys(input) }, async (tx) => {
      const anchor = await personAnchor(ctx, tx, personId);
      assertDateWithin(ctx, input.openedOn, 'input.openedOn');
      await lockRule(tx, `dropout_watch:${personId}`);
      const open: Array<{ id: string }> = await tx.query(
        `SELECT id::text AS id FROM dropout_watch WHERE person_id = $1 AND status = 'open' LIMIT 1`, [personId],
      );
      if (open.length) throw badInput('personId', `already has an open dropout-watch case (${open[0].id})`);
      const newId = await insertRow(tx, WATCH.table, {
        household_id: anchor.householdId, person_id: personId, county_code: anchor.countyCode, opened_on: input.openedOn,
        reason: input.reason.trim(), status: DropoutWatchStatus.OPEN, closed_on: null,
      });
      return { result: newId, entityId: newId, regionCode: anchor.villageCode, householdId: anchor.householdId, personId: anchor.personId };
    });
    return readBack(ctx, dropoutWatchById, id, WATCH.entity);
  }

  /** 控辍保学销号: closes an open case as RETURNED or CLOSED; a case already closed is a CONFLICT. */
  static async closeDropoutWatch(ctx: RequestContext, id: string, version: number, input: CloseDropoutWatchInput): Promise<DropoutWatchNode> {
    await mutate(ctx, { department: OWNER, action: 'end', entity: WATCH.entity, entityId: id, fields: ['closedOn', 'status'] }, async (tx) => {
      if (input.outcome === DropoutWatchStatus.OPEN) throw badInput('input.outcome', 'a closed case is RETURNED or CLOSED');
      assertDateWithin(ctx, input.closedOn, 'input.closedOn');
      const { before, after, householdId, personId, villageCode } = await patchVersioned<{ status: DropoutWatchStatus; openedOn: string; closedOn: string | null }>(
        ctx, tx, { ...WATCH, id, version }, { status: input.outcome, closed_on: input.closedOn },
        'f.status, f.opened_on AS "openedOn", f.closed_on AS "closedOn"',
      );
      if (before.status !== DropoutWatchStatus.OPEN) throw new AppError('CONFLICT', `${WATCH.entity} ${id} is already closed (on ${before.closedOn})`);
      assertDateOrder(after.openedOn, after.closedOn, 'input.closedOn');
      return { result: id, entityId: id, regionCode: villageCode, householdId, personId };
    });
    return readBack(ctx, dropoutWatchById, id, WATCH.entity);
  }
}
