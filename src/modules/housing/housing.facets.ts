import type { FacetDeclaration } from '../../core/facet-declaration';
import { Department, HousingGrade, WorkStatus } from '../../core/vocab';

// Facets of 住建 housing, declared once (core/facet-declaration.ts). Relocations keep their
// hand-written service: the destination must be a division inside the caller's scope, a rule
// over another table (housing-write.service.ts).

/** 房屋安全鉴定 housing safety appraisal, kept as history: recorded, never changed. */
export const housingAppraisalFacet: FacetDeclaration = {
  kind: 'housing-appraisal',
  typeName: 'HousingAppraisal',
  description: '房屋安全鉴定 housing safety appraisal of a household, grades A–D (C and D are 危房). Owned by 住建 housing.',
  table: 'housing_appraisal',
  department: Department.HOUSING,
  parent: 'household',
  fields: [
    { name: 'grade', column: 'grade', type: { kind: 'enum', values: HousingGrade, enumName: 'housing_grade' }, description: '鉴定等级 grade; C and D are dilapidated (危房).', csv: { en: 'grade', zh: '鉴定等级' } },
    { name: 'appraisedOn', column: 'appraised_on', type: { kind: 'date', aheadDays: 0 }, description: '鉴定日期 date of the appraisal; not in the future.', csv: { en: 'appraisedOn', zh: '鉴定日期' } },
    { name: 'appraiser', column: 'appraiser', type: { kind: 'text', maxLength: 100 }, description: '鉴定单位 appraiser, body or person.', csv: { en: 'appraiser', zh: '鉴定单位' } },
  ],
  naturalKey: ['appraisedOn'],
  orderBy: 'f.appraised_on DESC, f.id DESC',
  edge: {
    field: 'housingAppraisals',
    description: '房屋安全鉴定 housing safety appraisals of the household, newest first. 住建 housing data.',
    latest: { field: 'latestHousingAppraisal', description: '最新鉴定 the most recent housing safety appraisal (current grade); null when never appraised. 住建 housing data.' },
  },
  mutations: {
    create: {
      name: 'recordHousingAppraisal', inputName: 'RecordHousingAppraisalInput',
      description: '房屋安全鉴定 record a housing safety appraisal (A–D) of a household; the newest appraisal is the current grade. 住建 housing.',
    },
  },
};

/** 危房改造 dilapidated-house renovation of a household. */
export const renovationProjectFacet: FacetDeclaration = {
  kind: 'renovation-project',
  typeName: 'RenovationProject',
  description: '危房改造 dilapidated-house renovation of a household, with the department that funds it. Owned by 住建 housing.',
  table: 'renovation_project',
  department: Department.HOUSING,
  parent: 'household',
  fields: [
    {
      name: 'fundingDepartment', column: 'funding_department', type: { kind: 'enum', values: Department, enumName: 'department' }, defaultValue: Department.HOUSING,
      description: '资金来源部门 department that funds the renovation.', csv: { en: 'fundingDepartment', zh: '资金来源部门' },
    },
    { name: 'subsidyAmount', column: 'subsidy_amount', type: { kind: 'money', min: 0, max: 200_000 }, description: '补助金额 subsidy, yuan (元).', csv: { en: 'subsidyAmount', zh: '补助金额' } },
    {
      name: 'status', column: 'status', type: { kind: 'enum', values: WorkStatus, enumName: 'work_status' }, defaultValue: WorkStatus.PLANNED,
      description: '实施状态 status; COMPLETED exactly when there is a completion date.', csv: { en: 'status', zh: '实施状态' },
    },
    { name: 'startDate', column: 'start_date', type: { kind: 'date', aheadDays: 366 }, description: '开工日期 (planned) start date; at most a year ahead.', csv: { en: 'startDate', zh: '开工日期' } },
    {
      name: 'completedOn', column: 'completed_on', type: { kind: 'date', aheadDays: 0 }, nullable: true, notBefore: 'startDate',
      description: '竣工日期 completion date; null until completed; not before the start, not in the future.', csv: { en: 'completedOn', zh: '竣工日期' },
    },
  ],
  check: (r) => ((r.status === WorkStatus.COMPLETED) !== (r.completedOn != null)
    ? { field: 'completedOn', message: 'is given exactly when the status is COMPLETED', messageZh: '竣工状态须且仅须填写竣工日期' }
    : null),
  naturalKey: ['startDate'],
  orderBy: 'f.start_date DESC, f.id DESC',
  edge: { field: 'renovationProjects', description: '危房改造 dilapidated-house renovations of the household, newest first. 住建 housing data.' },
  mutations: {
    create: { name: 'createRenovationProject', inputName: 'CreateRenovationProjectInput', description: '危房改造立项 start a dilapidated-house renovation project for a household. 住建 housing.' },
    update: {
      name: 'updateRenovationProject', inputName: 'UpdateRenovationProjectInput',
      description: '危房改造进度 change a renovation project, e.g. complete it with its completion date. CONFLICT when `version` is stale. 住建 housing.',
    },
  },
};

export const housingFacets: readonly FacetDeclaration[] = [housingAppraisalFacet, renovationProjectFacet];
