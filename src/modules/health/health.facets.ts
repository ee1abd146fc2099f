import { periodFields, type FacetDeclaration } from '../../core/facet-declaration';
import { ConditionKind, Department, InsuranceScheme } from '../../core/vocab';

// Facets of 卫健/医保 health, declared once (core/facet-declaration.ts).

/** 参保 yearly medical-insurance enrolment of a person, with the premium subsidy (资助参保). */
export const insuranceEnrolmentFacet: FacetDeclaration = {
  kind: 'insurance-enrolment',
  typeName: 'InsuranceEnrolment',
  description: '参保 yearly medical-insurance enrolment of a person, with the premium subsidy (资助参保). Owned by 卫健/医保 health.',
  table: 'insurance_enrolment',
  department: Department.HEALTH,
  parent: 'person',
  fields: [
    { name: 'year', column: 'year', type: { kind: 'year', min: 2003, aheadYears: 1 }, description: '参保年度 insurance year, 2003 (新农合) to next year; one enrolment per person and year.', csv: { en: 'year', zh: '参保年度' } },
    { name: 'scheme', column: 'scheme', type: { kind: 'enum', values: InsuranceScheme, enumName: 'insurance_scheme' }, description: '险种 insurance scheme.', csv: { en: 'scheme', zh: '险种' } },
    { name: 'premium', column: 'premium', type: { kind: 'money', min: 0, max: 20_000 }, description: '个人缴费标准 premium, yuan (元).', csv: { en: 'premium', zh: '个人缴费标准' } },
    { name: 'subsidy', column: 'subsidy', type: { kind: 'money', min: 0, max: 20_000 }, description: '资助参保金额 part of the premium paid by the state, yuan (元); at most the premium.', csv: { en: 'subsidy', zh: '资助参保金额' } },
  ],
  check: (r) => (Number(r.subsidy) > Number(r.premium) ? { field: 'subsidy', message: 'must not exceed the premium', messageZh: '资助金额不能超过个人缴费标准' } : null),
  naturalKey: ['year'],
  orderBy: 'f.year DESC, f.id DESC',
  edge: {
    field: 'insuranceEnrolments',
    description: '参保 medical-insurance enrolments of the person, newest year first. 卫健/医保 health data.',
    filterArgs: [{ field: 'year', description: 'Only this insurance year (参保年度).' }],
  },
  mutations: {
    create: { name: 'createInsuranceEnrolment', inputName: 'CreateInsuranceEnrolmentInput', description: '参保登记 enrol a person in medical insurance for a year, with the premium subsidy. One enrolment per person and year. 卫健/医保 health.' },
    update: { name: 'updateInsuranceEnrolment', inputName: 'UpdateInsuranceEnrolmentInput', description: '参保变更 change an insurance enrolment. CONFLICT when `version` is stale. 卫健/医保 health.' },
  },
};

/**
 * 慢病/大病 a chronic or serious condition of a person. The diagnosis and ICD-10 code are
 * clinical detail (privacy 'clinical'): its read side stays hand-written (health.loaders.ts,
 * health.resolver.ts, core/privacy.ts); only its writes derive from here.
 */
export const healthConditionFacet: FacetDeclaration = {
  kind: 'health-condition',
  typeName: 'HealthCondition',
  description: '慢病/大病 a chronic or serious condition of a person. Owned by 卫健/医保 health; the diagnosis and ICD-10 code are clinical detail, shown to health only.',
  table: 'health_condition',
  department: Department.HEALTH,
  parent: 'person',
  fields: [
    { name: 'kind', column: 'kind', type: { kind: 'enum', values: ConditionKind, enumName: 'condition_kind' }, description: '病种类别 chronic or serious.', csv: { en: 'kind', zh: '病种类别' } },
    { name: 'diagnosis', column: 'diagnosis', type: { kind: 'text', maxLength: 500 }, privacy: 'clinical', description: '诊断 diagnosis. Clinical detail (health only).', csv: { en: 'diagnosis', zh: '诊断' } },
    { name: 'icd10Code', column: 'icd10_code', type: { kind: 'text', maxLength: 10 }, privacy: 'clinical', example: 'E11.9', description: 'ICD-10 疾病编码 disease code, e.g. E11.9. Clinical detail (health only).', csv: { en: 'icd10Code', zh: '疾病编码' } },
    { name: 'diagnosedOn', column: 'diagnosed_on', type: { kind: 'date', aheadDays: 0 }, description: '确诊日期 date of diagnosis; not in the future.', csv: { en: 'diagnosedOn', zh: '确诊日期' } },
  ],
  check: (r) => (typeof r.icd10Code === 'string' && !/^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$/.test(r.icd10Code)
    ? { field: 'icd10Code', message: 'must be an ICD-10 code such as E11 or E11.9', messageZh: '应为 ICD-10 编码，如 E11 或 E11.9' }
    : null),
  naturalKey: ['icd10Code', 'diagnosedOn'],
  orderBy: 'f.diagnosed_on DESC, f.id DESC',
  edge: { field: 'healthConditions', description: '慢病/大病 chronic and serious conditions of the person, newest diagnosis first. 卫健/医保 health data.' },
  mutations: {
    create: { name: 'createHealthCondition', inputName: 'CreateHealthConditionInput', description: '慢病/大病登记 record a chronic or serious condition of a person, with its diagnosis (clinical detail). 卫健/医保 health.' },
    update: { name: 'updateHealthCondition', inputName: 'UpdateHealthConditionInput', description: '慢病/大病更正 correct a condition record. CONFLICT when `version` is stale. 卫健/医保 health.' },
  },
};

