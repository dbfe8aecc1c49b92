import type { EntityManager } from '@mikro-orm/postgresql';
import { DEMO_UNITS } from '../demo-units.js';
import { DEMO_PARTNERS, DEMO_SERVICES, G } from './catalogue.js';
import { demoId, insertRows } from './rows.js';
import { yearOf, yearsOf, type DemoClock } from './clock.js';

/**
 * Commissions of the demo centres to several partners, in every state, and the deliveries partners
 * recorded on the demo plans (seeds/demo/ipus.ts assigns its partner items under these). Use counts
 * are left to the database's triggers, as in real operation; the day each reached its status is the
 * story's (a partner's access to people ends a while after it: migrations, PartnerGround).
 */
const C = (n: number) => demoId(0x3b, n);
const D = (n: number) => demoId(0x3c, n);

export const DEMO_COMMISSIONS = { taxi: C(1), rehabilitation: C(2), volunteers: C(3), legalAdvice: C(4), assistance: C(5) };

export async function seedCommissions(em: EntityManager, on: DemoClock): Promise<void> {
  const p = DEMO_PARTNERS;
  const s = DEMO_SERVICES;
  const wiazowna = { gmina_id: G.wiazowna, gmina_ids: [G.wiazowna], cus_unit_id: DEMO_UNITS.wiazowna };
  const kobylka = { gmina_id: G.kobylka, gmina_ids: [G.kobylka], cus_unit_id: DEMO_UNITS.kobylka };
  const commission = (base: Record<string, unknown>, values: Record<string, unknown>) => ({
    agreement_number: null,
    period_start: null,
    period_end: null,
    budget: null,
    unit_price: null,
    max_recipients: null,
    volume: null,
    volume_unit: null,
    quality_indicators: [],
    reporting_duty: null,
    status: 'ACTIVE',
    status_reason: null,
    ...base,
    ...values,
  });
  const C_ = DEMO_COMMISSIONS;
  // Periods, and the titles and agreement numbers that carry their years, follow the demo's clock.
  const period = (start: string, end: string) => ({ period_start: on(start), period_end: on(end) });
  const years = (terms: ReturnType<typeof period>) => yearsOf(terms.period_start, terms.period_end);
  const year = (terms: ReturnType<typeof period>) => yearOf(terms.period_start);
  const taxi = period('2026-01-01', '2026-12-31');
  const rehabilitation = period('2026-03-01', '2026-12-31');
  const volunteers = period('2027-01-01', '2027-12-31');
  const legalAdvice = period('2025-01-01', '2025-12-31');
  const assistance = period('2026-02-01', '2026-12-31');
  await insertRows(em, 'commission', [
    commission(wiazowna, {
      id: C_.taxi,
      partner_id: p.wspolnaSprawa,
      title: `Dowozy seniorów i osób z niepełnosprawnością ${years(taxi)}`,
      procedure: 'OPEN_CALL',
      agreement_number: `CUS.526.3.${year(taxi)}`,
      ...taxi,
      budget: '24000.00',
      unit_price: '40.00',
      max_recipients: 40,
      volume: '600.00',
      volume_unit: 'SESSIONS',
      status_changed_on: on('2026-01-02'),
      quality_indicators: ['Odsetek kursów zrealizowanych punktualnie', 'Ocena usługi w ankiecie odbiorców'],
      reporting_duty: 'Sprawozdanie kwartalne do 15. dnia po kwartale; końcowe w ciągu miesiąca od końca umowy',
    }),
    commission(wiazowna, {
      id: C_.rehabilitation,
      partner_id: p.rehaMobil,
      title: `Rehabilitacja mobilna w domu ${years(rehabilitation)}`,
      procedure: 'SMALL_GRANT',
      agreement_number: `CUS.526.7.${year(rehabilitation)}`,
      ...rehabilitation,
      budget: '9600.00',
      unit_price: '80.00',
      max_recipients: 10,
      volume: '120.00',
      volume_unit: 'HOURS',
      quality_indicators: ['Poprawa sprawności w skali Barthel'],
      status_changed_on: on('2026-02-20'),
      reporting_duty: 'Sprawozdanie końcowe w ciągu 30 dni od zakończenia',
    }),
    commission(wiazowna, {
      id: C_.volunteers,
      partner_id: p.razem,
      title: `Wolontariat dla seniorów ${years(volunteers)}`,
      procedure: 'OPEN_CALL',
      status: 'PLANNED',
      ...volunteers,
      max_recipients: 30,
      status_changed_on: on('2026-11-16'),
    }),
    commission(wiazowna, {
      id: C_.legalAdvice,
      partner_id: p.pomocnaDlon,
      title: `Poradnictwo prawne i obywatelskie ${years(legalAdvice)}`,
      procedure: 'PUBLIC_BODY_AGREEMENT',
      agreement_number: `CUS.032.2.${year(legalAdvice)}`,
      ...legalAdvice,
      budget: '18000.00',
      unit_price: '150.00',
      volume: '120.00',
      volume_unit: 'HOURS',
      status: 'COMPLETED',
      status_changed_on: on('2026-01-30'),
      reporting_duty: 'Sprawozdanie roczne',
    }),
    commission(kobylka, {
      id: C_.assistance,
      partner_id: p.wspolnaSprawa,
      title: `Asystencja osobista ${years(assistance)}`,
      procedure: 'PUBLIC_PROCUREMENT',
      agreement_number: `ZP.271.4.${year(assistance)}`,
      ...assistance,
      budget: '86400.00',
      unit_price: '60.00',
      max_recipients: 12,
      volume: '1440.00',
      volume_unit: 'HOURS',
      status: 'SUSPENDED',
      status_reason: 'Kontrola rozliczeń za III kwartał',
      status_changed_on: on('2026-10-26'),
    }),
  ]);
  await insertRows(em, 'commission_service', [
    { commission_id: C_.taxi, service_id: s[9], gmina_id: G.wiazowna },
    { commission_id: C_.taxi, service_id: s[8], gmina_id: G.wiazowna },
    { commission_id: C_.rehabilitation, service_id: s[6], gmina_id: G.wiazowna },
    { commission_id: C_.volunteers, service_id: s[15], gmina_id: G.wiazowna },
    { commission_id: C_.legalAdvice, service_id: s[4], gmina_id: G.wiazowna },
    { commission_id: C_.assistance, service_id: s[22], gmina_id: G.kobylka },
  ]);
}

