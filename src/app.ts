import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from './platform/config.js';
import type { Logger } from './platform/logger.js';
import { createOrm as createPlatformOrm, type OrmModel, type OrmOptions } from './platform/database/orm.js';
import { migrateDatabase as migratePlatformDatabase } from './platform/database/migrate.js';
import { buildPlatformSchema } from './platform/graphql/schema.js';
import { startServer as startPlatformServer, type PlatformServer, type ServerDeps } from './platform/http/server.js';
import type { JobFactory } from './platform/http/routes.js';
import { csvFile } from './platform/http/graphql-over-http.js';
import { SYSTEM_PRINCIPALS } from './platform/auth/principal.js';
import { runAs } from './platform/auth/run-as.js';
import { connectionUrlOf } from './platform/database/urls.js';
import { entities } from './modules/entities.js';
import { resolvers } from './modules/resolvers.js';
// Registers the personal types (after the resolvers, so every module is loaded).
import './modules/personal-data.js';
import { writeAccessLog } from './modules/resident/access-log.js';
import { routeFactories } from './modules/http-routes.js';
import { ReportRefresher } from './modules/report/report-refresh.js';
import { notAQuery, reportCsv } from './modules/report/report-csv.js';
import { settlementCsv } from './modules/settlement/settlement-csv.js';
import { settlementPdfAnswer } from './modules/settlement/settlement-pdf.js';
import { pdfRendering, type PdfAnswer } from './modules/pdf-answers.js';
import { refusalDecisionPdfAnswer } from './modules/application/application-decision-pdf.js';
import { ipusDocumentPdfAnswer } from './modules/ipus/ipus-document-pdf.js';
import { residentExportPdfAnswer } from './modules/resident/resident-export-pdf.js';
import { buildPtable, checkParams, DEFAULT_MAX_DEVIATION, DEFAULT_VARIANCE, ptableSql, type PerturbationParams } from './modules/report/report.ptable.js';
import { migrationsList } from '../migrations/index.js';
import { loadTerytRegister } from '../seeds/teryt.js';
import { DemoSeeder } from '../seeds/demo.seeder.js';

/*
 * The composition root: the one place that hands what is built on the platform (entities, migrations,
 * resolvers, routes, jobs, seeds) to the platform's factories. src/platform imports nothing from
 * src/modules, seeds or migrations (tests/layering.test.ts); main.ts, the scripts, the tests and the
 * bench build through here.
 */

/** The tables the application keeps, and the migrations that make them. */
export const model: OrmModel = { entities, migrations: migrationsList };

/** An ORM over the application's entities and migrations. */
export function createOrm(clientUrl: string, options: OrmOptions = {}): Promise<MikroORM> {
  return createPlatformOrm(clientUrl, model, options);
}

let schema: Promise<GraphQLSchema> | undefined;

/** The application's executable GraphQL schema, built once. */
export function platformSchema(): Promise<GraphQLSchema> {
  schema ??= buildPlatformSchema({ resolvers, writePersonalReads: writeAccessLog });
  return schema;
}

/** The report rollup, rebuilt on a schedule (REPORT_REFRESH_SECONDS) on a connection of its own. */
const reportRefresher: JobFactory = ({ config, orm, log }) => new ReportRefresher(connectionUrlOf(orm), config.reportRefreshSeconds, log);

/** The documents a query answers as a PDF (Accept: application/pdf), one per query field. */
const pdfAnswers: PdfAnswer[] = [
  settlementPdfAnswer, // settlementStatement
  refusalDecisionPdfAnswer, // application: its refusal decision
  ipusDocumentPdfAnswer, // ipus: the plan for the resident to sign
  residentExportPdfAnswer, // residentDataExport: everything held on a person, for them (GDPR art. 15)
];

/** The server: GraphQL over HTTP and WebSocket, the modules' routes and jobs. */
export async function startServer(deps: Omit<ServerDeps, 'schema' | 'routes' | 'jobs' | 'renderings'>, port = deps.config.port): Promise<PlatformServer> {
  return startPlatformServer(
    {
      ...deps,
      schema: await platformSchema(),
      routes: routeFactories,
      jobs: [reportRefresher],
      // A settlement's statement (settlementStatement) or a report as CSV, each renderer taking only its own
      // field; the documents of pdfAnswers as PDFs.
      renderings: [
        { mediaType: 'text/csv', refuse: (request) => notAQuery(request), render: (data) => csvFile(settlementCsv(data) ?? reportCsv(data)) },
        pdfRendering(pdfAnswers),
      ],
    },
    port,
  );
}

/** The perturbation table's parameters: those configured, or the defaults for the threshold; checked (README, "Reports"). */
export function reportPerturbation(threshold: number, given: Partial<Config['reportPerturbation']> = {}): PerturbationParams {
  const params = {
    maxDeviation: given.maxDeviation ?? Math.max(DEFAULT_MAX_DEVIATION, threshold - 1),
    variance: given.variance ?? DEFAULT_VARIANCE,
    threshold,
  };
  checkParams(params);
  return params;
}

/** Applies pending migrations as the schema owner, then refreshes the TERYT register and the report settings. */
export async function migrateDatabase(
  ownerUrl: string,
  appPassword: string,
  log: Logger,
  reportThreshold = 5,
  perturbation: Partial<Config['reportPerturbation']> = {},
): Promise<string[]> {
  const params = reportPerturbation(reportThreshold, perturbation);
  return migratePlatformDatabase({
    ownerUrl,
    appPassword,
    log,
    model,
    afterMigrations: async (orm) => {
      const gminy = await loadTerytRegister(orm);
      // Only the owner writes it, so a caller can never lower the threshold (the table's check keeps it at 5 or more).
      const connection = orm.em.getConnection();
      await connection.transactional(async (tx) => {
        await connection.execute('update report_config set threshold = ?', [reportThreshold], 'all', tx);
        // The perturbation table follows the threshold and parameters configured (README, "Reports").
        for (const sql of ptableSql(buildPtable(params))) await connection.execute(sql, [], 'all', tx);
      });
      return { gminy };
    },
  });
}

/** Seeds the demo gminy' CUS data (once; a seeded database is left as it is). */
export async function seedDemo(ownerUrl: string, log: Logger): Promise<void> {
  const orm = await createOrm(ownerUrl, { poolSize: 2 });
  try {
    // Demo data goes in once, on first start: a database with any unit (the demo's, or real ones) is left alone,
    // and so is its report rollup, which can take minutes to rebuild at national scale.
    const [{ seeded }] = await orm.em.getConnection().execute<{ seeded: boolean }[]>('select exists (select 1 from cus_unit) as seeded');
    if (seeded) return;
    await orm.seeder.seed(DemoSeeder);
    // Dashboards have figures from the first start, before the scheduled rebuild comes round.
    await runAs(orm, { system: SYSTEM_PRINCIPALS.REPORT_REFRESHER }, 'write', (em) => em.execute('select app.refresh_reports()'));
    log.info('demo data seeded');
  } finally {
    await orm.close();
  }
}
