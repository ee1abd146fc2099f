import { parseArgs } from 'node:util';
import { issueToken, Role } from '../src/core/auth';
import { loadConfig } from '../src/core/config';
import { Department } from '../src/core/vocab';

/**
 * `npm run token -- --role officer --department health --scope 431226`: prints a bearer token
 * signed with the same key the server verifies (AUTH_JWT_SECRET, or the dev key the embedded
 * demo keeps in DATA_DIR). For development and the demo; production tokens come from the
 * identity provider (AUTH_PUBLIC_KEY / AUTH_JWKS_URL).
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
  const fail = (message: string): never => {
    process.stderr.write(`${message}\nusage: npm run token -- --role <${roles.join('|')}> [--department <${departments.join('|')}>] --scope <2–12 digit division code> [--sub NAME] [--expires 12h]\n`);
    process.exit(2);
  };
  if (!values.role || !roles.includes(values.role)) fail('--role is required and must be one of the roles');
  if (values.department !== undefined && !departments.includes(values.department)) fail('--department is not a department');
  if ((values.role === Role.OFFICER) !== (values.department !== undefined)) fail('an officer token names a department, and only an officer token does');
  if (!values.scope || !/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/.test(values.scope)) fail('--scope must be a division code of 2, 4, 6, 9 or 12 digits');
  const config = loadConfig();
  if (config.AUTH_PUBLIC_KEY || config.AUTH_JWKS_URL) fail('an identity provider is configured: tokens come from it, not from this script');
  const role = values.role as Role;
  const department = values.department as Department | undefined;
  return issueToken(
    config,
    { sub: values.sub ?? `dev-${department ?? role}`, role, department, scope: values.scope as string },
    values.expires,
  ).then((token) => {
    process.stdout.write(`${token}\n`);
  });
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
