import type { EntityManager } from '@mikro-orm/postgresql';
import { G } from './catalogue.js';
import { DEMO_RESIDENTS } from './residents.js';
import { demoId, insertRows } from './rows.js';
import type { DemoClock } from './clock.js';

/**
 * Wiązowna's usługi opiekuńcze under the programme in force (the first service seedPlanning offers in
 * DEMO_PROGRAMME) are paid by income, as its description says: the table of the council's resolution
 * (załącznik nr 1; the numbers are illustrative, in the shape such resolutions take) at 35.00 zł an hour.
 * Income per person up to 150% of the criterion pays nothing; above 400% the whole cost.
 */
export const DEMO_CARE_FEE = {
  programmeServiceId: demoId(0x26, 1),
  unitCost: '35.00',
  thresholds: [
    { upToPercent: '150', feePercent: '0' },
    { upToPercent: '200', feePercent: '10' },
    { upToPercent: '250', feePercent: '20' },
    { upToPercent: '300', feePercent: '40' },
    { upToPercent: '400', feePercent: '60' },
  ],
};

/**
 * The fee table, and two declarations of income. Helena Testowa declared hers at the needs assessment:
 * she lives alone on a pension of 2150.00 zł, 212.87% of the criterion for a person living alone (1010 zł
 * from 2025), so her usługi opiekuńcze (plan item 1 of seeds/demo/ipus.ts) cost her 20%: 7.00 zł an hour.
 * Ewa Demonstracyjna declared her family's (six persons, 4200.00 zł) when her application was forwarded.
 */
export async function seedFees(em: EntityManager, on: DemoClock): Promise<void> {
  await insertRows(
    em,
    'programme_service_fee_threshold',
    DEMO_CARE_FEE.thresholds.map((row, i) => ({
      programme_service_id: DEMO_CARE_FEE.programmeServiceId,
      position: i + 1,
      gmina_id: G.wiazowna,
      up_to_percent: row.upToPercent,
      fee_percent: row.feePercent,
    })),
  );
  await insertRows(em, 'resident_income', [
    {
      id: demoId(0x3e, 1),
      gmina_id: G.wiazowna,
      resident_id: DEMO_RESIDENTS.helena,
      household_income: '2150.00',
      household_size: 1,
      declared_on: on('2026-09-08'),
      declared_by: 'dev-coordinator',
      created_at: `${on('2026-09-08')}T11:00:00+02:00`,
    },
    {
      id: demoId(0x3e, 2),
      gmina_id: G.wiazowna,
      resident_id: DEMO_RESIDENTS.ewa,
      household_income: '4200.00',
      household_size: 6,
      declared_on: on('2026-10-14'),
      declared_by: 'dev-coordinator',
      created_at: `${on('2026-10-14')}T12:30:00+02:00`,
    },
  ]);
}
