import { registerEnumType } from 'type-graphql';

// Controlled vocabularies shared by the storage model (PostgreSQL enum types) and the API
// (GraphQL enums). One TypeScript enum per vocabulary; values are the stored strings.

/** The five departments that own facets. */
export enum Department {
  CIVIL_AFFAIRS = 'civil_affairs',
  HEALTH = 'health',
  EDUCATION = 'education',
  HOUSING = 'housing',
  POVERTY_OFFICE = 'poverty_office',
}

export enum RegionLevel {
  PROVINCE = 'province',
  CITY = 'city',
  COUNTY = 'county',
  TOWNSHIP = 'township',
  VILLAGE = 'village',
}

export enum HouseholdStatus {
  NONE = 'none',
  REGISTERED = 'registered',
  EXITED = 'exited',
  MONITORED = 'monitored',
}

export enum IdentificationStandard {
  NATIONAL = 'national',
  PROVINCIAL = 'provincial',
}

/** The 12 standard poverty causes (致贫原因), vocabulary version 1. */
export enum PovertyCause {
  ILLNESS = 'illness',
  DISABILITY = 'disability',
  SCHOOLING = 'schooling',
  DISASTER = 'disaster',
  LAND = 'land',
  WATER = 'water',
  SKILLS = 'skills',
  LABOUR = 'labour',
  CAPITAL = 'capital',
  TRANSPORT = 'transport',
  DRIVE = 'drive',
  OTHER = 'other',
}

export const POVERTY_CAUSE_NAMES: Record<PovertyCause, string> = {
  [PovertyCause.ILLNESS]: '因病',
  [PovertyCause.DISABILITY]: '因残',
  [PovertyCause.SCHOOLING]: '因学',
  [PovertyCause.DISASTER]: '因灾',
  [PovertyCause.LAND]: '缺土地',
  [PovertyCause.WATER]: '缺水',
  [PovertyCause.SKILLS]: '缺技术',
  [PovertyCause.LABOUR]: '缺劳力',
  [PovertyCause.CAPITAL]: '缺资金',
  [PovertyCause.TRANSPORT]: '交通条件落后',
  [PovertyCause.DRIVE]: '自身发展动力不足',
  [PovertyCause.OTHER]: '其他',
};

export enum Relation {
  HEAD = 'head',
  SPOUSE = 'spouse',
  CHILD = 'child',
  CHILD_IN_LAW = 'child_in_law',
  GRANDCHILD = 'grandchild',
  PARENT = 'parent',
  GRANDPARENT = 'grandparent',
  SIBLING = 'sibling',
  OTHER = 'other',
}

export enum Gender {
  MALE = 'male',
  FEMALE = 'female',
}

/** 劳动能力 labour ability, as on the 建档立卡 form. */
export enum LabourAbility {
  SKILLED = 'skilled',
  ORDINARY = 'ordinary',
  WEAK = 'weak',
  LOST = 'lost',
  NONE = 'none',
}

/** 健康状况 health category. */
export enum HealthCategory {
  HEALTHY = 'healthy',
  CHRONIC = 'chronic',
  SERIOUS = 'serious',
  DISABLED = 'disabled',
}

/** 在校生状况 current schooling stage. */
export enum SchoolingStage {
  NONE = 'none',
  PRESCHOOL = 'preschool',
  PRIMARY = 'primary',
  JUNIOR = 'junior',
  SENIOR = 'senior',
  VOCATIONAL = 'vocational',
  COLLEGE = 'college',
}

export enum DibaoCategory {
  CLASS_A = 'class_a',
  CLASS_B = 'class_b',
  CLASS_C = 'class_c',
}

export enum EnrolmentStatus {
  ACTIVE = 'active',
  SUSPENDED = 'suspended',
  ENDED = 'ended',
}

export enum CareMode {
  CENTRALISED = 'centralised',
  DISPERSED = 'dispersed',
}

export enum LeftBehindKind {
  CHILD = 'child',
  WOMAN = 'woman',
  ELDERLY = 'elderly',
}

export enum DisabilitySubsidyKind {
  LIVING = 'living',
  NURSING = 'nursing',
}

export enum InsuranceScheme {
  RESIDENT = 'resident',
  EMPLOYEE = 'employee',
}

export enum ConditionKind {
  CHRONIC = 'chronic',
  SERIOUS = 'serious',
}

