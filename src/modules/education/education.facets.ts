import { periodFields, type FacetDeclaration } from '../../core/facet-declaration';
import { Department, DropoutWatchStatus, SchoolingStage, SchoolStatus, StudentAidKind, WorkStatus } from '../../core/vocab';

// Facets of 教育 education, declared once (core/facet-declaration.ts). School enrolments and
// 控辍保学 dropout watch keep their hand-written services (one ENROLLED record per school year,
// one open case per person; see education-write.service.ts).

/** 学生资助 student aid (e.g. 两免一补) of a person in one school year. */
export const studentAidFacet: FacetDeclaration = {
  kind: 'student-aid',
  typeName: 'StudentAid',
  description: '学生资助 student aid (e.g. 两免一补) of a person in one school year. Owned by 教育 education.',
  table: 'student_aid',
  department: Department.EDUCATION,
  parent: 'person',
  fields: [
    { name: 'kind', column: 'kind', type: { kind: 'enum', values: StudentAidKind, enumName: 'student_aid_kind' }, description: '资助项目 kind of aid.', csv: { en: 'kind', zh: '资助项目' } },
    { name: 'schoolYear', column: 'school_year', type: { kind: 'year', min: 2000, aheadYears: 1 }, description: '学年 the year the school year starts (2024 = 2024–25), 2000 to next year.', csv: { en: 'schoolYear', zh: '学年' } },
    { name: 'amount', column: 'amount', type: { kind: 'money', min: 0, max: 100_000 }, description: '资助金额 amount, yuan (元).', csv: { en: 'amount', zh: '资助金额' } },
  ],
  naturalKey: ['kind', 'schoolYear'],
  orderBy: 'f.school_year DESC, f.id DESC',
  edge: {
    field: 'studentAid',
    description: '学生资助 student aid of the person (两免一补, grants, waivers, loans), newest school year first. 教育 education data.',
    filterArgs: [{ field: 'schoolYear', description: 'Only this school year (学年).' }],
  },
  mutations: {
    create: { name: 'createStudentAid', inputName: 'CreateStudentAidInput', description: '学生资助认定 award student aid (两免一补, grant, waiver, loan) to a person for a school year. 教育 education.' },
    update: { name: 'updateStudentAid', inputName: 'UpdateStudentAidInput', description: '学生资助变更 change a student-aid award. CONFLICT when `version` is stale. 教育 education.' },
  },
};

/** 雨露计划 vocational training of a person from a registered household. */
export const yuluTrainingFacet: FacetDeclaration = {
  kind: 'yulu-training',
  typeName: 'YuluTraining',
  description: '雨露计划 vocational training of a person from a registered household. Owned by 教育 education.',
  table: 'yulu_training',
  department: Department.EDUCATION,
  parent: 'person',
  fields: [
    { name: 'programme', column: 'programme', type: { kind: 'text', maxLength: 100 }, description: '培训项目 programme.', csv: { en: 'programme', zh: '培训项目' } },
    ...periodFields(
      { zh: '开始日期', description: 'first day of training; at most a year ahead.' },
      { zh: '结业日期', description: 'last day of training; null while under way; not before the start.', aheadDays: 3 * 366 },
    ),
    { name: 'subsidy', column: 'subsidy', type: { kind: 'money', min: 0, max: 50_000 }, description: '补助金额 training subsidy, yuan (元).', csv: { en: 'subsidy', zh: '补助金额' } },
    {
      name: 'status', column: 'status', type: { kind: 'enum', values: WorkStatus, enumName: 'work_status' }, defaultValue: WorkStatus.UNDERWAY,
      description: '培训状态 status; COMPLETED needs the last day.', csv: { en: 'status', zh: '培训状态' },
    },
  ],
  check: (r) => (r.status === WorkStatus.COMPLETED && !r.endDate ? { field: 'endDate', message: 'is required when the status is COMPLETED', messageZh: '结业状态须填写结业日期' } : null),
  naturalKey: ['programme', 'startDate'],
  orderBy: 'f.start_date DESC, f.id DESC',
  edge: { field: 'trainings', description: '雨露计划 vocational trainings of the person, newest first. 教育 education data.' },
  mutations: {
    create: { name: 'createYuluTraining', inputName: 'CreateYuluTrainingInput', description: '雨露计划报名 record a 雨露计划 vocational training of a person. 教育 education.' },
    update: { name: 'updateYuluTraining', inputName: 'UpdateYuluTrainingInput', description: '雨露计划变更 change a 雨露计划 training record. CONFLICT when `version` is stale. 教育 education.' },
    end: {
      name: 'endYuluTraining', inputName: 'EndYuluTrainingInput', dateField: 'endDate', statusField: 'status', statusValue: WorkStatus.COMPLETED,
      description: '雨露计划结业 complete a training: sets its last day and status COMPLETED. CONFLICT when `version` is stale or it is already completed. 教育 education.',
    },
  },
};

