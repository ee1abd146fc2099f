import fs from 'node:fs';
import path from 'node:path';
import { permissionMap } from '../src/core/auth/permission-map';
import { privacyMatrix } from '../src/core/privacy';
import { printAppSchema } from '../src/core/schema';

/**
 * `npm run schema:emit`: writes the checked-in contract files — the sorted SDL, the operation →
 * permission map and the field-privacy matrix. Tests fail when the code and these disagree.
 */
async function main(): Promise<void> {
  const dir = path.resolve(__dirname, '../schema');
  const files: Array<[string, string]> = [
    ['schema.graphql', await printAppSchema()],
    ['permissions.json', `${JSON.stringify(await permissionMap(), null, 2)}\n`],
    ['privacy-matrix.json', `${JSON.stringify(privacyMatrix(), null, 2)}\n`],
  ];
  for (const [name, text] of files) {
    fs.writeFileSync(path.join(dir, name), text);
    process.stdout.write(`wrote schema/${name}\n`);
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