/** 家庭医生签约 family-doctor contract of a person. */
export const familyDoctorContractFacet: FacetDeclaration = {
  kind: 'family-doctor-contract',
  typeName: 'FamilyDoctorContract',
  description: '家庭医生签约 family-doctor contract of a person. Owned by 卫健/医保 health.',
  table: 'family_doctor_contract',
  department: Department.HEALTH,
  parent: 'person',
  fields: [
    { name: 'doctorName', column: 'doctor_name', type: { kind: 'text', maxLength: 50 }, description: '签约医生 name of the contracted doctor.', csv: { en: 'doctorName', zh: '签约医生' } },
    { name: 'clinic', column: 'clinic', type: { kind: 'text', maxLength: 100 }, description: '签约机构 clinic or health centre of the doctor.', csv: { en: 'clinic', zh: '签约机构' } },
    ...periodFields(
      { zh: '签约日期', description: 'first day of the contract; at most a year ahead.' },
      { zh: '到期日期', description: 'last day of the contract; null while open-ended; not before the start.', aheadDays: 5 * 366 },
    ),
  ],
  naturalKey: ['startDate'],
  orderBy: 'f.start_date DESC, f.id DESC',
  edge: { field: 'familyDoctorContracts', description: '家庭医生签约 family-doctor contracts of the person, newest first. 卫健/医保 health data.' },
  mutations: {
    create: { name: 'createFamilyDoctorContract', inputName: 'CreateFamilyDoctorContractInput', description: '家庭医生签约 sign a family-doctor contract for a person. 卫健/医保 health.' },
    update: { name: 'updateFamilyDoctorContract', inputName: 'UpdateFamilyDoctorContractInput', description: '签约变更 change a family-doctor contract. CONFLICT when `version` is stale. 卫健/医保 health.' },
    end: {
      name: 'endFamilyDoctorContract', inputName: 'EndFamilyDoctorContractInput', dateField: 'endDate',
      description: '解约 end a family-doctor contract: sets its last day. CONFLICT when `version` is stale or it has already ended. 卫健/医保 health.',
    },
  },
};



/**
 * 医疗救助年度封顶 a person's medical-assistance cap for a year and how much of it is used, as the
 * medical-insurance system reports it (one record per person and year, like the enrolment it
 * sits beside). The remaining amount is computed, never stored, so it cannot disagree.
 */
