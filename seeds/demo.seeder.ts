import { Seeder } from '@mikro-orm/seeder';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CusCreationMode, CusUnit } from '../src/modules/cus-unit/cus-unit.entity.js';
import { FundingProject } from '../src/modules/cus-unit/funding-project.entity.js';
import { DEMO_UNITS } from './demo-units.js';
import { seedPartnersAndCatalogue } from './demo/catalogue.js';
import { seedPlanning } from './demo/planning.js';
import { seedResidents } from './demo/residents.js';
import { seedPlans } from './demo/ipus.js';
import { seedCommissions } from './demo/commissions.js';
import { seedFees } from './demo/fees.js';
import { seedClosedDays } from './demo/closed-days.js';
import { demoClock, type DemoClock } from './demo/clock.js';

const POWER = { programme: 'Program Operacyjny Wiedza Edukacja Rozwój 2014-2020 (PO WER)', action: '2.8' };
const POWER_PERIOD = { periodStart: '2021-01-01', periodEnd: '2023-05-31' };

/**
 * The demo centres and their work; src/platform/database/migrate.ts (seedDemo) runs it on an empty database only.
 * The centres' founding is history; their current work is dated by the clock of the day it runs (seeds/demo/clock.ts).
 */
export class DemoSeeder extends Seeder {
  /** The clock of the day it runs; tests/demo-seed.test.ts seeds as if on another day. */
  protected clock(): DemoClock {
    return demoClock();
  }

  async run(em: EntityManager): Promise<void> {
    const on = this.clock();
    const unit = (data: Partial<CusUnit> & Pick<CusUnit, 'id' | 'gminaId' | 'name'>) =>
      em.create(CusUnit, {
        servedGminaIds: [data.gminaId],
        creationMode: CusCreationMode.OPS_TRANSFORMED,
        statutory: true,
        ...data,
      } as never);

    unit({
      id: DEMO_UNITS.wiazowna,
      gminaId: 1417082,
      name: 'Centrum Usług Społecznych w Wiązownie',
      seatStreet: 'ul. Lipowa 34',
      seatPostalCode: '05-462',
      seatCity: 'Wiązowna',
      resolutionNumber: '39.XXXII.2021',
      resolutionDate: '2021-03-30',
      startDate: '2021-05-01',
    });
    unit({
      id: DEMO_UNITS.wojcieszkow,
      gminaId: 611102,
      name: 'Centrum Usług Społecznych w Wojcieszkowie',
      seatStreet: 'ul. Bialska 32',
      seatPostalCode: '21-407',
      seatCity: 'Wojcieszków',
      startDate: '2021-01-01',
    });
    unit({
      id: DEMO_UNITS.wydminy,
      gminaId: 2806102,
      name: 'Centrum Usług Społecznych w Wydminach',
      seatStreet: 'ul. Grunwaldzka 16',
      seatPostalCode: '11-510',
      seatCity: 'Wydminy',
      startDate: '2021-01-01',
    });
    unit({
      id: DEMO_UNITS.srokowo,
      gminaId: 2808062,
      name: 'Centrum Usług Społecznych w Srokowie',
      seatStreet: 'ul. Szkolna 4',
      seatPostalCode: '11-420',
      seatCity: 'Srokowo',
      startDate: '2021-01-01',
    });
    unit({
      id: DEMO_UNITS.kobylka,
      gminaId: 1434011,
      name: 'Centrum Usług Społecznych w Kobyłce',
      seatStreet: 'ul. Wołomińska 1',
      seatPostalCode: '05-230',
      seatCity: 'Kobyłka',
      startDate: '2022-01-01',
    });
    unit({
      id: DEMO_UNITS.kolbielCelestynow,
      gminaId: 1417052,
      servedGminaIds: [1417052, 1417032],
      name: 'Międzygminne Centrum Usług Społecznych Kołbiel-Celestynów (demo)',
      creationMode: CusCreationMode.INTERMUNICIPAL_AGREEMENT,
      seatStreet: 'ul. Szkolna 1',
      seatPostalCode: '05-340',
      seatCity: 'Kołbiel',
      agreementNumber: 'POR.1.2022',
      agreementDate: '2022-03-15',
      startDate: '2022-07-01',
    });

    await em.flush(); // units first: projects reference them by plain foreign-key columns

    const project = (cusUnitId: string, gminaId: number, data: Partial<FundingProject>) =>
      em.create(FundingProject, { cusUnitId, gminaId, ...POWER, ...POWER_PERIOD, ...data } as never);
    project(DEMO_UNITS.wiazowna, 1417082, {
      title: 'Centrum Usług Społecznych w Gminie Wiązowna',
      totalValue: '3124999.65',
      coFinancingRate: '100.00',
    });
    project(DEMO_UNITS.srokowo, 2808062, {
      title: 'Centrum Usług Społecznych w Gminie Srokowo',
      totalValue: '2489370.50',
      euShare: '2098041.45',
      nationalShare: '391329.05',
    });
    project(DEMO_UNITS.wojcieszkow, 611102, {
      title: 'Centrum Usług Społecznych w Gminie Wojcieszków',
      totalValue: '3004375.00',
    });
    await em.flush();

    await seedPartnersAndCatalogue(em);
    await seedPlanning(em, on);
    await seedResidents(em, on);
    await seedFees(em, on);
    await seedClosedDays(em, on);
    await seedCommissions(em, on);
    await seedPlans(em, on);
  }
}
