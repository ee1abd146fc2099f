import { parentPort, workerData } from 'node:worker_threads';
import { auditedSuppression } from './disclosure-audit';
import type { Equation } from './disclosure';

// The audited suppression of one release, on a worker thread (disclosure-audit.ts runs HiGHS
// synchronously: on the server's main thread a large catalog would hold every request).

interface Job {
  values: number[];
  equations: Equation[];
  minCell: number;
  alreadySuppressed: number[];
  yearPairs: Array<[number, number]>;
}

const job = workerData as Job;
auditedSuppression(job.values, job.equations, { minCell: job.minCell, alreadySuppressed: new Set(job.alreadySuppressed), yearPairs: job.yearPairs }).then(
  (result) => parentPort?.postMessage({ result }),
  (err: unknown) => parentPort?.postMessage({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
);
