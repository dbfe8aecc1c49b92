import { loadConfig } from './platform/config.js';
import { createLogger } from './platform/logger.js';
import { resolveDatabase } from './platform/database/database-setup.js';
import { migrateDatabase, seedDemo } from './platform/database/migrate.js';
import { createOrm } from './platform/database/orm.js';
import { createTokenVerifier } from './platform/auth/tokens.js';
import { startServer } from './platform/http/server.js';

/** `npm start`: database (embedded unless DATABASE_URL), migrations, demo seed, then the server. */
async function main(): Promise<void> {
  const startedAt = Date.now();
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const database = await resolveDatabase(config, log);
  await migrateDatabase(database.ownerUrl, config.appDbPassword, log, config.reportSuppressionThreshold);
  if (config.seedOnStart) await seedDemo(database.ownerUrl, log);

  // At debug level every SQL statement is logged, as README says of npm run dev.
  const orm = await createOrm(database.appUrl, { poolSize: config.dbPoolSize, log: config.logLevel === 'debug' ? log : undefined });
  const verifier = await createTokenVerifier(config);
  const server = await startServer({ config, orm, verifier, log });
  log.info('ready', { url: server.url, startupMs: Date.now() - startedAt, embeddedPostgres: database.embedded });
  printWelcome(server.url, !!config.jwksUrl);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal });
    await server.close();
    await orm.close();
    await database.stop();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

function printWelcome(url: string, jwks: boolean): void {
  const lines = [
    '',
    `cus-platform is serving GraphQL at ${url} (HTTP and WebSocket; open it in a browser for the IDE)`,
    '',
  ];
  if (jwks) {
    lines.push('Tokens come from your identity provider (JWKS_URL).');
  } else {
    lines.push('Development tokens (send as "Authorization: Bearer <token>"):');
    const examples: [string, string][] = [
      ['PLATFORM_ADMIN', '--role PLATFORM_ADMIN'],
      ['DIRECTOR of CUS Wiązowna', '--role DIRECTOR --gmina 1417082'],
      ['SERVICES_ORGANISER', '--role SERVICES_ORGANISER --gmina 1417082'],
      ['COORDINATOR', '--role COORDINATOR --gmina 1417082'],
      ['COMMUNITY_ORGANISER', '--role COMMUNITY_ORGANISER --gmina 1417082'],
      ['staff of the Kołbiel-Celestynów unit', '--role COORDINATOR --gmina 1417052 --gmina 1417032'],
      ['GMINA_OFFICIAL', '--role GMINA_OFFICIAL --gmina 2808062'],
      ['PARTNER (Stowarzyszenie „Razem dla Wiązowny”)', '--role PARTNER --partner 0193a000-0000-7000-8000-0000000000aa'],
      ['MINISTRY', '--role MINISTRY'],
    ];
    for (const [who, args] of examples) lines.push(`  ${who.padEnd(48)} npm run token -- ${args}`);
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

main().catch((error) => {
  process.stderr.write(`cus-platform failed to start: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
