import type { FacetDeclaration } from '../../core/facet-declaration';
import { CareMode, Department, HousingGrade, WorkStatus } from '../../core/vocab';

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

/**
 * 易地扶贫搬迁 relocation of a household. Writes and read side stay by hand (housing-write.service.ts,
 * housing.resolver.ts): the destination must be a division inside the caller's scope, and
 * `Relocation.destination` resolves it.
 */
export const relocationFacet: FacetDeclaration = {
  kind: 'relocation',
  typeName: 'Relocation',
  description: '易地扶贫搬迁 relocation of a household. Owned by 住建 housing.',
  table: 'relocation',
  department: Department.HOUSING,
  parent: 'household',
  fields: [
    { name: 'destinationCode', column: 'destination_code', type: { kind: 'text', maxLength: 12 }, description: '安置点区划代码 12-digit division code of the destination.', csv: { en: 'destinationCode', zh: '安置点区划代码' } },
    { name: 'settlementMode', column: 'settlement_mode', type: { kind: 'enum', values: CareMode, enumName: 'care_mode' }, description: '安置方式 settlement mode: centralised or dispersed.', csv: { en: 'settlementMode', zh: '安置方式' } },
    { name: 'plannedYear', column: 'planned_year', type: { kind: 'year', min: 2000, aheadYears: 5 }, description: '计划搬迁年度 planned year.', csv: { en: 'plannedYear', zh: '计划搬迁年度' } },
    { name: 'movedOn', column: 'moved_on', type: { kind: 'date', aheadDays: 0 }, nullable: true, description: '搬迁入住日期 date moved in; null until moved.', csv: { en: 'movedOn', zh: '搬迁入住日期' } },
    { name: 'subsidyAmount', column: 'subsidy_amount', type: { kind: 'money', min: 0, max: 1_000_000 }, description: '搬迁补助 subsidy, yuan (元).', csv: { en: 'subsidyAmount', zh: '搬迁补助' } },
    {
      name: 'status', column: 'status', type: { kind: 'enum', values: WorkStatus, enumName: 'work_status' }, defaultValue: WorkStatus.PLANNED,
      description: '实施状态 status; PLANNED has no move-in date, COMPLETED needs one.', csv: { en: 'status', zh: '实施状态' },
    },
  ],
  check: (r) => {
    if (r.status === WorkStatus.COMPLETED && !r.movedOn) return { field: 'movedOn', message: 'is required when the status is COMPLETED', messageZh: '已完成须填写入住日期' };
    if (r.status === WorkStatus.PLANNED && r.movedOn) return { field: 'movedOn', message: 'must be empty while the relocation is PLANNED', messageZh: '计划中不应填写入住日期' };
    return null;
  },
  naturalKey: ['plannedYear'],
  orderBy: 'f.planned_year DESC, f.id DESC',
  edge: { field: 'relocations', description: '易地扶贫搬迁 relocations of the household, newest plan first. 住建 housing data.' },
  mutations: 'custom',
};

export const housingFacets: readonly FacetDeclaration[] = [housingAppraisalFacet, renovationProjectFacet, relocationFacet];
