import fs from 'node:fs';
import path from 'node:path';

/**
 * A secret the embedded demo keeps in DATA_DIR (the dev signing key, the app role's password,
 * the audit checkpoint key): read from `DATA_DIR/<name>`, or generated once with `generate` and
 * written there (mode 0600). Two processes starting at once keep the same one: the file is
 * created exclusively, and the one that loses the race reads the winner's.
 */
export function dataDirSecret(dataDir: string, name: string, generate: () => string): string {
  const file = path.join(dataDir, name);
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    fs.writeFileSync(file, `${generate()}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return fs.readFileSync(file, 'utf8').trim();
}
