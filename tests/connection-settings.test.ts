import { describe, expect, inject, it } from 'vitest';
import { createOrm } from '../src/app.js';

/**
 * The settings every application connection starts with, as the server's ORM opens them (no statement of
 * their own). JIT is off: where PostgreSQL has LLVM, compiling the dashboard's next-visits read cost ~60 ms
 * of a 70 ms statement (issue 23). The embedded server has no JIT, so this is what keeps the system server alike.
 */
describe('application connections', () => {
  it('run with JIT off from their first statement, as the application role', async () => {
    const orm = await createOrm(inject('appUrl'), { poolSize: 1 });
    try {
      const [row] = await orm.em.fork().execute<{ jit: string; who: string }[]>("select current_setting('jit') as jit, current_user as who");
      expect(row).toEqual({ jit: 'off', who: 'cus_app' });
    } finally {
      await orm.close();
    }
  });
});
