import { Q0_TYPENAME, Q1_HOUSEHOLD_CARD, Q2_VILLAGE_DASHBOARD, Q3_COUNTY_ROLLUP } from './queries';
import type { Target, Targets } from './targets';

/** One bench question as both servers are asked it. */
export interface Question {
  key: 'Q0' | 'Q1' | 'Q2' | 'Q3';
  title: string;
  /** The goal: app req/s ÷ baseline req/s at least `ratio`, or at most `nodeCpuMs` of the app's Node CPU per request. */
  goal: { ratio: number } | { nodeCpuMs: number };
  targets(t: Targets): Target[];
  /** The app's request body (POST /graphql); the token carries the county scope. */
  appBody(key: string): string;
  /** The baseline's request path (GET); `scope` stands in for the token's scope claim. Null: app only. */
  baselinePath: ((target: Target) => string) | null;
}

const gql = (query: string, variables: Record<string, string>) => JSON.stringify({ query, variables });
const path = (route: string, param: string, t: Target) => `/${route}?${param}=${encodeURIComponent(t.key)}&scope=${t.county}`;

export const QUESTIONS: Question[] = [
  {
    // No baseline: there is nothing to read; the figure is the app's own CPU per request.
    key: 'Q0',
    title: '{ __typename }',
    goal: { nodeCpuMs: 0.25 },
    targets: (t) => t.counties,
    appBody: () => JSON.stringify({ query: Q0_TYPENAME }),
    baselinePath: null,
  },
  {
    key: 'Q1',
    title: 'household card',
    goal: { ratio: 0.5 },
    targets: (t) => t.households,
    appBody: (id) => gql(Q1_HOUSEHOLD_CARD, { id }),
    baselinePath: (t) => path('q1', 'id', t),
  },
  {
    key: 'Q2',
    title: 'village dashboard',
    goal: { ratio: 0.5 },
    targets: (t) => t.villages,
    appBody: (code) => gql(Q2_VILLAGE_DASHBOARD, { code }),
    baselinePath: (t) => path('q2', 'code', t),
  },
  {
    key: 'Q3',
    title: 'county rollup',
    goal: { ratio: 0.8 },
    targets: (t) => t.counties,
    appBody: (code) => gql(Q3_COUNTY_ROLLUP, { code }),
    baselinePath: (t) => path('q3', 'code', t),
  },
];
