import { issueToken, Role } from './auth';
import { Config, isEmbeddedDemo } from './config';
import { Department } from './vocab';

// The embedded demo's conveniences, and the rules that keep them out of a real deployment: demo
// tokens exist only in the embedded demo (config.isEmbeddedDemo), and the explorer is pre-filled
// with one only for a caller on this machine.

/** The demo county seeded by `SEED=demo`: 麻阳苗族自治县 (Huaihua, Hunan). */
export const DEMO_COUNTY = '431226';

/**
 * Whether a socket's peer is this machine. The peer address of the TCP connection itself, never a
 * forwarding header (`X-Forwarded-For` is whatever the caller wrote); an unknown address is not
 * loopback.
 */
export function isLoopback(remoteAddress: string | undefined): boolean {
  if (!remoteAddress) return false;
  const address = remoteAddress.startsWith('::ffff:') ? remoteAddress.slice(7) : remoteAddress;
  return address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address);
}

/** The explorer's pre-filled headers for a caller at `remoteAddress`: the demo's only for loopback. */
export function explorerHeadersFor(remoteAddress: string | undefined, demoHeaders: string | undefined): string | undefined {
  return demoHeaders && isLoopback(remoteAddress) ? demoHeaders : undefined;
}

/** Demo tokens last 12 h, or less when AUTH_MAX_TOKEN_LIFETIME is shorter (the server would refuse them). */
export const demoTokenSeconds = (config: Pick<Config, 'AUTH_MAX_TOKEN_LIFETIME'>): number => Math.min(12 * 3600, config.AUTH_MAX_TOKEN_LIFETIME);

/**
 * One ready-to-paste token per role (and per department for officers), scoped to the demo county,
 * signed with the dev key. Null outside the embedded demo: with a database or a key of its own
 * no token is minted.
 */
export async function demoTokens(config: Config): Promise<Array<{ label: string; token: string }> | null> {
  if (!isEmbeddedDemo(config)) return null;
  const claims: Array<{ label: string; role: Role; department?: Department }> = [
    ...Object.values(Department).map((department) => ({ label: `officer (${department})`, role: Role.OFFICER, department })),
    { label: 'coordinator', role: Role.COORDINATOR },
    { label: 'analyst', role: Role.ANALYST },
    { label: 'auditor', role: Role.AUDITOR },
    { label: 'admin', role: Role.ADMIN },
  ];
  return Promise.all(
    claims.map(async (c) => ({
      label: c.label,
      token: await issueToken(config, { sub: `demo-${c.department ?? c.role}`, role: c.role, department: c.department, scope: DEMO_COUNTY }, `${demoTokenSeconds(config)}s`),
    })),
  );
}
