import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSchema, getNamedType, parse, type OperationDefinitionNode } from 'graphql';
import ts from 'typescript';

// Client tooling (issue 10 §3): what a departmental frontend builds with must accept the
// checked-in schema and the README's operations. graphql-codegen generates TypeScript types for
// every README operation and the result type-checks; relay-compiler (its own binary, offline)
// compiles them, plus a paginated, refetchable fragment over every connection on Query.

const ROOT = path.resolve(__dirname, '../..');
const SCHEMA = path.join(ROOT, 'schema', 'schema.graphql');
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const examples = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);

/** The README's operations, each named (an anonymous one gets a name) and numbered. */
const operations = examples.map((text, i) => {
  const op = parse(text).definitions[0] as OperationDefinitionNode;
  // Where the operation keyword starts (after any leading comment), for renaming it.
  return { i, kind: op.operation, name: op.name?.value, text, start: op.loc!.start };
});

/** The example with its operation named `name` (named or anonymous before). */
function renamed(o: (typeof operations)[number], name: string): string {
  const head = o.text.slice(0, o.start);
  const rest = o.text.slice(o.start);
  return head + (o.name ? rest.replace(new RegExp(`^(${o.kind}\\s+)${o.name}\\b`), `$1${name}`) : rest.replace(new RegExp(`^${o.kind}`), `${o.kind} ${name}`));
}

/** The connections on Query (fields whose type ends in Connection!), from the schema text. */
const schemaText = fs.readFileSync(SCHEMA, 'utf8');
const queryConnections = Object.values(buildSchema(schemaText).getQueryType()!.getFields())
  .filter((f) => getNamedType(f.type).name.endsWith('Connection'))
  .map((f) => ({ field: f.name }));

describe('graphql-codegen', () => {
  it('generates types for every README operation, and they type-check', async () => {
    expect(operations.length).toBeGreaterThanOrEqual(3);
    const documents = operations.map((o) => ({
      location: `readme-${o.i}.graphql`,
      // codegen wants unique operation names; the README may reuse one in two examples.
      text: renamed(o, o.name ? `${o.name}${o.i}` : `Readme${o.i}`),
    }));
    const run = spawnSync(process.execPath, [path.join(__dirname, '..', 'support', 'codegen-run.js'), SCHEMA], { cwd: ROOT, input: JSON.stringify(documents), encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const output = run.stdout;
    for (const o of operations) {
      const name = o.name ? `${o.name}${o.i}` : `Readme${o.i}`;
      expect(output).toContain(`export type ${name}${o.kind[0].toUpperCase()}${o.kind.slice(1)} = `);
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hg-codegen-'));
    try {
      const file = path.join(dir, 'readme-operations.ts');
      fs.writeFileSync(file, output);
      const program = ts.createProgram([file], { strict: true, noEmit: true, skipLibCheck: true, types: [] });
      expect(ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('relay-compiler', () => {
  it('compiles the README operations, a paginated fragment per connection on Query, and refetchable fragments on Region, Village and Household', () => {
    expect(queryConnections.length).toBeGreaterThanOrEqual(4);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hg-relay-'));
    try {
      fs.mkdirSync(path.join(dir, 'src'));
      fs.writeFileSync(path.join(dir, 'relay.config.json'), JSON.stringify({ src: './src', schema: SCHEMA, language: 'typescript' }));
      const modules: string[] = [];
      // Relay names an operation after its module: ReadmeN + Query / Mutation.
      for (const o of operations) {
        const module = `Readme${o.i}`;
        const name = `${module}${o.kind[0].toUpperCase()}${o.kind.slice(1)}`;
        const text = renamed(o, name);
        fs.writeFileSync(path.join(dir, 'src', `${module}.ts`), `import { graphql } from 'relay-runtime';\nexport const operation = graphql\`\n${text}\`;\n`);
        modules.push(name);
      }
      for (const { field } of queryConnections) {
        const module = `Page${field[0].toUpperCase()}${field.slice(1)}`;
        const fragment = `fragment ${module}_query on Query
          @refetchable(queryName: "${module}PaginationQuery")
          @argumentDefinitions(count: { type: "Int", defaultValue: 10 }, cursor: { type: "String" }) {
          ${field}(first: $count, after: $cursor) @connection(key: "${module}_${field}") {
            totalCount
            edges { cursor node { __typename } }
          }
        }`;
        fs.writeFileSync(path.join(dir, 'src', `${module}.ts`), `import { graphql } from 'relay-runtime';\nexport const fragment = graphql\`\n${fragment}\`;\n`);
        modules.push(`${module}PaginationQuery`);
      }
      // Fragments on nodes (issue 10 §3): refetchable through Query.node, paginated over the
      // household connections of a region and a village, and a household refetched by its id.
      const nodeFragments: Array<[string, string]> = [
        ['RegionHouseholds', `fragment RegionHouseholds_region on Region
          @refetchable(queryName: "RegionHouseholdsPaginationQuery")
          @argumentDefinitions(count: { type: "Int" }, cursor: { type: "String" }) {
          code
          households(first: $count, after: $cursor) @connection(key: "RegionHouseholds_households") {
            totalCount
            edges { node { id number status } }
          }
        }`],
        ['VillageHouseholds', `fragment VillageHouseholds_village on Village
          @refetchable(queryName: "VillageHouseholdsPaginationQuery")
          @argumentDefinitions(count: { type: "Int", defaultValue: 10 }, cursor: { type: "String" }) {
          code isPovertyVillage
          households(first: $count, after: $cursor) @connection(key: "VillageHouseholds_households") {
            edges { node { id number members { id relation } } }
          }
        }`],
        ['HouseholdCard', `fragment HouseholdCard_household on Household
          @refetchable(queryName: "HouseholdCardRefetchQuery")
          @argumentDefinitions(year: { type: "Int", defaultValue: 2024 }) {
          number status income(year: $year) { perCapitaNetIncome }
          members { id databaseId relation }
        }`],
      ];
      for (const [module, fragment] of nodeFragments) {
        fs.writeFileSync(path.join(dir, 'src', `${module}.ts`), `import { graphql } from 'relay-runtime';\nexport const fragment = graphql\`\n${fragment}\`;\n`);
      }
      modules.push('RegionHouseholdsPaginationQuery', 'VillageHouseholdsPaginationQuery', 'HouseholdCardRefetchQuery');
      const binary = path.join(ROOT, 'node_modules', 'relay-compiler', `${process.platform === 'darwin' ? 'macos' : process.platform}-${process.arch}`, 'relay');
      const run = spawnSync(binary, [], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
      expect({ status: run.status, errors: `${run.stdout}${run.stderr}`.split('\n').filter((l) => /ERROR|error/.test(l)) }).toEqual({ status: 0, errors: [] });
      const generated = fs.readdirSync(path.join(dir, 'src', '__generated__'));
      for (const name of modules) expect(generated).toContain(`${name}.graphql.ts`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
