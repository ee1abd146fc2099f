import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { FACETS } from '../src/modules/facets';
import { columnTablesIn, renderColumnTables, replaceColumnTables } from '../src/modules/exports';

/**
 * `npm run readme:columns`: rewrites the README's "Import and export columns (导入导出列)"
 * tables from the facet declarations. With `--check`, changes nothing and exits 1 when the
 * README's tables differ from the declarations.
 */
function main(): void {
  const file = path.resolve(__dirname, '../README.md');
  const readme = fs.readFileSync(file, 'utf8');
  const rendered = renderColumnTables(FACETS);
  if (process.argv.includes('--check')) {
    if (columnTablesIn(readme) !== rendered) {
      process.stderr.write('README.md: the import and export column tables differ from the facet declarations; run `npm run readme:columns`\n');
      process.exit(1);
    }
    process.stdout.write('README.md column tables are up to date\n');
    return;
  }
  const updated = replaceColumnTables(readme, rendered);
  if (updated !== readme) fs.writeFileSync(file, updated);
  process.stdout.write(`README.md: ${updated === readme ? 'column tables already up to date' : 'column tables rewritten'} (${FACETS.length} kinds)\n`);
}

main();
