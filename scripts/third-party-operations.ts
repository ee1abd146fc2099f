import fs from 'node:fs';
import path from 'node:path';
// eslint-disable-next-line import-x/no-restricted-paths -- a build tool: the manifest builder validates against the schema, which the module's index cannot import without a cycle
import { buildOperationManifest, MANIFEST_FILE, manifestText } from '../src/modules/api-keys/operation-manifest';

/**
 * `npm run third-party:manifest`: registers the operations of schema/third-party/*.graphql in
 * schema/third-party-operations.json (each validated; see src/modules/api-keys/operation-manifest.ts).
 * With `-- --check`, writes nothing and fails when the committed manifest differs.
 */
async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..');
  const text = manifestText(await buildOperationManifest(root));
  const file = path.join(root, MANIFEST_FILE);
  if (process.argv.includes('--check')) {
    const committed = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (committed !== text) throw new Error(`${MANIFEST_FILE} is out of date: run npm run third-party:manifest`);
    process.stdout.write(`${MANIFEST_FILE} is up to date\n`);
    return;
  }
  fs.writeFileSync(file, text);
  process.stdout.write(`wrote ${MANIFEST_FILE}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
