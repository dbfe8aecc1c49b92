import { inject } from 'vitest';
import pg from 'pg';
import { addDays, todayInPoland } from '../../src/modules/common/dates.js';
import { demoClock, STORY_DAY, storyShift, type DemoClock } from '../../seeds/demo/clock.js';
import { HELENA_APPLICATION } from '../../seeds/demo/residents.js';

/**
 * The clock a database's demo seed ran with (seeds/demo/clock.ts): the day it was seeded is read back
 * from Helena Testowa's application, so a date of the story maps to the seeded one even when the seed
 * ran before midnight and the test after it.
 */
export async function seededDemoClock(ownerUrl: string = inject('ownerUrl')): Promise<DemoClock> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ filed_on: string }>('select filed_on::text from application where id = $1', [HELENA_APPLICATION.id]);
    if (rows.length !== 1) throw new Error('The database holds no demo seed (no application of Helena Testowa)');
    const shift = storyShift(rows[0].filed_on) - storyShift(HELENA_APPLICATION.filedOn);
    return demoClock(addDays(STORY_DAY, shift));
  } finally {
    await client.end();
  }
}

/**
 * Waits, when a run of `takesMs` from now would end on another day in Poland, until that day has begun:
 * a story told through the API counts from the server's today, and must not have it change halfway.
 */
export async function notAcrossMidnightInPoland(takesMs: number): Promise<void> {
  const day = todayInPoland();
  if (todayInPoland(new Date(Date.now() + takesMs)) === day) return;
  while (todayInPoland() === day) await new Promise((resolve) => setTimeout(resolve, 1_000));
}
