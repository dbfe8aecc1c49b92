import type pg from 'pg';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { sessionVariables, type Principal, type SystemPrincipal } from './principal.js';

/*
 * The one home of "run this as principal X". Row-level-security policies read transaction-local
 * settings (app.role, app.gminy, …; see migrations/rls.ts), so work runs in a transaction whose first
 * statement sets them with set_config(…, true), values as parameters; commit or rollback ends them, so
 * a pooled connection carries nothing into the next use.
 */

/** A principal of the server's own work (no token carries one), with the settings its policies read beside app.role. */
export interface SystemActor {
  system: SystemPrincipal;
  settings?: Record<string, string>;
}

/** Who the work runs as: a token's principal or a system principal. */
export type Actor = Principal | SystemActor;

/** The PUBLIC principal for an unauthenticated request: the gminy whose published catalogue it reads, or a survey link. */
export function publicActor(scope: { gminy?: number[]; surveyToken?: string }): SystemActor {
  return {
    system: 'PUBLIC',
    settings: { 'app.gminy': (scope.gminy ?? []).join(','), 'app.partner_id': '', 'app.user_id': '', 'app.survey_token': scope.surveyToken ?? '' },
  };
}

/** The settings set_config gives a transaction run as `actor`. */
export function settingsOf(actor: Actor): Record<string, string> {
  if ('system' in actor) return { 'app.role': actor.system, ...actor.settings };
  return sessionVariables(actor);
}

/**
 * An entity manager whose every transaction begins as `actor`: the settings (and `extra` ones, a
 * statement_timeout) ride on the transaction's first statement (src/platform/database/orm-extension/round-trips.ts),
 * so running as someone costs no round trip of its own.
 */
export function entityManagerAs(orm: MikroORM, actor: Actor, extra: Record<string, string> = {}): EntityManager {
  return orm.em.fork({ session: { variables: { ...settingsOf(actor), ...extra } } });
}

/**
 * Runs `work` in one transaction as `actor`, on a fork of the ORM or on a pg connection of its own.
 * A read runs READ ONLY and ends with a rollback; a write commits if `work` resolves. Either rolls
 * back when `work` throws.
 */
export async function runAs<T>(orm: MikroORM, actor: Actor, kind: 'read' | 'write', work: (em: EntityManager) => Promise<T>): Promise<T>;
export async function runAs<T>(client: pg.ClientBase, actor: Actor, kind: 'read' | 'write', work: (client: pg.ClientBase) => Promise<T>): Promise<T>;
export async function runAs<T>(
  target: MikroORM | pg.ClientBase,
  actor: Actor,
  kind: 'read' | 'write',
  work: ((em: EntityManager) => Promise<T>) | ((client: pg.ClientBase) => Promise<T>),
): Promise<T> {
  if ('em' in target) return runOnOrm(target, actor, kind, work as (em: EntityManager) => Promise<T>);
  return runOnClient(target, actor, kind, work as (client: pg.ClientBase) => Promise<T>);
}

async function runOnOrm<T>(orm: MikroORM, actor: Actor, kind: 'read' | 'write', work: (em: EntityManager) => Promise<T>): Promise<T> {
  const em = entityManagerAs(orm, actor);
  await em.begin({ readOnly: kind === 'read' });
  let result: T;
  try {
    result = await work(em);
  } catch (error) {
    await em.rollback().catch(() => undefined);
    throw error;
  }
  if (kind === 'read') {
    await em.rollback();
    return result;
  }
  try {
    await em.commit();
  } catch (error) {
    await em.rollback().catch(() => undefined);
    throw error;
  }
  return result;
}

async function runOnClient<T>(client: pg.ClientBase, actor: Actor, kind: 'read' | 'write', work: (client: pg.ClientBase) => Promise<T>): Promise<T> {
  const settings = Object.entries(settingsOf(actor));
  await client.query(kind === 'read' ? 'begin read only' : 'begin');
  try {
    await client.query(`select ${settings.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true)`).join(', ')}`, settings.flat());
    const result = await work(client);
    await client.query(kind === 'read' ? 'rollback' : 'commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  }
}

/**
 * One read as a system actor in a single simple-protocol message: begin read only, the settings, `sql`,
 * commit. For the server's hot reads (the outbox listener's catch-up after each NOTIFY, the token door for
 * each new token), where runAs's four round trips would be most of the cost. The settings are quoted by the
 * driver; `sql` must carry no outside text, only values already validated as numbers or UUIDs. Nothing is
 * rolled back on failure: the caller drops a connection whose read failed.
 */
export async function readInOneMessage(
  client: pg.ClientBase,
  actor: SystemActor,
  sql: string,
  extra: Record<string, string> = {},
): Promise<pg.QueryResultRow[]> {
  const settings = Object.entries({ ...settingsOf(actor), ...extra }).map(
    ([name, value]) => `set_config(${client.escapeLiteral(name)}, ${client.escapeLiteral(value)}, true)`,
  );
  const results = (await client.query(`begin read only; select ${settings.join(', ')}; ${sql}; commit`)) as unknown as pg.QueryResult[];
  return results[2].rows;
}
