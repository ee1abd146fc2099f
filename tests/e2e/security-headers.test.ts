import pino from 'pino';
import request from 'supertest';
import { dataSource } from '../../ormconfig';
import { TokenVerifier } from '../../src/core/auth';
import { createServer, type AppServer } from '../../src/core/server';
import { bearer, TEST_AUTH } from '../support/app';

// Security headers (issue 10 §2) on the explorer page and on API answers, with a content
// security policy the offline explorer still runs under: no inline script, every script and
// stylesheet from this server. No fixture data.

describe('security headers and the explorer under its content security policy', () => {
  let server: AppServer;

  beforeAll(async () => {
    dataSource.setOptions({ url: process.env.TEST_APP_DATABASE_URL as string });
    if (!dataSource.isInitialized) await dataSource.initialize();
    server = await createServer({
      dataSource, verifier: await TokenVerifier.create(TEST_AUTH), config: { EXPOSE_SQL_COUNT: false }, logger: pino({ level: 'silent' }),
      explorerHeaders: JSON.stringify({ Authorization: 'Bearer </script><script>alert(1)</script>' }),
    });
  });
  afterAll(async () => {
    await server?.close();
    await dataSource.destroy();
  });

  const expectUsualHeaders = (headers: Record<string, string>) => {
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(headers['x-powered-by']).toBeUndefined();
    const csp = headers['content-security-policy'];
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
  };

  it('sends them with the explorer page, which runs no inline script and loads everything from this server', async () => {
    const res = await request(server.app).get('/graphql').set('accept', 'text/html').set('x-forwarded-for', '203.0.113.9');
    expect(res.status).toBe(200);
    expectUsualHeaders(res.headers);
    const html = res.text;
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThanOrEqual(4);
    for (const [, attrs, body] of scripts) {
      // Either a script file from this server, or a data block the browser does not run.
      if (/type="application\/json"/.test(attrs)) continue;
      expect(attrs).toMatch(/src="\/explorer\/assets\/[\w.-]+"/);
      expect(body.trim()).toBe('');
    }
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets.length).toBeGreaterThan(0);
    expect(assets.every((a) => a.startsWith('/explorer/assets/'))).toBe(true);
    for (const asset of assets) {
      const got = await request(server.app).get(asset);
      expect([asset, got.status]).toEqual([asset, 200]);
    }
  });

  it('keeps the boot script valid and the settings block unbreakable', async () => {
    const boot = await request(server.app).get('/explorer/assets/boot.js');
    expect(boot.headers['content-type']).toMatch(/javascript/);
    // Compiled, never run: a syntax error in the served script would throw here.
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    expect(() => new Function(boot.text)).not.toThrow();
    expect(boot.text).toContain("getElementById('explorer-config')");
  });

  it('sends them with API answers too', async () => {
    const res = await request(server.app).post('/graphql').set('content-type', 'application/json').set('authorization', await bearer()).send({ query: '{ __typename }' });
    expect(res.status).toBe(200);
    expectUsualHeaders(res.headers);
  });
});
