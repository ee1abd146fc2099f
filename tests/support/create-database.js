// Creates database argv[4] as a copy of argv[3] on the server at argv[2] (dropping a leftover of
// the same name first). Plain JavaScript, run as a child by per-file-database.ts, which must
// finish before the test file is loaded (and so cannot await).
const { Client } = require('pg');

async function main() {
  const [serverUrl, template, name] = process.argv.slice(2);
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    // STRATEGY FILE_COPY: the template is a few megabytes, and copying its files beats WAL-logging every block.
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}" STRATEGY FILE_COPY`);
  } finally {
    await admin.end();
  }
}

main().catch((err) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
