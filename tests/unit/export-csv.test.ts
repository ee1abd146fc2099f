import { parse } from 'csv-parse/sync';
import type { FacetDeclaration, FacetField } from '../../src/core/facet-declaration';
import { fromCell, validateValue } from '../../src/core/facet-validate';
import { isMinor } from '../../src/core/privacy';
import { InsuranceScheme } from '../../src/core/vocab';
import { exportCsvText, exportSql, minorBirthDateBound, toCell } from '../../src/modules/exports';

// Cells written by an export read back through `fromCell` (the import side) to the same value,
// for every value type a declaration can use.

const TODAY = '2026-11-29';
const field = (name: string, type: FacetField['type'], extra: Partial<FacetField> = {}): FacetField => ({
  name, column: name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), type, description: `${name} 测试`, csv: { en: name, zh: `列${name}` }, ...extra,
});

const FIELDS: FacetField[] = [
  field('note', { kind: 'text', maxLength: 200 }, { nullable: true }),
  field('count', { kind: 'int', min: -5, max: 1000 }),
  field('year', { kind: 'year', min: 2003, aheadYears: 1 }),
  field('amount', { kind: 'money', min: 0, max: 1_000_000 }),
  field('startDate', { kind: 'date', aheadDays: 0 }),
  field('scheme', { kind: 'enum', values: InsuranceScheme, enumName: 'insurance_scheme' }),
  field('active', { kind: 'boolean' }),
];

const facet: FacetDeclaration = {
  kind: 'test-kind', typeName: 'TestKind', description: '测试 test kind.', table: 'test_kind', department: 'health' as FacetDeclaration['department'],
  parent: 'household', fields: FIELDS, naturalKey: [], orderBy: 'f.id', edge: { field: 'tests', description: '测试' }, mutations: 'custom',
};

describe('export cells', () => {
  const values: Array<[FacetField, unknown[]]> = [
    [FIELDS[0], ['低保户, "老王"\n第二行', '=1+1', null]],
    [FIELDS[1], [0, -5, 1000, 42]],
    [FIELDS[2], [2003, 2027]],
    [FIELDS[3], [0, 0.1, 12.5, 455.5, 999_999.99, '380.00', '0.10']],
    [FIELDS[4], ['1980-01-01', '2024-02-29']],
    [FIELDS[5], ['resident', 'EMPLOYEE']],
    [FIELDS[6], [true, false]],
  ];

  it.each(values.map(([f, vs]) => [f.type.kind, f, vs] as const))('%s values read back to themselves', (_kind, f, vs) => {
    for (const v of vs) {
      const cell = toCell(f.type, v);
      const back = fromCell(f.type, cell);
      if (v === null) {
        expect(back).toBeNull();
        continue;
      }
      const expected = f.type.kind === 'money' ? Number(v) : f.type.kind === 'enum' ? f.type.values[v as string] ?? v : v;
      expect({ v, back }).toEqual({ v, back: expected });
      const checked = validateValue(f, back, TODAY);
      if (f.type.kind !== 'text') expect({ v, checked }).toEqual({ v, checked: { value: expected } });
    }
  });

  it('money has exactly two decimals and never an exponent', () => {
    expect([0, 0.1, 12.5, 1e-7, 999_999.99].map((v) => toCell({ kind: 'money', min: 0, max: 1e6 }, v))).toEqual(['0.00', '0.10', '12.50', '0.00', '999999.99']);
  });

  it('exportCsvText quotes what needs quoting, so csv-parse reads the same cells back', () => {
    const rows = [
      { householdNumber: '9918010010001', note: '低保户, "老王"\n第二行', count: 3, year: 2024, amount: 455.5, startDate: '2024-02-29', scheme: 'RESIDENT', active: true },
      { householdNumber: '9918010010002', note: null, count: 0, year: 2025, amount: '0.00', startDate: '2024-03-01', scheme: 'employee', active: false },
    ];
    const text = exportCsvText(facet, rows);
    expect(parse(text)).toEqual([
      ['householdNumber', 'note', 'count', 'year', 'amount', 'startDate', 'scheme', 'active'],
      ['9918010010001', '低保户, "老王"\n第二行', '3', '2024', '455.50', '2024-02-29', 'resident', 'true'],
      ['9918010010002', '', '0', '2025', '0.00', '2024-03-01', 'employee', 'false'],
    ]);
    expect(exportCsvText(facet, [], { header: 'zh' })).toBe('户编号,列note,列count,列year,列amount,列startDate,列scheme,列active\r\n');
  });
});

describe('export SQL', () => {
  it('withholds exactly the people isMinor calls minors', () => {
    for (const today of ['2026-11-29', '2026-02-28', '2028-02-29', '2027-01-01']) {
      const bound = minorBirthDateBound(today);
      for (const birth of ['2008-11-29', '2008-11-30', '2008-11-28', '2010-02-28', '2010-02-29', '2010-03-01', '2009-01-01', '2009-01-02', '1970-05-01', '2014-09-10']) {
        expect({ today, birth, minor: birth > bound }).toEqual({ today, birth, minor: isMinor(birth, today) });
      }
    }
  });

  it('puts the scope inside both statements and reads the parent key from the parent row', () => {
    const sql = exportSql(facet, { regionPrefix: '991801001' }, { withholdMinors: false, today: TODAY });
    for (const s of [sql.summary, sql.rows]) {
      expect(s.text).toContain('f.county_code = $1');
      expect(s.params).toEqual(['991801', '991801001']);
    }
    expect(sql.rows.text).toContain('h.number AS "householdNumber"');
    expect(sql.rows.text).toMatch(/ORDER BY f\.id$/);
  });

  it('refuses a declaration whose names are not plain SQL identifiers', () => {
    expect(() => exportSql({ ...facet, table: 'x; DROP TABLE person' }, { regionPrefix: '99' }, { withholdMinors: false, today: TODAY })).toThrow(/unsafe SQL identifier/);
  });
});
