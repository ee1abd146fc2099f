import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Role } from '../../src/core/auth';
import { columnSpecOf } from '../../src/core/facet-declaration';
import { Department } from '../../src/core/vocab';
import { columnTablesIn, renderColumnTables } from '../../src/modules/exports';
import { FACETS } from '../../src/modules/facets';
import { bearer, startApp } from '../support/app';

// The published column spec (issue 8 §3): the README's tables and GraphQL `importSpec` both
// derive from the facet declarations, and neither may drift from them.

const REPO = path.resolve(__dirname, '../..');

describe('README import and export column tables', () => {
  it('are what the declarations render (run `npm run readme:columns` and commit the diff)', () => {
    const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
    expect(columnTablesIn(readme)).toBe(renderColumnTables(FACETS));
  });

  it('name every kind and every column of its spec, English and Chinese', () => {
    const rendered = renderColumnTables(FACETS);
    for (const facet of FACETS) {
      expect(rendered).toContain(`#### \`${facet.kind}\``);
      for (const column of columnSpecOf(facet)) expect(rendered).toContain(`| \`${column.header}\` | ${column.zh} |`);
    }
  });

  it('npm run readme:columns -- --check agrees (the README command works)', () => {
    const run = spawnSync('npm', ['run', '-s', 'readme:columns', '--', '--check'], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  }, 90_000);
});

describe('importSpec and importKinds (GraphQL)', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app?.stop();
  });

  const SPEC = `query ($kind: String!) {
    importSpec(kind: $kind) {
      kind description department parent parentKey naturalKey
      columns { header headerZh field required type allowedValues min max maxLength earliestDate latestDate description }
    }
  }`;

  it('serves the insurance-enrolment spec in file order, with bounds', async () => {
    const res = await app.gql(SPEC, { kind: 'insurance-enrolment' });
    expect(res.errors).toBeUndefined();
    const spec = res.data.importSpec;
    expect({ ...spec, columns: undefined, description: undefined }).toEqual({
      kind: 'insurance-enrolment', department: 'HEALTH', parent: 'PERSON', parentKey: 'idNumber', naturalKey: ['year'], columns: undefined, description: undefined,
    });
    const thisYear = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));
    expect(spec.columns.map((c: Record<string, unknown>) => ({ ...c, description: typeof c.description }))).toEqual([
      { header: 'idNumber', headerZh: '身份证号', field: 'idNumber', required: true, type: 'ID_NUMBER', allowedValues: null, min: null, max: null, maxLength: null, earliestDate: null, latestDate: null, description: 'string' },
      { header: 'year', headerZh: '参保年度', field: 'year', required: true, type: 'YEAR', allowedValues: null, min: 2003, max: thisYear + 1, maxLength: null, earliestDate: null, latestDate: null, description: 'string' },
      { header: 'scheme', headerZh: '险种', field: 'scheme', required: true, type: 'ENUM', allowedValues: ['resident', 'employee'], min: null, max: null, maxLength: null, earliestDate: null, latestDate: null, description: 'string' },
      { header: 'premium', headerZh: '个人缴费标准', field: 'premium', required: true, type: 'MONEY', allowedValues: null, min: 0, max: 20000, maxLength: null, earliestDate: null, latestDate: null, description: 'string' },
      { header: 'subsidy', headerZh: '资助参保金额', field: 'subsidy', required: true, type: 'MONEY', allowedValues: null, min: 0, max: 20000, maxLength: null, earliestDate: null, latestDate: null, description: 'string' },
    ]);
  });

  it('lists every declared kind, each the same as its own importSpec', async () => {
    const res = await app.gql(`{ importKinds { kind department columns { header headerZh } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.importKinds.map((k: { kind: string }) => k.kind)).toEqual(FACETS.map((f) => f.kind));
    for (const [i, facet] of FACETS.entries()) {
      expect(res.data.importKinds[i].columns).toEqual(columnSpecOf(facet).map((c) => ({ header: c.header, headerZh: c.zh })));
    }
  });

  it('is readable by every authenticated role (reference data), not by anonymous callers', async () => {
    const actors = [
      { role: Role.ANALYST }, { role: Role.AUDITOR }, { role: Role.ADMIN }, { role: Role.COORDINATOR },
      { role: Role.OFFICER, department: Department.EDUCATION },
    ];
    for (const actor of actors) {
      const res = await app.gql(`{ importKinds { kind } }`, {}, { authorization: await bearer({ ...actor, scope: '99' }) });
      expect({ actor, errors: res.errors }).toEqual({ actor, errors: undefined });
    }
    const anonymous = await app.gql(`{ importKinds { kind } }`, {}, { authorization: '' });
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('answers NOT_FOUND for an unknown kind', async () => {
    const res = await app.gql(SPEC, { kind: 'no-such-kind' });
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
  });
});
