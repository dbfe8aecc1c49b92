import { loadConfig } from '../src/platform/config.js';
import { createLogger } from '../src/platform/logger.js';
import { resolveDatabase } from '../src/platform/database/database-setup.js';
import { migrateDatabase } from '../src/app.js';

/** npm run migrate: applies pending migrations to DATABASE_URL (or the embedded database). */
const config = loadConfig();
const log = createLogger(config.logLevel);
const database = await resolveDatabase(config, log);
try {
  await migrateDatabase(database.ownerUrl, config.appDbPassword, log, config.reportSuppressionThreshold);
} finally {
  await database.stop();
}