/**
 * 学籍 school enrolment of a person in one school year. Writes and read side stay by hand
 * (education-write.service.ts): one ENROLLED record per person and school year is a rule over
 * other rows, and a grade must exist in its stage.
 */
export const schoolEnrolmentFacet: FacetDeclaration = {
  kind: 'school-enrolment',
  typeName: 'SchoolEnrolment',
  description: '学籍 school enrolment of a person in one school year. Owned by 教育 education.',
  table: 'school_enrolment',
  department: Department.EDUCATION,
  parent: 'person',
  fields: [
    { name: 'schoolYear', column: 'school_year', type: { kind: 'year', min: 2000, aheadYears: 1 }, description: '学年 the year the school year starts (2024 = 2024–25).', csv: { en: 'schoolYear', zh: '学年' } },
    { name: 'stage', column: 'stage', type: { kind: 'enum', values: SchoolingStage, enumName: 'schooling_stage' }, description: '学段 stage, preschool … college (not NONE).', csv: { en: 'stage', zh: '学段' } },
    { name: 'schoolName', column: 'school_name', type: { kind: 'text', maxLength: 100 }, description: '学校名称 school name.', csv: { en: 'schoolName', zh: '学校名称' } },
    { name: 'grade', column: 'grade', type: { kind: 'int', min: 1, max: 8 }, description: '年级 grade within the stage.', csv: { en: 'grade', zh: '年级' } },
    {
      name: 'status', column: 'status', type: { kind: 'enum', values: SchoolStatus, enumName: 'school_status' }, defaultValue: SchoolStatus.ENROLLED,
      description: '学籍状态 status; one ENROLLED record per person and school year.', csv: { en: 'status', zh: '学籍状态' },
    },
  ],
  check: (r) => (r.stage === SchoolingStage.NONE ? { field: 'stage', message: 'NONE is not a school stage', messageZh: '学段不能为“无”' } : null),
  naturalKey: ['schoolYear'],
  orderBy: 'f.school_year DESC, f.id DESC',
  edge: {
    field: 'schoolEnrolments',
    description: '学籍 school enrolments of the person, newest school year first. 教育 education data.',
    filterArgs: [{ field: 'schoolYear', description: 'Only this school year (学年), e.g. 2024 for 2024–25.' }],
  },
  mutations: 'custom',
};

/** 控辍保学 dropout-watch case: opened and closed by hand (one open case per person; education-write.service.ts). */
export const dropoutWatchFacet: FacetDeclaration = {
  kind: 'dropout-watch',
  typeName: 'DropoutWatch',
  description: '控辍保学 dropout-watch case of a school-age person. Owned by 教育 education.',
  table: 'dropout_watch',
  department: Department.EDUCATION,
  parent: 'person',
  fields: [
    { name: 'openedOn', column: 'opened_on', type: { kind: 'date', aheadDays: 0 }, description: '立案日期 date the case was opened.', csv: { en: 'openedOn', zh: '立案日期' } },
    { name: 'reason', column: 'reason', type: { kind: 'text', maxLength: 1000 }, description: '辍学原因 reason the child left school.', csv: { en: 'reason', zh: '辍学原因' } },
    {
      name: 'status', column: 'status', type: { kind: 'enum', values: DropoutWatchStatus, enumName: 'dropout_watch_status' }, defaultValue: DropoutWatchStatus.OPEN,
      description: '劝返状态 case status.', csv: { en: 'status', zh: '劝返状态' },
    },
    {
      name: 'closedOn', column: 'closed_on', type: { kind: 'date', aheadDays: 0 }, nullable: true, notBefore: 'openedOn',
      description: '销号日期 date the case was closed; null while open.', csv: { en: 'closedOn', zh: '销号日期' },
    },
  ],
  naturalKey: ['openedOn'],
  orderBy: 'f.opened_on DESC, f.id DESC',
  edge: { field: 'dropoutWatches', description: '控辍保学 dropout-watch cases of the person, newest first. 教育 education data.' },
  mutations: 'custom',
};

export const educationFacets: readonly FacetDeclaration[] = [schoolEnrolmentFacet, dropoutWatchFacet, studentAidFacet, yuluTrainingFacet];
