import { periodFields, type FacetDeclaration, type FacetField, type ImportRules } from '../../core/facet-declaration';
import { CareMode, DibaoCategory, Department, DisabilitySubsidyKind, EnrolmentStatus, LeftBehindKind } from '../../core/vocab';

// Facets of 民政 civil affairs, declared once (core/facet-declaration.ts). 低保 enrolments keep
// their hand-written service (no two open enrolments of a household overlap; see
// civil-affairs-write.service.ts); imports run the same rules set-based (DIBAO_IMPORT_RULES).

/** How far ahead a fixed end date may lie. */
const END_AHEAD_DAYS = 5 * 366;

const period = (startZh: string, endZh: string, what: string): FacetField[] =>
  periodFields(
    { zh: startZh, description: `first day of ${what}; at most a year ahead.` },
    { zh: endZh, description: `last day of ${what}; null while open-ended; not before the start.`, aheadDays: END_AHEAD_DAYS },
  );

/** 特困供养 extreme-poverty support of a person. */
export const extremePovertySupportFacet: FacetDeclaration = {
  kind: 'extreme-poverty-support',
  typeName: 'ExtremePovertySupport',
  description: '特困供养 extreme-poverty support of a person. Owned by 民政 civil affairs.',
  table: 'extreme_poverty_support',
  department: Department.CIVIL_AFFAIRS,
  parent: 'person',
  fields: [
    { name: 'careMode', column: 'care_mode', type: { kind: 'enum', values: CareMode, enumName: 'care_mode' }, description: '供养方式 care mode: centralised or dispersed.', csv: { en: 'careMode', zh: '供养方式' } },
    { name: 'monthlyAmount', column: 'monthly_amount', type: { kind: 'money', min: 0, max: 20_000 }, description: '月供养金 monthly support, yuan (元/月).', csv: { en: 'monthlyAmount', zh: '月供养金' } },
    ...period('起始日期', '终止日期', 'support'),
  ],
  naturalKey: ['startDate'],
  orderBy: 'f.start_date DESC, f.id DESC',
  edge: { field: 'extremePovertySupports', description: '特困供养 extreme-poverty support of the person, newest first. 民政 civil affairs data.' },
  mutations: {
    create: { name: 'createExtremePovertySupport', inputName: 'CreateExtremePovertySupportInput', description: '特困供养认定 start extreme-poverty support of a person. 民政 civil affairs.' },
    update: { name: 'updateExtremePovertySupport', inputName: 'UpdateExtremePovertySupportInput', description: '特困供养变更 change an extreme-poverty support record. CONFLICT when `version` is stale. 民政 civil affairs.' },
    end: {
      name: 'endExtremePovertySupport', inputName: 'EndExtremePovertySupportInput', dateField: 'endDate',
      description: '特困供养终止 end extreme-poverty support: sets its end date. CONFLICT when `version` is stale or it has already ended. 民政 civil affairs.',
    },
  },
};

/** 三留守 left-behind child, woman or elderly person, with a one-to-one contact person. */
export const leftBehindRecordFacet: FacetDeclaration = {
  kind: 'left-behind-record',
  typeName: 'LeftBehindRecord',
  description: '三留守 record of a left-behind child, woman or elderly person, with the one-to-one contact person. Owned by 民政 civil affairs.',
  table: 'left_behind_record',
  department: Department.CIVIL_AFFAIRS,
  parent: 'person',
  fields: [
    { name: 'kind', column: 'kind', type: { kind: 'enum', values: LeftBehindKind, enumName: 'left_behind_kind' }, description: '留守类别 kind: child, woman or elderly.', csv: { en: 'kind', zh: '留守类别' } },
    { name: 'contactPerson', column: 'contact_person', type: { kind: 'text', maxLength: 50 }, description: '联系人 the one-to-one contact person (一对一联系人).', csv: { en: 'contactPerson', zh: '联系人' } },
    ...periodFields(
      { zh: '登记日期', description: 'first day on the register; at most a year ahead.' },
      { zh: '退出日期', description: 'last day on the register; null while current; not before the start.', aheadDays: END_AHEAD_DAYS },
    ),
  ],
  naturalKey: ['kind', 'startDate'],
  orderBy: 'f.start_date DESC, f.id DESC',
  edge: { field: 'leftBehindRecords', description: '三留守 left-behind records of the person (child, woman, elderly), newest first. 民政 civil affairs data.' },
  mutations: {
    create: { name: 'createLeftBehindRecord', inputName: 'CreateLeftBehindRecordInput', description: '三留守登记 register a left-behind child, woman or elderly person with their contact person. 民政 civil affairs.' },
    update: { name: 'updateLeftBehindRecord', inputName: 'UpdateLeftBehindRecordInput', description: '三留守变更 change a left-behind record, e.g. its contact person. CONFLICT when `version` is stale. 民政 civil affairs.' },
    end: {
      name: 'endLeftBehindRecord', inputName: 'EndLeftBehindRecordInput', dateField: 'endDate',
      description: '三留守退出 take a person off the left-behind register: sets the end date. CONFLICT when `version` is stale or it has already ended. 民政 civil affairs.',
    },
  },
};

