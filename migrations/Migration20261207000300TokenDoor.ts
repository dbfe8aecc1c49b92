import { Migration } from '@mikro-orm/migrations';
import { TOKEN_DOOR } from '../src/platform/auth/roles.js';
import { policy } from './rls.js';

/**
 * The token door (issue 17, items 10 and 11; src/platform/auth/token-door.ts). A signed token is
 * admitted only when what it names is real: its gminy are in the TERYT register, a CUS staff member's
 * unit exists and serves every gmina the token names, a partner user's organisation is in the register
 * and not retired. The door reads those rows as its own principal, TOKEN_DOOR, which no token can
 * carry; gminy are readable by every principal already, so it needs units and partners. Reads only:
 * it has no policy to write anything.
 */
export class Migration20261207000300TokenDoor extends Migration {
  override up(): void {
    const door = `(select app.role()) = '${TOKEN_DOOR}'`;
    this.addSql(policy({ table: 'cus_unit', name: 'cus_unit_token_door', command: 'select', using: door }));
    this.addSql(policy({ table: 'partner', name: 'partner_token_door', command: 'select', using: door }));
  }
}
