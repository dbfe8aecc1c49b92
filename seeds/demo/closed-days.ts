import type { EntityManager } from '@mikro-orm/postgresql';
import { G } from './catalogue.js';
import { demoId, insertRows } from './rows.js';
import type { DemoClock } from './clock.js';

/**
 * A day Wiązowna closed: 15 August 2026 fell on a Saturday, so its offices and the centre's own services
 * took a Friday in November off instead (README, "Working days and holidays"). Plan items' visits that
 * day fell away, as they do on public holidays.
 */
export async function seedClosedDays(em: EntityManager, on: DemoClock): Promise<void> {
  await insertRows(em, 'gmina_closed_day', [
    {
      id: demoId(0x3f, 1),
      gmina_id: G.wiazowna,
      day: on('2026-11-13'),
      reason: 'Dzień wolny za święto 15 sierpnia przypadające w sobotę',
      declared_by: 'dev-director',
      created_at: `${on('2026-10-01')}T09:00:00+02:00`,
    },
  ]);
}
