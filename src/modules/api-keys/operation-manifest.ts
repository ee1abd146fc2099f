import fs from 'node:fs';
import path from 'node:path';
import { Kind, OperationTypeNode, parse, specifiedRules, validate, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { permissionsOf } from '../../core/auth/permissions';
import { Role } from '../../core/auth/roles';
import { permissionMap } from '../../core/auth/permission-map';
import { DEFAULT_LIMITS, isIntrospection, limitRules } from '../../core/limits';
import { buildAppSchema } from '../../core/schema';
import { sha256Hex, type OperationManifest, type PersistedOperation } from './persisted-operations';

// Builds schema/third-party-operations.json from schema/third-party/*.graphql. Only the build
// script and the drift test load this file (it builds the schema; the server does not need it).
// A document is registered only if it is one named query (no mutation, no subscription), valid
// against the served schema and its limits, asks no introspection, and every root field it
// selects is one a third party's permissions open: the manifest cannot widen what a key reaches.

export const OPERATIONS_DIR = 'schema/third-party';
export const MANIFEST_FILE = 'schema/third-party-operations.json';

const DESCRIPTION =
  'Operations third parties may call (issue 9 §3). POST /graphql with "Authorization: ApiKey <key>" and the body ' +
  '{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"<sha256Hash>"}},"variables":{…}}; query text is refused. ' +
  'sha256Hash is the hex SHA-256 of document. Generated from schema/third-party/*.graphql by `npm run third-party:manifest`; do not edit by hand.';

/** The manifest the documents under `root`/schema/third-party make; throws naming the first document refused. */
export async function buildOperationManifest(root: string): Promise<OperationManifest> {
  const schema = await buildAppSchema();
  const permissions = await permissionMap();
  const granted = permissionsOf({ subject: 'manifest', role: Role.THIRD_PARTY, department: null, scope: '' });
  const dir = path.join(root, OPERATIONS_DIR);
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.graphql')).sort();
  const operations: PersistedOperation[] = [];
  const names = new Set<string>();
  for (const file of files) {
    const document = fs.readFileSync(path.join(dir, file), 'utf8');
    const where = `${OPERATIONS_DIR}/${file}`;
    const refuse = (why: string): never => {
      throw new Error(`${where}: ${why}`);
    };
    let ast: DocumentNode;
    try {
      ast = parse(document);
    } catch (err) {
      return refuse(`does not parse (${(err as Error).message})`);
    }
    const ops = ast.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    if (ops.length !== 1) refuse('must hold exactly one operation');
    const op = ops[0];
    if (op.operation !== OperationTypeNode.QUERY) refuse('third parties may only read: a query, not a mutation or subscription');
    const name = op.name?.value ?? refuse('the operation must be named');
    if (`${name}.graphql` !== file) refuse(`the file must be named after its operation (${name}.graphql)`);
    if (names.has(name)) refuse(`operation name ${name} is registered twice`);
    names.add(name);
    const errors = validate(schema, ast, [...specifiedRules, ...limitRules(DEFAULT_LIMITS)]);
    if (errors.length) refuse(`is not valid against the schema: ${errors.map((e) => e.message).join('; ')}`);
    if (isIntrospection(ast)) refuse('asks for introspection (__schema or __type)');
    for (const sel of op.selectionSet.selections) {
      if (sel.kind !== Kind.FIELD) refuse('root fields must be selected directly (no fragments at the root)');
      else if (sel.name.value !== '__typename') {
        const needs = permissions[`Query.${sel.name.value}`];
        if (!needs || !needs.some((p) => granted.has(p as never))) refuse(`selects Query.${sel.name.value}, which a third party's permissions do not open`);
      }
    }
    operations.push({ sha256Hash: sha256Hex(document), operationName: name, file: where, document });
  }
  return { _: DESCRIPTION, operations };
}

/** The manifest as written to disk. */
export const manifestText = (m: OperationManifest) => `${JSON.stringify(m, null, 2)}\n`;
