import { badInput } from '../../src/core/errors';
import { DIMENSIONS, METRICS, ReportDimension, ReportMetric, checkDefinition, reportStatement } from '../../src/modules/reports';
import type { Grain } from '../../src/modules/reports';

// The report catalog on its own (no database): every dimension × metric pair is either refused
// naming both, or becomes a statement that reads no identifier column.

const ALL_DIMENSIONS = Object.values(ReportDimension);
const ALL_METRICS = Object.values(ReportMetric);
const grainOf = (m: ReportMetric): Grain => METRICS[m].grain;

describe('report catalog', () => {
  it('describes every dimension and metric in Chinese and English', () => {
    for (const d of ALL_DIMENSIONS) expect([d, DIMENSIONS[d].zh.length > 0, DIMENSIONS[d].en.length > 0]).toEqual([d, true, true]);
    for (const m of ALL_METRICS) expect([m, /[\u4e00-\u9fff]/.test(METRICS[m].zh), METRICS[m].en.length > 0]).toEqual([m, true, true]);
  });

  it('accepts a pair exactly when the metric\'s grain carries the dimension, and refuses it naming both', () => {
    for (const d of ALL_DIMENSIONS) {
      for (const m of ALL_METRICS) {
        const compatible = DIMENSIONS[d].on[grainOf(m)] !== undefined;
        const check = () => checkDefinition({ dimensions: [d], metrics: [m] });
        if (compatible) expect(check).not.toThrow();
        else expect(check).toThrow(new RegExp(`${d} does not combine with ${m}`));
      }
    }
    expect(badInput('x', 'y').extensions.code).toBe('BAD_USER_INPUT');
  });

  it('never reads an ID number, a name, a household number or a birth date beyond its year', () => {
    const texts: string[] = [];
    for (const d of ALL_DIMENSIONS) {
      const metrics = ALL_METRICS.filter((m) => DIMENSIONS[d].on[grainOf(m)] !== undefined);
      // One metric per grain at a time (a report asks metrics of grains that all carry d).
      for (const m of metrics) texts.push(reportStatement({ dimensions: [d], metrics: [m] }, { regionPrefix: '43' }, '2024-12-31').text);
    }
    expect(texts.length).toBeGreaterThan(60);
    for (const text of texts) {
      expect(text).not.toMatch(/id_number|\.name\b(?! AS region_name)|\bnumber\b|contact_person|diagnosis|icd10/);
      // The birth date appears only as its year (age bands and school age by year of birth).
      expect(text.replace(/extract\(year FROM p\.birth_date\)/g, '')).not.toMatch(/birth_date/);
    }
  });

  it('puts the scope inside every branch of the one statement', () => {
    const s = reportStatement({ dimensions: [ReportDimension.REGION_TOWNSHIP], metrics: [ReportMetric.HOUSEHOLDS, ReportMetric.MEASURES, ReportMetric.FUND_ALLOCATED, ReportMetric.INSURED_PERSONS] }, { regionPrefix: '431226' }, '2024-12-31');
    expect(s.params).toEqual(['2024-12-31', '431226']);
    const branches = s.text.split('UNION ALL');
    expect(branches).toHaveLength(3);
    for (const b of branches) expect(b).toMatch(/>= \(\$2\)::text COLLATE "C"/);
    // Nothing visible: every branch is cut to nothing, and the grand total still answers.
    const none = reportStatement({ dimensions: [], metrics: [ReportMetric.HOUSEHOLDS] }, { regionPrefix: '431226' }, '2024-12-31');
    expect(none.text).not.toMatch(/GROUPING SETS/);
    const outside = reportStatement({ dimensions: [], metrics: [ReportMetric.HOUSEHOLDS], filter: { regionCode: '4312' } }, { regionPrefix: '431226' }, '2024-12-31');
    expect(outside.params).toEqual(['2024-12-31', '431226']);
    const foreign = reportStatement({ dimensions: [], metrics: [ReportMetric.HOUSEHOLDS], filter: { regionCode: '4501' } }, { regionPrefix: '431226' }, '2024-12-31');
    expect(foreign.text).toMatch(/WHERE FALSE/);
  });
});
