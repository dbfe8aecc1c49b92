import type { EntityManager } from '@mikro-orm/postgresql';
import { DEMO_PARTNERS, G } from './catalogue.js';
import { DEMO_COMMISSIONS } from './commissions.js';
import { demoId, insertRows } from './rows.js';
import type { DemoClock } from './clock.js';

export const DEMO_SETTLEMENTS = { taxiOctober: demoId(0x3d, 1) };

/**
 * Wspólna Sprawa's report of October's rides to Wiązowna's centre, submitted and awaiting the centre's
 * decision (README, "Monthly settlement with partners"): its figures are computed from the deliveries
 * seedDeliveries recorded. A settlement starts OPEN and only the partner submits it, so it is submitted
 * as the partner (the database's guard checks who makes each move).
 */
export async function seedSettlements(em: EntityManager, on: DemoClock): Promise<void> {
  // The month of the story's October, wherever the clock moved it (mid-month, so a few days' shift keeps the month).
  const month = `${on('2026-10-15').slice(0, 7)}-01`;
  await insertRows(em, 'settlement', [
    {
      id: DEMO_SETTLEMENTS.taxiOctober,
      commission_id: DEMO_COMMISSIONS.taxi,
      partner_id: DEMO_PARTNERS.wspolnaSprawa,
      gmina_id: G.wiazowna,
      month,
    },
  ]);
  await em.getConnection().execute(
    `with who as (select set_config('app.role', 'PARTNER', true), set_config('app.user_id', 'dev-partner', true))
     update settlement set status = 'SUBMITTED', submitted_at = now(), submitted_by = 'dev-partner', indicator_values = ?::jsonb from who where id = ?`,
    [
      JSON.stringify([
        { indicator: 'Odsetek kursów zrealizowanych punktualnie', value: '96%' },
        { indicator: 'Ocena usługi w ankiecie odbiorców', value: '4,7 / 5' },
      ]),
      DEMO_SETTLEMENTS.taxiOctober,
    ],
  );
}
