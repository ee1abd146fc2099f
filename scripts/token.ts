// reflect-metadata first: anything below that reaches a type-graphql decorator needs it loaded.
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { Role } from '../src/core/auth/roles';
import { issueToken } from '../src/core/auth/tokens';
import { isEmbeddedDemo, loadConfig } from '../src/core/config';
import { Department } from '../src/core/vocab';

/**
 * `npm run token -- --role officer --department health --scope 431226`: prints a bearer token
 * signed with the key the server verifies, and nothing else on stdout (so that
 * `TOKEN=$(npm run -s token -- …)` captures exactly the token; every failure is a non-zero exit).
 *
 * Who may mint: in the embedded demo (no DATABASE_URL, no key), anyone with the checkout, with
 * the dev key in DATA_DIR; otherwise only an operator who holds AUTH_JWT_SECRET (the secret is
 * the credential: whoever has it could sign a token anyway). With a database and no secret, or
 * with an identity provider (AUTH_PUBLIC_KEY / AUTH_JWKS_URL), it refuses.
 */
function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      department: { type: 'string' },
      scope: { type: 'string' },
      sub: { type: 'string' },
      expires: { type: 'string', default: '12h' },
    },
  });
  const roles = Object.values(Role) as string[];
  const departments = Object.values(Department) as string[];
  const fail = (message: string, usage = true): never => {
    process.stderr.write(`${message}\n`);
    if (usage) process.stderr.write(`usage: npm run token -- --role <${roles.join('|')}> [--department <${departments.join('|')}>] --scope <2–12 digit division code> [--sub NAME] [--expires 12h]\n`);
    process.exit(2);
  };
  if (!values.role || !roles.includes(values.role)) fail('--role is required and must be one of the roles');
  if (values.department !== undefined && !departments.includes(values.department)) fail('--department is not a department');
  if (values.role === Role.THIRD_PARTY) fail('third parties call with an API key (createApiKey, README "Third parties"), never a token', false);
  if ((values.role === Role.OFFICER) !== (values.department !== undefined)) fail('an officer token names a department, and only an officer token does');
  if (!values.scope || !/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/.test(values.scope)) fail('--scope must be a division code of 2, 4, 6, 9 or 12 digits');
  const lifetime = /^(\d+)([smhd])$/.exec(values.expires ?? '');
  if (!lifetime) fail('--expires must be a duration such as 30m or 12h');
  const config = loadConfig();
  if (config.AUTH_PUBLIC_KEY || config.AUTH_JWKS_URL) fail('An identity provider is configured (AUTH_PUBLIC_KEY or AUTH_JWKS_URL): tokens come from it, not from this script.', false);
  if (!isEmbeddedDemo(config) && !config.AUTH_JWT_SECRET) {
    fail('No token: DATABASE_URL is set and AUTH_JWT_SECRET is not, and outside the embedded demo only the holder of AUTH_JWT_SECRET may mint tokens.', false);
  }
  const [, amount, unit] = lifetime as RegExpExecArray;
  const seconds = Number(amount) * { s: 1, m: 60, h: 3600, d: 86400 }[unit as 's' | 'm' | 'h' | 'd'];
  if (seconds > config.AUTH_MAX_TOKEN_LIFETIME) fail(`--expires ${values.expires} is longer than AUTH_MAX_TOKEN_LIFETIME (${config.AUTH_MAX_TOKEN_LIFETIME} s): the server would refuse the token.`, false);
  const role = values.role as Role;
  const department = values.department as Department | undefined;
  return issueToken(config, { sub: values.sub ?? `dev-${department ?? role}`, role, department, scope: values.scope as string }, `${seconds}s`).then((token) => {
    process.stdout.write(`${token}\n`);
  });
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