export enum SchoolStatus {
  ENROLLED = 'enrolled',
  SUSPENDED = 'suspended',
  DROPPED_OUT = 'dropped_out',
  GRADUATED = 'graduated',
}

export enum DropoutWatchStatus {
  OPEN = 'open',
  RETURNED = 'returned',
  CLOSED = 'closed',
}

export enum StudentAidKind {
  TWO_EXEMPTIONS_ONE_SUBSIDY = 'two_exemptions_one_subsidy',
  NATIONAL_GRANT = 'national_grant',
  TUITION_WAIVER = 'tuition_waiver',
  STUDENT_LOAN = 'student_loan',
}

export enum HousingGrade {
  A = 'A',
  B = 'B',
  C = 'C',
  D = 'D',
}

/** Status of anything planned and carried out: renovations, relocations, measures, projects. */
export enum WorkStatus {
  PLANNED = 'planned',
  UNDERWAY = 'underway',
  COMPLETED = 'completed',
  CANCELLED = 'cancelled',
}

/** The six measure kinds (六个到村到户). */
export enum MeasureKind {
  PAIRING = 'pairing',
  INDUSTRY = 'industry',
  EDUCATION_TRAINING = 'education_training',
  HOUSING_RENOVATION = 'housing_renovation',
  RELOCATION = 'relocation',
  INFRASTRUCTURE = 'infrastructure',
}

export enum FundSource {
  CENTRAL = 'central',
  PROVINCIAL = 'provincial',
  CITY = 'city',
  COUNTY = 'county',
  SOCIAL = 'social',
}

const describe = <T extends object>(e: T, name: string, description: string, values: Partial<Record<keyof T, string>>) =>
  registerEnumType(e, {
    name,
    description,
    valuesConfig: Object.fromEntries(Object.entries(values).map(([k, d]) => [k, { description: d as string }])) as never,
  });

describe(Department, 'Department', 'Owning department (部门).', {
  CIVIL_AFFAIRS: '民政 civil affairs',
  HEALTH: '卫健/医保 health and medical insurance',
  EDUCATION: '教育 education',
  HOUSING: '住建 housing and urban-rural development',
  POVERTY_OFFICE: '扶贫办 poverty alleviation office',
});
describe(RegionLevel, 'RegionLevel', 'Level of a statistical division (行政区划级别).', {
  PROVINCE: '省 province', CITY: '市/州 prefecture', COUNTY: '县/区 county', TOWNSHIP: '乡/镇/街道 township', VILLAGE: '村/社区 village',
});
describe(HouseholdStatus, 'HouseholdStatus', 'Registration status in the 建档立卡 registry (识别状态).', {
  NONE: '未识别 never registered', REGISTERED: '贫困户 registered poor household', EXITED: '已脱贫 exited', MONITORED: '监测户 under monitoring (边缘户/脱贫不稳定户)',
});
describe(IdentificationStandard, 'IdentificationStandard', 'Poverty line used at identification (识别标准).', {
  NATIONAL: '国家标准 national line', PROVINCIAL: '省定标准 provincial line',
});
describe(PovertyCause, 'PovertyCause', 'The 12 standard poverty causes (致贫原因), vocabulary version 1.',
  Object.fromEntries(Object.entries(PovertyCause).map(([k, v]) => [k, POVERTY_CAUSE_NAMES[v]])));
