import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createOrm } from '../src/app.js';
import { Role } from '../src/platform/auth/roles.js';
import { SYSTEM_PRINCIPALS, type Principal } from '../src/platform/auth/principal.js';
import { publicActor, runAs } from '../src/platform/auth/run-as.js';

/** The settings the policies read, as the transaction sees them. */
const SETTINGS_SQL = `select current_setting('app.role', true) as role, current_setting('app.gminy', true) as gminy,
  current_setting('app.user_id', true) as user_id, current_setting('app.survey_token', true) as survey_token,
  current_setting('transaction_read_only') as read_only`;

/** A subject no claim check would pass, to show values travel as parameters, never as SQL text. */
const ODD_SUBJECT = `it's'); select set_config('app.role', 'PLATFORM_ADMIN', true); --`;
const principal: Principal = { subject: ODD_SUBJECT, role: Role.COORDINATOR, gminy: [1417082], partnerId: null, expiresAt: 0 };

let orm: MikroORM;
let client: pg.Client;

beforeAll(async () => {
  orm = await createOrm(inject('appUrl'), { poolSize: 2 });
  client = new pg.Client({ connectionString: inject('appUrl') });
  await client.connect();
});

afterAll(async () => {
  await orm.close();
  await client.end();
});

describe('runAs', () => {
  it('runs ORM work as a principal, read only for a read, and the settings end with the transaction', async () => {
    const [seen] = await runAs(orm, principal, 'read', (em) => em.execute(SETTINGS_SQL));
    expect(seen).toMatchObject({ role: 'COORDINATOR', gminy: '1417082', user_id: ODD_SUBJECT, read_only: 'on' });
    const [after] = await orm.em.fork().execute(SETTINGS_SQL);
    expect(after.role ?? '').toBe('');
  });

  it('runs work on a pg connection as a system principal, parameterised, and leaves the connection as it was', async () => {
    const seen = await runAs(
      client,
      publicActor({ gminy: [1417082, 1417052], surveyToken: ODD_SUBJECT }),
      'write',
      async (c) => (await c.query(SETTINGS_SQL)).rows[0],
    );
    expect(seen).toMatchObject({ role: SYSTEM_PRINCIPALS.PUBLIC, gminy: '1417082,1417052', user_id: '', survey_token: ODD_SUBJECT, read_only: 'off' });
    const after = (await client.query(SETTINGS_SQL)).rows[0];
    expect(after.role ?? '').toBe('');
  });

  it('rolls back the work when it throws, on either target', async () => {
    await expect(
      runAs(client, principal, 'write', async (c) => {
        await c.query(`select set_config('app.marker', 'kept?', false)`);
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect((await client.query(`select current_setting('app.marker', true) as marker`)).rows[0].marker ?? '').toBe('');
    await expect(
      runAs(orm, principal, 'write', async () => {
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
  });
});
