import { loadConfig } from '../src/platform/config.js';
import { createLogger } from '../src/platform/logger.js';
import { resolveDatabase } from '../src/platform/database/database-setup.js';
import { migrateDatabase, seedDemo } from '../src/app.js';

/** npm run seed: migrates if needed, then loads the demo data (once). */
const config = loadConfig();
const log = createLogger(config.logLevel);
const database = await resolveDatabase(config, log);
try {
  await migrateDatabase(database.ownerUrl, config.appDbPassword, log, config.reportSuppressionThreshold);
  await seedDemo(database.ownerUrl, log);
} finally {
  await database.stop();
}