describe(Relation, 'Relation', 'Relation to the head of household (与户主关系).', {
  HEAD: '户主 head', SPOUSE: '配偶 spouse', CHILD: '子女 child', CHILD_IN_LAW: '儿媳/女婿 child-in-law', GRANDCHILD: '孙子女 grandchild',
  PARENT: '父母 parent', GRANDPARENT: '祖父母 grandparent', SIBLING: '兄弟姐妹 sibling', OTHER: '其他 other',
});
describe(Gender, 'Gender', 'Gender (性别).', { MALE: '男 male', FEMALE: '女 female' });
describe(LabourAbility, 'LabourAbility', 'Labour ability (劳动能力).', {
  SKILLED: '技能劳动力 skilled', ORDINARY: '普通劳动力 ordinary', WEAK: '弱劳动力或半劳动力 weak or half', LOST: '丧失劳动力 lost', NONE: '无劳动力 none (child or aged)',
});
describe(HealthCategory, 'HealthCategory', 'Health category (健康状况).', {
  HEALTHY: '健康 healthy', CHRONIC: '长期慢性病 long-term chronic illness', SERIOUS: '患有大病 serious illness', DISABLED: '残疾 disabled',
});
describe(SchoolingStage, 'SchoolingStage', 'Current schooling stage (在校生状况).', {
  NONE: '非在校生 not in school', PRESCHOOL: '学前 preschool', PRIMARY: '小学 primary', JUNIOR: '初中 junior secondary',
  SENIOR: '高中 senior secondary', VOCATIONAL: '中职 secondary vocational', COLLEGE: '大专及以上 college',
});
describe(DibaoCategory, 'DibaoCategory', '低保 classification (分类施保).', { CLASS_A: '一类 class A', CLASS_B: '二类 class B', CLASS_C: '三类 class C' });
describe(EnrolmentStatus, 'EnrolmentStatus', 'Status of a benefit enrolment (享受状态).', { ACTIVE: '享受中 active', SUSPENDED: '暂停 suspended', ENDED: '退出 ended' });
describe(CareMode, 'CareMode', '特困供养 care mode (供养方式).', { CENTRALISED: '集中供养 centralised', DISPERSED: '分散供养 dispersed' });
describe(LeftBehindKind, 'LeftBehindKind', '三留守 kind.', { CHILD: '留守儿童 left-behind child', WOMAN: '留守妇女 left-behind woman', ELDERLY: '留守老人 left-behind elderly' });
describe(DisabilitySubsidyKind, 'DisabilitySubsidyKind', 'Disability subsidies (残疾人两项补贴).', { LIVING: '困难残疾人生活补贴 living subsidy', NURSING: '重度残疾人护理补贴 nursing subsidy' });
describe(InsuranceScheme, 'InsuranceScheme', 'Medical insurance scheme (医保险种).', { RESIDENT: '城乡居民医保 resident scheme', EMPLOYEE: '职工医保 employee scheme' });
describe(ConditionKind, 'ConditionKind', 'Kind of condition (病种类别).', { CHRONIC: '慢性病 chronic', SERIOUS: '大病 serious' });
describe(SchoolStatus, 'SchoolStatus', 'School enrolment status (学籍状态).', { ENROLLED: '在读 enrolled', SUSPENDED: '休学 suspended', DROPPED_OUT: '辍学 dropped out', GRADUATED: '毕业 graduated' });
describe(DropoutWatchStatus, 'DropoutWatchStatus', '控辍保学 case status.', { OPEN: '劝返中 open', RETURNED: '已劝返 returned to school', CLOSED: '已销号 closed' });
describe(StudentAidKind, 'StudentAidKind', 'Student aid kind (学生资助).', {
  TWO_EXEMPTIONS_ONE_SUBSIDY: '两免一补 two exemptions, one subsidy', NATIONAL_GRANT: '国家助学金 national grant', TUITION_WAIVER: '免学费 tuition waiver', STUDENT_LOAN: '生源地助学贷款 student loan',
});
describe(HousingGrade, 'HousingGrade', 'Housing safety appraisal grade (房屋安全鉴定等级); C and D are dilapidated (危房).', {
  A: 'A级 safe', B: 'B级 basically safe', C: 'C级 partly dangerous (局部危房)', D: 'D级 dangerous (整栋危房)',
});
describe(WorkStatus, 'WorkStatus', 'Status of planned work (实施状态).', { PLANNED: '计划 planned', UNDERWAY: '实施中 underway', COMPLETED: '已完成 completed', CANCELLED: '已取消 cancelled' });
describe(MeasureKind, 'MeasureKind', 'The six measure kinds (六个到村到户).', {
  PAIRING: '结对帮扶 pairing', INDUSTRY: '产业扶持 industry support', EDUCATION_TRAINING: '教育培训 education and training',
  HOUSING_RENOVATION: '危房改造 housing renovation', RELOCATION: '易地扶贫搬迁 relocation', INFRASTRUCTURE: '基础设施 infrastructure',
});
describe(FundSource, 'FundSource', 'Source of funds (资金来源).', { CENTRAL: '中央 central', PROVINCIAL: '省级 provincial', CITY: '市级 city', COUNTY: '县级 county', SOCIAL: '社会 social' });
