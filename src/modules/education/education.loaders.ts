import { facetByIdLoader, facetEdge, facetLoader } from '../../core/facet-loader';
import { PERSON_FACET_ID_COLUMNS } from '../../core/facet-types';
import type { DropoutWatchNode, SchoolEnrolmentNode } from './education.types';

// One loader per facet relation; each select list names exactly the fields of its read type.

const SCHOOL_ENROLMENT_COLUMNS = `${PERSON_FACET_ID_COLUMNS}, f.school_year AS "schoolYear", f.stage, f.school_name AS "schoolName", f.grade, f.status`;

/** schoolEnrolmentsByPersonId: person id → 学籍 by school year, newest first. */
export const schoolEnrolmentsByPersonId = facetLoader<SchoolEnrolmentNode>({
  table: 'school_enrolment',
  key: 'person_id',
  columns: SCHOOL_ENROLMENT_COLUMNS,
  orderBy: 'f.school_year DESC, f.id DESC',
});

/** schoolEnrolmentById: one 学籍 record (read back after a write). */
export const schoolEnrolmentById = facetByIdLoader<SchoolEnrolmentNode>({ table: 'school_enrolment', columns: SCHOOL_ENROLMENT_COLUMNS });

const DROPOUT_WATCH_COLUMNS = `${PERSON_FACET_ID_COLUMNS}, f.opened_on AS "openedOn", f.reason, f.status, f.closed_on AS "closedOn"`;

/** dropoutWatchesByPersonId: person id → 控辍保学 cases, newest first. */
export const dropoutWatchesByPersonId = facetLoader<DropoutWatchNode>({
  table: 'dropout_watch',
  key: 'person_id',
  columns: DROPOUT_WATCH_COLUMNS,
  orderBy: 'f.opened_on DESC, f.id DESC',
});

/** dropoutWatchById: one 控辍保学 case (read back after a write). */
export const dropoutWatchById = facetByIdLoader<DropoutWatchNode>({ table: 'dropout_watch', columns: DROPOUT_WATCH_COLUMNS });

// Read-ahead edges (core/prefetch): a household card or page fetches these with the members.
facetEdge('Person', ['schoolEnrolments'], schoolEnrolmentsByPersonId, () => schoolEnrolmentsByPersonId.spec);
facetEdge('Person', ['dropoutWatches'], dropoutWatchesByPersonId, () => dropoutWatchesByPersonId.spec);
