import { parseArgs } from 'node:util';
import { loadConfig } from '../src/platform/config.js';
import { signDevToken } from '../src/platform/auth/tokens.js';
import { isRole } from '../src/platform/auth/roles.js';

/** npm run token -- --role COORDINATOR --gmina 1417082 [--gmina ...] [--partner <uuid>] [--sub <id>] [--expires 12h] */
const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    gmina: { type: 'string', multiple: true },
    partner: { type: 'string' },
    sub: { type: 'string' },
    expires: { type: 'string' },
  },
});
if (!isRole(values.role)) {
  process.stderr.write('usage: npm run token -- --role <ROLE> [--gmina <TERC>]... [--partner <uuid>] [--sub <id>] [--expires 12h]\n');
  process.exit(2);
}
const token = await signDevToken(loadConfig(), {
  role: values.role,
  gminy: values.gmina,
  partner_id: values.partner,
  subject: values.sub,
  expiresIn: values.expires,
});
process.stdout.write(`${token}\n`);
