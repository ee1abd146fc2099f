// Runs graphql-codegen (typescript-operations, which since v6 emits the enums and inputs it uses) over the schema file argv[2] and the
// JSON list of documents on stdin ([{ location, text }]), printing the generated TypeScript.
// A child process: the plugins load an ESM-only dependency that jest's module loader cannot.
const fs = require('node:fs');
const { codegen } = require('@graphql-codegen/core');
const typescriptOperations = require('@graphql-codegen/typescript-operations');
const { parse } = require('graphql');

async function main() {
  const documents = JSON.parse(fs.readFileSync(0, 'utf8')).map((d) => ({ location: d.location, document: parse(d.text) }));
  const output = await codegen({
    schema: parse(fs.readFileSync(process.argv[2], 'utf8')),
    documents,
    filename: 'operations.ts',
    config: {},
    plugins: [{ typescriptOperations: {} }],
    pluginMap: { typescriptOperations },
  });
  process.stdout.write(output);
}

main().catch((err) => {
  process.stderr.write(`${err.message}\n${(err.errors ?? []).map((e) => e.message ?? String(e)).join('\n')}\n`);
  process.exit(1);
});
