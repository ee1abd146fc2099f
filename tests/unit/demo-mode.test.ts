import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isEmbeddedDemo, loadConfig } from '../../src/core/config';
import { demoTokens, explorerHeadersFor, isLoopback } from '../../src/core/demo';

// Issue 7 §1, "Nobody is handed a token": demo tokens exist only in the embedded demo (no
// database, no key), and the explorer carries one only for a caller on this machine.

const SECRET = 's'.repeat(40);

describe('embedded demo mode', () => {
  it('is the embedded demo only without DATABASE_URL and without any configured key', () => {
    expect(isEmbeddedDemo({})).toBe(true);
    expect(isEmbeddedDemo({ DATABASE_URL: 'postgres://u@h:5432/d' })).toBe(false);
    expect(isEmbeddedDemo({ AUTH_JWT_SECRET: SECRET })).toBe(false);
    expect(isEmbeddedDemo({ AUTH_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----' })).toBe(false);
    expect(isEmbeddedDemo({ AUTH_JWKS_URL: 'https://idp.example/jwks' })).toBe(false);
  });

  it('listens on loopback and seeds the demo by default only in the embedded demo', () => {
    expect(loadConfig({})).toMatchObject({ HOST: '127.0.0.1', SEED: 'demo' });
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h:5432/d' })).toMatchObject({ HOST: '0.0.0.0', SEED: 'none' });
    expect(loadConfig({ AUTH_JWT_SECRET: SECRET })).toMatchObject({ HOST: '0.0.0.0', SEED: 'none' });
    // What an operator writes explicitly is honoured.
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h:5432/d', SEED: 'demo', HOST: '10.0.0.1' })).toMatchObject({ HOST: '10.0.0.1', SEED: 'demo' });
    expect(loadConfig({ HOST: '0.0.0.0' }).HOST).toBe('0.0.0.0');
  });

  it('mints demo tokens only in the embedded demo', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hg-demo-'));
    try {
      expect(await demoTokens(loadConfig({ DATA_DIR: dataDir, AUTH_JWT_SECRET: SECRET }))).toBeNull();
      expect(await demoTokens(loadConfig({ DATA_DIR: dataDir, DATABASE_URL: 'postgres://u@h:5432/d' }))).toBeNull();
      const tokens = await demoTokens(loadConfig({ DATA_DIR: dataDir }));
      expect(tokens?.map((t) => t.label)).toContain('coordinator');
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('pre-fills the explorer only for a loopback peer, whatever a forwarding header says', () => {
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1', '127.0.0.53']) expect({ address, loopback: isLoopback(address) }).toEqual({ address, loopback: true });
    for (const address of [undefined, '', '10.0.0.5', '::ffff:10.0.0.5', '192.168.1.2', '2001:db8::1', '::ffff:128.0.0.1', '127.0.0.1.evil']) {
      expect({ address, loopback: isLoopback(address) }).toEqual({ address, loopback: false });
    }
    const headers = '{"Authorization":"Bearer demo"}';
    expect(explorerHeadersFor('127.0.0.1', headers)).toBe(headers);
    expect(explorerHeadersFor('203.0.113.9', headers)).toBeUndefined();
    expect(explorerHeadersFor('127.0.0.1', undefined)).toBeUndefined();
  });
});