export const medicalAssistanceCapFacet: FacetDeclaration = {
  kind: 'medical-assistance-cap',
  typeName: 'MedicalAssistanceCap',
  description: '医疗救助年度封顶 medical-assistance annual cap of a person and how much of it is used. Owned by 卫健/医保 health.',
  table: 'medical_assistance_cap',
  department: Department.HEALTH,
  parent: 'person',
  fields: [
    { name: 'year', column: 'year', type: { kind: 'year', min: 2010, aheadYears: 1 }, description: '救助年度 assistance year, 2010 to next year; one record per person and year.', csv: { en: 'year', zh: '救助年度' } },
    { name: 'capAmount', column: 'cap_amount', type: { kind: 'money', min: 0, max: 1_000_000 }, description: '年度封顶线 annual cap of medical assistance, yuan (元).', csv: { en: 'capAmount', zh: '年度封顶线' } },
    { name: 'usedAmount', column: 'used_amount', type: { kind: 'money', min: 0, max: 1_000_000 }, description: '已使用额度 assistance paid so far this year, yuan (元); at most the cap.', csv: { en: 'usedAmount', zh: '已使用额度' } },
    {
      name: 'remainingAmount', column: 'remaining_amount', computed: 'f.cap_amount - f.used_amount', writable: false, type: { kind: 'money', min: 0, max: 1_000_000 },
      description: '剩余额度 cap minus used, yuan (元); computed.', csv: { en: 'remainingAmount', zh: '剩余额度' },
    },
  ],
  check: (r) => (Number(r.usedAmount) > Number(r.capAmount) ? { field: 'usedAmount', message: 'must not exceed the annual cap', messageZh: '已使用额度不能超过年度封顶线' } : null),
  naturalKey: ['year'],
  orderBy: 'f.year DESC, f.id DESC',
  edge: {
    field: 'medicalAssistanceCaps',
    description: '医疗救助年度封顶 medical-assistance annual caps of the person and their use, newest year first. 卫健/医保 health data.',
    filterArgs: [{ field: 'year', description: 'Only this assistance year (救助年度).' }],
  },
  mutations: {
    create: { name: 'createMedicalAssistanceCap', inputName: 'CreateMedicalAssistanceCapInput', description: '医疗救助封顶登记 record a person\'s medical-assistance cap for a year and its use. One record per person and year. 卫健/医保 health.' },
    update: { name: 'updateMedicalAssistanceCap', inputName: 'UpdateMedicalAssistanceCapInput', description: '医疗救助封顶变更 change a year\'s cap or its use; the use stays within the cap. CONFLICT when `version` is stale. 卫健/医保 health.' },
  },
};

/** Yuan as integer fen (分), so that sums of two-decimal amounts compare exactly. */
const fen = (yuan: unknown): number => Math.round(Number(yuan) * 100);

/** 医疗救助 a medical-assistance claim of a person: reimbursed plus out of pocket is the total cost. */
export const medicalAssistanceClaimFacet: FacetDeclaration = {
  kind: 'medical-assistance-claim',
  typeName: 'MedicalAssistanceClaim',
  description: '医疗救助 medical-assistance claim of a person: total cost, reimbursed, out of pocket. Owned by 卫健/医保 health.',
  table: 'medical_assistance_claim',
  department: Department.HEALTH,
  parent: 'person',
  fields: [
    { name: 'claimDate', column: 'claim_date', type: { kind: 'date', aheadDays: 0 }, description: '结算日期 claim date; not in the future.', csv: { en: 'claimDate', zh: '结算日期' } },
    { name: 'totalCost', column: 'total_cost', type: { kind: 'money', min: 0, max: 5_000_000 }, example: 1000, description: '医疗总费用 total cost, yuan (元).', csv: { en: 'totalCost', zh: '医疗总费用' } },
    { name: 'reimbursed', column: 'reimbursed', type: { kind: 'money', min: 0, max: 5_000_000 }, example: 700, description: '报销及救助金额 reimbursed by insurance and assistance, yuan (元).', csv: { en: 'reimbursed', zh: '报销及救助金额' } },
    { name: 'outOfPocket', column: 'out_of_pocket', type: { kind: 'money', min: 0, max: 5_000_000 }, example: 300, description: '个人自付 paid out of pocket, yuan (元); reimbursed plus out of pocket is the total cost.', csv: { en: 'outOfPocket', zh: '个人自付' } },
  ],
  check: (r) => (fen(r.reimbursed) + fen(r.outOfPocket) !== fen(r.totalCost)
    ? {
      field: 'outOfPocket',
      message: `reimbursed (${String(r.reimbursed)}) plus out of pocket (${String(r.outOfPocket)}) must equal the total cost (${String(r.totalCost)})`,
      messageZh: '报销及救助金额与个人自付之和应等于医疗总费用',
    }
    : null),
  // The claims system's claim number is not kept: every import row is a new claim.
  naturalKey: [],
  orderBy: 'f.claim_date DESC, f.id DESC',
  edge: { field: 'medicalAssistanceClaims', description: '医疗救助 medical-assistance claims of the person, newest first. 卫健/医保 health data.' },
  mutations: {
    create: {
      name: 'createMedicalAssistanceClaim', inputName: 'CreateMedicalAssistanceClaimInput',
      description: '医疗救助结算 record a medical-assistance claim of a person; reimbursed plus out of pocket must equal the total cost. 卫健/医保 health.',
    },
    update: {
      name: 'updateMedicalAssistanceClaim', inputName: 'UpdateMedicalAssistanceClaimInput',
      description: '医疗救助更正 correct a medical-assistance claim; the amounts must still add up. CONFLICT when `version` is stale. 卫健/医保 health.',
    },
  },
};

export const healthFacets: readonly FacetDeclaration[] = [
  insuranceEnrolmentFacet, healthConditionFacet, familyDoctorContractFacet, medicalAssistanceCapFacet, medicalAssistanceClaimFacet,
];
