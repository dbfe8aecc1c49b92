import { parseArgs } from 'node:util';
import { loadConfig } from '../src/platform/config.js';
import { createLogger } from '../src/platform/logger.js';
import { resolveDatabase } from '../src/platform/database/database-setup.js';
import { migrateDatabase } from '../src/app.js';
import { todayInPoland } from '../src/modules/common/dates.js';
import { generateNational } from '../seeds/national.js';

/**
 * npm run seed:national -- [--scale 1] [--seed 1] [--today YYYY-MM-DD]: the national-scale dataset
 * (seeds/national.ts) into DATABASE_URL's database or the embedded one, migrated first. Use a
 * database of its own: it refuses to load twice.
 */
const say = (message: string) => process.stderr.write(`seed:national: ${message}\n`);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { scale: { type: 'string', default: '1' }, seed: { type: 'string', default: '1' }, today: { type: 'string' } },
  });
  const scale = Number(values.scale);
  const seed = Number(values.seed);
  if (!(scale > 0 && scale <= 5)) throw new Error('--scale is a number above 0 and at most 5');
  if (!Number.isInteger(seed)) throw new Error('--seed is an integer');
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const database = await resolveDatabase(config, log);
  try {
    await migrateDatabase(database.ownerUrl, config.appDbPassword, log, config.reportSuppressionThreshold);
    const counts = await generateNational(database.ownerUrl, { scale, seed, today: values.today ?? todayInPoland(), log: say });
    process.stdout.write(`${JSON.stringify(counts)}\n`);
  } finally {
    await database.stop();
  }
}

// A refusal (the dataset is there already, a bad argument, a taken port) ends in its sentence, not a
// stack trace; LOG_LEVEL=debug shows the stack as well.
await main().catch((error: unknown) => {
  say((error as Error).message ?? String(error));
  if (process.env.LOG_LEVEL === 'debug') process.stderr.write(`${(error as Error).stack ?? ''}\n`);
  process.exitCode = 1;
});
