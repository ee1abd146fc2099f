import { facetLoader } from '../../core/facet-loader';
import { PERSON_FACET_ID_COLUMNS } from '../../core/facet-types';
import type { DropoutWatchNode, SchoolEnrolmentNode, StudentAidNode, YuluTrainingNode } from './education.types';

// One loader per facet relation; each select list names exactly the fields of its read type.

/** schoolEnrolmentsByPersonId: person id → 学籍 by school year, newest first. */
export const schoolEnrolmentsByPersonId = facetLoader<SchoolEnrolmentNode>({
  table: 'school_enrolment',
  key: 'person_id',
  columns: `${PERSON_FACET_ID_COLUMNS}, f.school_year AS "schoolYear", f.stage, f.school_name AS "schoolName", f.grade, f.status`,
  orderBy: 'f.school_year DESC, f.id DESC',
});

/** dropoutWatchesByPersonId: person id → 控辍保学 cases, newest first. */
export const dropoutWatchesByPersonId = facetLoader<DropoutWatchNode>({
  table: 'dropout_watch',
  key: 'person_id',
  columns: `${PERSON_FACET_ID_COLUMNS}, f.opened_on AS "openedOn", f.reason, f.status, f.closed_on AS "closedOn"`,
  orderBy: 'f.opened_on DESC, f.id DESC',
});

/** studentAidByPersonId: person id → 学生资助 by school year, newest first. */
export const studentAidByPersonId = facetLoader<StudentAidNode>({
  table: 'student_aid',
  key: 'person_id',
  columns: `${PERSON_FACET_ID_COLUMNS}, f.kind, f.school_year AS "schoolYear", f.amount::float8 AS amount`,
  orderBy: 'f.school_year DESC, f.id DESC',
});

/** yuluTrainingsByPersonId: person id → 雨露计划 trainings, newest first. */
export const yuluTrainingsByPersonId = facetLoader<YuluTrainingNode>({
  table: 'yulu_training',
  key: 'person_id',
  columns: `${PERSON_FACET_ID_COLUMNS}, f.programme, f.start_date AS "startDate", f.end_date AS "endDate",
    f.subsidy::float8 AS subsidy, f.status`,
  orderBy: 'f.start_date DESC, f.id DESC',
});
