import type { Question } from './questions';
import type { Target } from './targets';

/** One response as the bench sees it. */
export interface Sample {
  status: number;
  body: { data?: unknown; errors?: Array<{ message: string }> };
  sqlStatements: number;
}

export async function askApp(baseUrl: string, authorization: string, q: Question, target: Target): Promise<Sample> {
  const res = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: q.appBody(target.key),
  });
  return { status: res.status, body: (await res.json()) as Sample['body'], sqlStatements: Number(res.headers.get('x-sql-statements') ?? NaN) };
}

export async function askBaseline(baseUrl: string, q: Question, target: Target): Promise<Sample> {
  if (!q.baselinePath) throw new Error(`${q.key} has no baseline`);
  const res = await fetch(`${baseUrl}${q.baselinePath(target)}`);
  return { status: res.status, body: (await res.json()) as Sample['body'], sqlStatements: Number(res.headers.get('x-sql-statements') ?? NaN) };
}

export interface Difference {
  path: string;
  /** `shape`: a count, a key or null-ness differs (fatal); `value`: a leaf value differs. */
  kind: 'shape' | 'value';
  app: unknown;
  baseline: unknown;
}

/** Structural comparison of two JSON values; key order does not matter, array order does. */
export function differences(app: unknown, baseline: unknown, path = 'data', out: Difference[] = []): Difference[] {
  if (Array.isArray(app) && Array.isArray(baseline)) {
    if (app.length !== baseline.length) out.push({ path: `${path}.length`, kind: 'shape', app: app.length, baseline: baseline.length });
    for (let i = 0; i < Math.min(app.length, baseline.length); i++) differences(app[i], baseline[i], `${path}[${i}]`, out);
  } else if (isObject(app) && isObject(baseline)) {
    for (const key of new Set([...Object.keys(app), ...Object.keys(baseline)])) {
      if (!(key in app) || !(key in baseline)) out.push({ path: `${path}.${key}`, kind: 'shape', app: app[key], baseline: baseline[key] });
      else differences(app[key], baseline[key], `${path}.${key}`, out);
    }
  } else if (isObject(app) || isObject(baseline) || Array.isArray(app) || Array.isArray(baseline) || (app === null) !== (baseline === null)) {
    out.push({ path, kind: 'shape', app, baseline });
  } else if (app !== baseline) {
    out.push({ path, kind: 'value', app, baseline });
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Fails when a sample carries errors or is not a 200. */
export function assertClean(server: string, q: Question, target: Target, s: Sample): void {
  if (s.status !== 200 || s.body.errors?.length || s.body.data == null) {
    const why = s.body.errors?.map((e) => e.message).join('; ') ?? `HTTP ${s.status}`;
    throw new Error(`${q.key} ${q.title}: the ${server} answered target ${target.key} with errors (${why}); a bench of error responses is worthless`);
  }
}
