import { createHash } from 'node:crypto';
import manifest from '../../../schema/third-party-operations.json';

// The operations third parties may run (登记的查询): registered in advance in
// schema/third-party-operations.json, generated from schema/third-party/*.graphql by
// `npm run third-party:manifest` (scripts/third-party-operations.ts), which validates each against
// the schema and refuses any that reaches beyond what a third party is granted. A third party
// sends an operation's hash, never its text.

/** One registered operation, as the manifest lists it. */
export interface PersistedOperation {
  /** Hex SHA-256 of `document` (UTF-8), the hash a caller sends. */
  sha256Hash: string;
  operationName: string;
  /** Where its source lives in the repository. */
  file: string;
  document: string;
}

/** The manifest's shape (also what the generator writes). */
export interface OperationManifest {
  _: string;
  operations: PersistedOperation[];
}

export const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The registered operations by hash; a manifest whose hash and document disagree fails at load. */
export function operationsByHash(m: OperationManifest = manifest): ReadonlyMap<string, PersistedOperation> {
  const byHash = new Map<string, PersistedOperation>();
  for (const op of m.operations) {
    if (sha256Hex(op.document) !== op.sha256Hash) throw new Error(`schema/third-party-operations.json: ${op.operationName}'s hash does not match its document (run npm run third-party:manifest)`);
    byHash.set(op.sha256Hash, op);
  }
  return byHash;
}

/** The manifest as GET /third-party/operations.json publishes it: the registered operations only. */
export function publishedManifest(operations: ReadonlyMap<string, PersistedOperation>): OperationManifest {
  return { _: (manifest)._, operations: [...operations.values()] };
}
