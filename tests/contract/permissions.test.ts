import fs from 'node:fs';
import path from 'node:path';
import { permissionMap } from '../../src/core/auth/permission-map';
import { privacyMatrix } from '../../src/core/privacy';

const committed = (name: string) => JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../schema', name), 'utf8'));

describe('default deny', () => {
  it('every query, mutation, subscription and resolved field states who may call it', async () => {
    const map = await permissionMap();
    const open = Object.entries(map).filter(([, roles]) => roles === null).map(([op]) => op);
    expect(open).toEqual([]);
    expect(Object.keys(map).length).toBeGreaterThan(20);
  });

  // A diff in these files is a permission change: review it as one, not as a snapshot refresh.
  it('the operation → permission map matches schema/permissions.json (run `npm run schema:emit`)', async () => {
    expect(await permissionMap()).toEqual(committed('permissions.json'));
  });

  it('the field-privacy matrix matches schema/privacy-matrix.json', () => {
    expect(privacyMatrix()).toEqual(committed('privacy-matrix.json'));
  });
});