/** What the partners recorded on the demo plans' items (item ids as seeds/demo/ipus.ts gives them). */
export async function seedDeliveries(
  em: EntityManager,
  on: DemoClock,
  items: { helenaRides: string; helenaRehabilitation: string; janRides: string },
): Promise<void> {
  let n = 0;
  // Partners' notes live apart from the sessions, in delivery_note (one per version of the delivery).
  const notes: { delivery_id: string; version: number; note: string }[] = [];
  const delivery = (item: string, partner: string, deliveredOn: string, startsAt: string, minutes: number, outcome: string, note: string | null = null) => {
    const id = D(++n);
    if (note !== null) notes.push({ delivery_id: id, version: 1, note });
    return {
      id,
      ipus_item_id: item,
      partner_id: partner,
      gmina_id: G.wiazowna,
      commission_id: DEMO_COMMISSIONS.taxi,
      delivered_on: on(deliveredOn),
      starts_at: startsAt,
      duration_minutes: minutes,
      outcome,
      recorded_by: 'dev-partner',
    };
  };
  const taxi = DEMO_PARTNERS.wspolnaSprawa;
  const rehab = DEMO_PARTNERS.rehaMobil;
  // The database sets each delivery's gmina and commission from its item.
  await insertRows(em, 'delivery', [
    delivery(items.helenaRides, taxi, '2026-10-06', '08:30', 90, 'DELIVERED', 'Przychodnia w Otwocku, kurs w obie strony'),
    delivery(items.helenaRides, taxi, '2026-10-13', '08:30', 90, 'DELIVERED'),
    delivery(items.helenaRides, taxi, '2026-10-20', '08:30', 75, 'DELIVERED'),
    delivery(items.helenaRides, taxi, '2026-10-27', '08:30', 15, 'RESIDENT_ABSENT', 'Nikt nie otworzył; telefon do koordynatorki'),
    delivery(items.helenaRides, taxi, '2026-11-03', '08:30', 90, 'DELIVERED'),
    delivery(items.helenaRides, taxi, '2026-11-17', '08:30', 30, 'CANCELLED_BY_RESIDENT', 'Wizyta lekarska przełożona'),
    delivery(items.helenaRehabilitation, rehab, '2026-11-04', '15:00', 60, 'DELIVERED'),
    delivery(items.helenaRehabilitation, rehab, '2026-11-11', '15:00', 60, 'CANCELLED_BY_PROVIDER', 'Choroba fizjoterapeuty'),
    delivery(items.helenaRehabilitation, rehab, '2026-11-18', '15:00', 60, 'DELIVERED'),
    delivery(items.helenaRehabilitation, rehab, '2026-11-25', '15:00', 60, 'DELIVERED'),
    delivery(items.janRides, taxi, '2026-06-16', '07:45', 120, 'DELIVERED', 'Rehabilitacja w Otwocku'),
    delivery(items.janRides, taxi, '2026-06-23', '07:45', 120, 'DELIVERED'),
    delivery(items.janRides, taxi, '2026-07-07', '07:45', 120, 'DELIVERED'),
  ]);
  // The database sets each note's gmina and partner from its delivery.
  await insertRows(em, 'delivery_note', notes);
  // A correction, as the partner made it: the database keeps the previous values (delivery_correction).
  await em.getConnection().execute(
    `with who as (select set_config('app.user_id', 'dev-partner', true))
     update delivery set duration_minutes = 80 from who where id = ?`,
    [D(3)],
  );
  await insertRows(em, 'delivery_note', [{ delivery_id: D(3), version: 2, note: 'Korekta: kurs dłuższy, objazd' }]);
}
