import type { FacetDeclaration } from '../../core/facet-declaration';
import { Department, InsuranceScheme } from '../../core/vocab';

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