/** 残疾人两项补贴 disability subsidy of a person. */
export const disabilitySubsidyFacet: FacetDeclaration = {
  kind: 'disability-subsidy',
  typeName: 'DisabilitySubsidy',
  description: '残疾人两项补贴 disability subsidy (living or nursing) of a person. Owned by 民政 civil affairs.',
  table: 'disability_subsidy',
  department: Department.CIVIL_AFFAIRS,
  parent: 'person',
  fields: [
    { name: 'kind', column: 'kind', type: { kind: 'enum', values: DisabilitySubsidyKind, enumName: 'disability_subsidy_kind' }, description: '补贴类别 living subsidy or nursing subsidy.', csv: { en: 'kind', zh: '补贴类别' } },
    { name: 'monthlyAmount', column: 'monthly_amount', type: { kind: 'money', min: 0, max: 10_000 }, description: '月补贴 monthly subsidy, yuan (元/月).', csv: { en: 'monthlyAmount', zh: '月补贴' } },
    ...period('起始日期', '终止日期', 'the subsidy'),
  ],
  naturalKey: ['kind', 'startDate'],
  orderBy: 'f.start_date DESC, f.id DESC',
  edge: { field: 'disabilitySubsidies', description: '残疾人两项补贴 disability subsidies of the person, newest first. 民政 civil affairs data.' },
  mutations: {
    create: { name: 'createDisabilitySubsidy', inputName: 'CreateDisabilitySubsidyInput', description: '残疾人补贴发放 grant a disability subsidy (living or nursing) to a person. 民政 civil affairs.' },
    update: { name: 'updateDisabilitySubsidy', inputName: 'UpdateDisabilitySubsidyInput', description: '残疾人补贴变更 change a disability subsidy. CONFLICT when `version` is stale. 民政 civil affairs.' },
    end: {
      name: 'endDisabilitySubsidy', inputName: 'EndDisabilitySubsidyInput', dateField: 'endDate',
      description: '残疾人补贴终止 end a disability subsidy: sets its end date. CONFLICT when `version` is stale or it has already ended. 民政 civil affairs.',
    },
  },
};

/** 临时救助 a one-off temporary assistance payment to a household: recorded, not changed. */
export const temporaryAssistanceFacet: FacetDeclaration = {
  kind: 'temporary-assistance',
  typeName: 'TemporaryAssistance',
  description: '临时救助 temporary assistance payment to a household. Owned by 民政 civil affairs.',
  table: 'temporary_assistance',
  department: Department.CIVIL_AFFAIRS,
  parent: 'household',
  fields: [
    { name: 'paidOn', column: 'paid_on', type: { kind: 'date', aheadDays: 0 }, description: '发放日期 date paid; not in the future.', csv: { en: 'paidOn', zh: '发放日期' } },
    { name: 'amount', column: 'amount', type: { kind: 'money', min: 0.01, max: 100_000 }, description: '救助金额 amount paid, yuan (元), more than 0.', csv: { en: 'amount', zh: '救助金额' } },
    { name: 'reason', column: 'reason', type: { kind: 'text', maxLength: 500 }, description: '救助事由 reason for the assistance.', csv: { en: 'reason', zh: '救助事由' } },
  ],
  // Two payments to one household on one day are possible: every import row is a new payment.
  naturalKey: [],
  orderBy: 'f.paid_on DESC, f.id DESC',
  edge: { field: 'temporaryAssistance', description: '临时救助 temporary assistance paid to the household, newest first. 民政 civil affairs data.' },
  mutations: {
    create: { name: 'createTemporaryAssistance', inputName: 'CreateTemporaryAssistanceInput', description: '临时救助 record a temporary assistance payment to a household. 民政 civil affairs.' },
  },
};

/** The advisory lock of the 低保 rules (the service takes `<lock>:county:<county>` shared, then `<lock>:<household>`). */
export const DIBAO_RULE_LOCK = 'dibao_enrolment';

/**
 * The 低保 service's rules across records (civil-affairs-write.service.ts `checkDibao`), run by
 * the import engine over a whole batch: the record as it will be (on update, with the stored
 * values of columns the file lacks) still ENDED only with an end date; no more members covered
 * than registered; and no overlap (daterange '[]', open end = infinity) of two enrolments of a
 * household that have not ended, whether stored (other than the one the row rewrites) or two
 * rows of the batch (both refused, like a duplicate key).
 */
