import pg from 'pg';
import type { Logger } from '../../platform/logger.js';
import type { RequestContext } from '../../platform/graphql/context.js';
import { SYSTEM_PRINCIPALS } from '../../platform/auth/principal.js';
import { runAs } from '../../platform/auth/run-as.js';
import type { ReportsRefreshPayload } from './report.types.js';

export async function refreshReports(ctx: RequestContext): Promise<ReportsRefreshPayload> {
  // A rebuild reads every record of the country (about 90 s at national scale): the operation's
  // statement timeout, meant for requests, would cancel it. Only PLATFORM_ADMIN may ask for it.
  await ctx.em.execute('set local statement_timeout = 0');
  await ctx.em.execute('select app.refresh_reports()');
  const [row] = await ctx.em.execute<{ refreshed_at: string; refresh_ms: number }[]>('select refreshed_at, refresh_ms from report_config');
  return { refreshedAt: new Date(row.refreshed_at), tookMs: row.refresh_ms };
}

/**
 * Rebuilds the report rollup every `seconds` (and once soon after start), on its own connection as
 * the REPORT_REFRESHER principal. Several instances may run it: the database function takes a lock,
 * so they rebuild one after the other, and a rebuild is one transaction (readers never see half).
 */
export class ReportRefresher {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly url: string,
    private readonly seconds: number,
    private readonly log: Logger,
  ) {}

  start(): void {
    if (this.seconds <= 0) return;
    const tick = () => {
      this.running ??= this.refresh().finally(() => {
        this.running = null;
      });
    };
    setTimeout(tick, 1000).unref();
    this.timer = setInterval(tick, this.seconds * 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private async refresh(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, application_name: 'cus-platform report refresher' });
    try {
      await client.connect();
      // Several instances share the schedule: whoever comes second within half an interval skips.
      const freshEnough = `${Math.floor(this.seconds / 2)} seconds`;
      await runAs(client, { system: SYSTEM_PRINCIPALS.REPORT_REFRESHER }, 'write', (asRefresher) =>
        asRefresher.query('select app.refresh_reports($1::interval)', [freshEnough]),
      );
      const { rows } = await client.query('select refresh_ms from report_config');
      this.log.info('reports refreshed', { ms: rows[0]?.refresh_ms });
    } catch (error) {
      this.log.warn('report refresh failed', { error: (error as Error).message });
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
