import { columnSpecOf } from '../../src/core/facet-declaration';
import { fromCell, validateRecord } from '../../src/core/facet-validate';
import { insuranceEnrolmentFacet as facet } from '../../src/modules/health/health.facets';

// The one validation GraphQL writes and import rows share (core/facet-validate.ts), on the
// insurance-enrolment declaration.

const TODAY = '2026-11-29';
const field = (name: string) => facet.fields.find((f) => f.name === name)!;

describe('facet validation', () => {
  it('accepts a good record and stores it as given', () => {
    const { record, problems } = validateRecord(facet, { year: 2026, scheme: 'resident', premium: 380, subsidy: 380 }, TODAY);
    expect(problems).toEqual([]);
    expect(record).toEqual({ year: 2026, scheme: 'resident', premium: 380, subsidy: 380 });
  });

  it('names every problem of a record, by field, in English and Chinese', () => {
    const { problems } = validateRecord(facet, { year: 2031, scheme: 'gold', premium: 1.234 }, TODAY);
    expect(problems.map((p) => [p.field, p.code])).toEqual([
      ['year', 'OUT_OF_RANGE'],
      ['scheme', 'NOT_IN_VOCABULARY'],
      ['premium', 'INVALID_FORMAT'],
      ['subsidy', 'REQUIRED'],
    ]);
    expect(problems[0].message).toBe('must be from 2003 to 2027');
    expect(problems[0].messageZh).toContain('2027');
  });

  it('runs the facet rule over the whole record, and over the merged record of a patch', () => {
    const whole = validateRecord(facet, { year: 2026, scheme: 'resident', premium: 100, subsidy: 100.01 }, TODAY);
    expect(whole.problems).toEqual([expect.objectContaining({ field: 'subsidy', code: 'RULE' })]);
    // A patch checks only the sent field's value, but the rule over the merged record.
    const patch = validateRecord(facet, { year: 2026, scheme: 'resident', premium: 50, subsidy: 100 }, TODAY, new Set(['premium']));
    expect(patch.problems).toEqual([expect.objectContaining({ field: 'subsidy', code: 'RULE' })]);
  });

  it('reads CSV cells as a client would send them', () => {
    expect(fromCell(field('year').type, ' 2026 ')).toBe(2026);
    expect(fromCell(field('premium').type, '1,380.50')).toBe(1380.5);
    expect(fromCell(field('scheme').type, 'RESIDENT')).toBe('resident');
    expect(fromCell(field('scheme').type, 'employee')).toBe('employee');
    expect(fromCell(field('scheme').type, '城乡居民')).toBe('城乡居民');
    expect(fromCell(field('premium').type, '')).toBeNull();
    expect(fromCell({ kind: 'date', aheadDays: 0 }, '2024/3/1')).toBe('2024-03-01');
    expect(fromCell({ kind: 'date', aheadDays: 0 }, '20240301')).toBe('2024-03-01');
    expect(fromCell({ kind: 'date', aheadDays: 0 }, '2024031')).toBe('2024031');
    expect(fromCell({ kind: 'boolean' }, '是')).toBe(true);
  });

  it('refuses dates that are not calendar dates, lie ahead, or predate the programmes', () => {
    const date = { name: 'paidOn', column: 'paid_on', type: { kind: 'date' as const, aheadDays: 0 }, description: '', csv: { en: 'paidOn', zh: '发放日期' } };
    const one = (value: unknown) => validateRecord({ ...facet, fields: [date], check: undefined }, { paidOn: value }, TODAY).problems.map((p) => p.code);
    expect(one('2024-02-30')).toEqual(['INVALID_FORMAT']);
    expect(one('2026-11-30')).toEqual(['OUT_OF_RANGE']);
    expect(one('1979-12-31')).toEqual(['OUT_OF_RANGE']);
    expect(one('2026-11-29')).toEqual([]);
  });

  it('publishes the parent key first, then the writable fields with Chinese headers', () => {
    expect(columnSpecOf(facet).map((c) => [c.header, c.zh, c.required])).toEqual([
      ['idNumber', '身份证号', true],
      ['year', '参保年度', true],
      ['scheme', '险种', true],
      ['premium', '个人缴费标准', true],
      ['subsidy', '资助参保金额', true],
    ]);
  });
});