const DIBAO_IMPORT_RULES: ImportRules = {
  lock: DIBAO_RULE_LOCK,
  rules: [
    {
      code: 'RULE', field: 'endDate',
      sql: ({ rows }) => `SELECT row_no, 'is required when the status is ENDED (the stored enrolment has none)' AS message, '退出状态须填写终止日期（原记录无终止日期）' AS message_zh
        FROM ${rows} WHERE status = 'ended' AND end_date IS NULL`,
    },
    {
      code: 'RULE', field: 'coveredPersons',
      sql: ({ rows }) => `SELECT r.row_no, format('exceeds the household''s %s registered members', coalesce(m.n, 0)) AS message,
               format('超过本户登记人数（%s 人）', coalesce(m.n, 0)) AS message_zh
          FROM ${rows} r LEFT JOIN (
            SELECT p.household_id, count(*)::int AS n FROM person p WHERE p.household_id IN (SELECT household_id FROM ${rows}) GROUP BY p.household_id
          ) m ON m.household_id = r.household_id
         WHERE r.covered_persons > coalesce(m.n, 0)`,
    },
    {
      code: 'RULE', field: 'startDate',
      sql: ({ rows, table }) => `SELECT r.row_no,
               format('overlaps 低保 enrolment %s of the same household (%s to %s), which has not ended', min(e.id), min(e.start_date), coalesce(min(e.end_date)::text, 'open')) AS message,
               format('与本户未退出的低保记录 %s（%s 至 %s）时间重叠', min(e.id), min(e.start_date), coalesce(min(e.end_date)::text, '今')) AS message_zh
          FROM ${rows} r JOIN ${table} e ON e.household_id = r.household_id AND e.status <> 'ended'
               AND daterange(e.start_date, e.end_date, '[]') && daterange(r.start_date, r.end_date, '[]')
         WHERE r.status <> 'ended' AND NOT EXISTS (SELECT 1 FROM ${rows} m WHERE m.existing_id = e.id)
         GROUP BY r.row_no`,
    },
    {
      code: 'RULE', field: 'startDate',
      sql: ({ rows }) => `SELECT r.row_no,
               format('overlaps row %s%s of this batch for the same household; neither row is applied',
                      array_to_string((array_agg(o.row_no ORDER BY o.row_no))[1:5], ', '), CASE WHEN count(*) > 5 THEN ', …' ELSE '' END) AS message,
               format('与本批次第 %s%s 行（同一户）时间重叠，这些行均不导入',
                      array_to_string((array_agg(o.row_no ORDER BY o.row_no))[1:5], '、'), CASE WHEN count(*) > 5 THEN '…' ELSE '' END) AS message_zh
          FROM ${rows} r JOIN ${rows} o ON o.household_id = r.household_id AND o.row_no <> r.row_no AND o.status <> 'ended'
               AND daterange(o.start_date, o.end_date, '[]') && daterange(r.start_date, r.end_date, '[]')
         WHERE r.status <> 'ended'
         GROUP BY r.row_no`,
    },
  ],
};

/**
 * 低保 minimum-living allowance enrolment of a household. Its writes stay by hand
 * (`mutations: 'custom'`, civil-affairs-write.service.ts): no two open enrolments of a household
 * overlap, and no more members are covered than the household has — rules over other rows and
 * tables. Its read side is hand-written too (modules/facet-resolvers.ts names it); the
 * declaration serves imports (with those rules, `importRules`), exports and the rule over the
 * record itself.
 */
export const dibaoEnrolmentFacet: FacetDeclaration = {
  kind: 'dibao-enrolment',
  typeName: 'DibaoEnrolment',
  description: '低保 minimum-living allowance enrolment of a household. Owned by 民政 civil affairs.',
  table: 'dibao_enrolment',
  department: Department.CIVIL_AFFAIRS,
  parent: 'household',
  fields: [
    { name: 'category', column: 'category', type: { kind: 'enum', values: DibaoCategory, enumName: 'dibao_category' }, description: '低保类别 classification (分类施保).', csv: { en: 'category', zh: '低保类别' } },
    { name: 'monthlyAmount', column: 'monthly_amount', type: { kind: 'money', min: 0, max: 20_000 }, description: '月保障金 monthly allowance, yuan (元/月).', csv: { en: 'monthlyAmount', zh: '低保金额' } },
    { name: 'coveredPersons', column: 'covered_persons', type: { kind: 'int', min: 1, max: 30 }, description: '保障人数 members covered: at most the household\'s registered members.', csv: { en: 'coveredPersons', zh: '保障人数' } },
    ...period('起始日期', '终止日期', 'the enrolment'),
    {
      name: 'status', column: 'status', type: { kind: 'enum', values: EnrolmentStatus, enumName: 'enrolment_status' }, defaultValue: EnrolmentStatus.ACTIVE,
      description: '享受状态 status; ENDED needs an end date.', csv: { en: 'status', zh: '享受状态' },
    },
  ],
  check: (r) => (r.status === EnrolmentStatus.ENDED && !r.endDate ? { field: 'endDate', message: 'is required when the status is ENDED', messageZh: '退出状态须填写终止日期' } : null),
  naturalKey: ['startDate'],
  importable: true,
  importRules: DIBAO_IMPORT_RULES,
  orderBy: 'f.start_date DESC, f.id DESC',
  edge: { field: 'dibaoEnrolments', description: '低保 minimum-living allowance enrolments of the household, newest first. 民政 civil affairs data.' },
  mutations: 'custom',
};

export const civilAffairsFacets: readonly FacetDeclaration[] = [
  dibaoEnrolmentFacet, extremePovertySupportFacet, leftBehindRecordFacet, disabilitySubsidyFacet, temporaryAssistanceFacet,
];
