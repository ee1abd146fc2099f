import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildOperationManifest, MANIFEST_FILE, manifestText } from '../../src/modules/api-keys/operation-manifest';
import { operationsByHash } from '../../src/modules/api-keys/persisted-operations';

// The registered-operations manifest third parties build against (issue 9 §3) is what
// schema/third-party/*.graphql make, and the generator refuses any document that would let a key
// reach beyond a third party's permissions.

const ROOT = path.resolve(__dirname, '../..');

describe('schema/third-party-operations.json', () => {
  it('is what schema/third-party/*.graphql make (run `npm run third-party:manifest` and commit the diff)', async () => {
    const committed = fs.readFileSync(path.join(ROOT, MANIFEST_FILE), 'utf8');
    expect(committed).toBe(manifestText(await buildOperationManifest(ROOT)));
    // The server's loader accepts it: every hash is its document's.
    expect(operationsByHash().size).toBeGreaterThan(0);
  });

  describe('the generator refuses', () => {
    let root: string;
    beforeEach(() => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'hg-operations-'));
      fs.mkdirSync(path.join(root, 'schema/third-party'), { recursive: true });
    });
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));
    const refusal = (file: string, document: string) => {
      fs.writeFileSync(path.join(root, 'schema/third-party', file), document);
      return buildOperationManifest(root);
    };

    it.each([
      ['Snoop.graphql', 'query Snoop { households(first: 1) { totalCount } }', "selects Query.households, which a third party's permissions do not open"],
      ['Person.graphql', 'query Person { person(id: "1") { id } }', "selects Query.person, which a third party's permissions do not open"],
      ['Region.graphql', 'query Region { region(code: "43") { name } }', "selects Query.region, which a third party's permissions do not open"],
      ['Schema.graphql', 'query Schema { __schema { types { name } } }', 'asks for introspection'],
      ['Write.graphql', 'mutation Write { revokeApiKey(id: "000000000000") { id } }', 'third parties may only read'],
      ['Anonymous.graphql', '{ __typename }', 'the operation must be named'],
      ['Other.graphql', 'query Named { __typename }', 'the file must be named after its operation'],
      ['Two.graphql', 'query Two { __typename } query Three { __typename }', 'exactly one operation'],
      ['Broken.graphql', 'query Broken { __typename', 'does not parse'],
      ['Invalid.graphql', 'query Invalid { noSuchField }', 'is not valid against the schema'],
    ])('%s', async (file, document, why) => {
      await expect(refusal(file, document)).rejects.toThrow(why);
    });

    it('a manifest whose hash is not its document\'s, at load', () => {
      expect(() => operationsByHash({ _: '', operations: [{ sha256Hash: '0'.repeat(64), operationName: 'X', file: 'x', document: 'query X { __typename }' }] })).toThrow(/hash does not match/);
    });
  });
});
