// ESLint: typescript-eslint's recommended type-checked rules, plus the import rules that keep the
// module boundaries (STYLE.md habit 1): no import cycles, and no file reaches into another
// module's internals; modules meet only through src/modules/<m>/index.ts. `npm test` runs this
// with --max-warnings=0 between `tsc --noEmit` and jest (`npm run lint` alone).
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';

const root = dirname(fileURLToPath(import.meta.url));
const modules = readdirSync(`${root}/src/modules`, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

// One zone per module: a file outside src/modules/<m>/ may import only its index.ts, and its
// TypeORM entity files (*.entity.ts, *.entities.ts, *.embedded.ts): entities are loaded by
// ormconfig before any resolver, and an entity that imported another module's index would load
// that module's resolvers half-way through (it broke the schema under jest). The files
// directly in src/modules/ (index.ts, entities.ts, facets.ts, facet-resolvers.ts) are the
// composition root that lists every module's resolvers, entities and facets, so they are not a
// target. Tests are not a target either: a unit test may open up one module's internals.
const moduleBoundaries = modules.map((m) => ({
  target: [
    `${root}/*.ts`,
    `${root}/{bench,scripts,seeds,migrations}/**/*.ts`,
    `${root}/src/*.ts`,
    `${root}/src/!(modules)/**/*.ts`,
    `${root}/src/modules/!(${m})/**/*.ts`,
  ],
  from: [`${root}/src/modules/${m}/**`],
  // (globs, as the rule requires when `from` is one)
  except: [`${root}/src/modules/${m}/index.{ts,js}`, `${root}/src/modules/${m}/*.{entity,entities,embedded}.ts`],
  message: `Import "${m}" through src/modules/${m}/index.ts (its public surface) or its entity files.`,
}));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'schema/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: './tsconfig.json', tsconfigRootDir: root },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json', '.node'] })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', {
        zones: [
          ...moduleBoundaries,
          // Core writes audit records through the sink on the request context (core/audit-sink.ts).
          { target: `${root}/src/core/**`, from: `${root}/src/modules/audit/**`, message: 'core reaches the audit module only through ctx.audit (core/audit-sink.ts).' },
        ],
      }],
      // type-graphql's and TypeORM's own APIs type classes as `Function` (buildSchema's
      // resolvers, metadata `target`, migrations); our lists and metadata readers mirror them.
      '@typescript-eslint/no-unsafe-function-type': 'off',
      // Apollo's plugin hooks are async by interface; a hook with nothing to await stays async.
      '@typescript-eslint/require-await': 'off',
      // tsc's noUnusedLocals/noUnusedParameters already fail on unused names; a leading
      // underscore is the usual "deliberately unused" (rest siblings that strip a field, Express's
      // four-argument error handler).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['tests/**/*.ts'],
    rules: {
      // A test reads GraphQL answers from supertest's `res.body`, which is `any` by design, and
      // asserts them field by field; typing every answer would restate the schema in each test.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
