import type { EntityManager } from '@mikro-orm/postgresql';
import { DEMO_UNITS } from '../demo-units.js';
import { DEMO_LOCATIONS, DEMO_PARTNERS, DEMO_SERVICES, G } from './catalogue.js';
import { DEMO_RESIDENTS } from './residents.js';
import { demoId, insertRows } from './rows.js';
import { DEMO_COMMISSIONS, seedDeliveries } from './commissions.js';
import { seedSettlements } from './settlements.js';
import { weekdayOf, type DemoClock } from './clock.js';
import { addDays } from '../../src/modules/common/dates.js';
import type { Ipus } from '../../src/modules/ipus/ipus.entity.js';
import { diffSnapshots, snapshotOf, type PlanParts, type Snapshot } from '../../src/modules/ipus/ipus-snapshot.js';

/**
 * Individual plans in every state, in Wiązowna (the demo gmina with a programme in force): active
 * with monitoring notes and an update, awaiting approval (prepared late, so it carries the warning),
 * a draft, a completed one with its closing summary, and a terminated one. Each has the revisions a
 * real history would have written, with snapshots built by the same code the API uses, so
 * `revisions` and `asOfRevision` read them back like any other plan.
 */
const R = (n: number) => demoId(0x34, n);
const A = (n: number) => demoId(0x35, n);
const PLAN = (n: number) => demoId(0x36, n);
const GOAL = (n: number) => demoId(0x37, n);
const ITEM = (n: number) => demoId(0x38, n);
const ACTION = (n: number) => demoId(0x39, n);
const NOTE = (n: number) => demoId(0x3a, n);
const HELP = (n: number) => demoId(0x5c, n);

const COORDINATOR = { by: 'dev-coordinator', role: 'COORDINATOR' };
const DIRECTOR = { by: 'dev-director', role: 'DIRECTOR' };
const w = { gmina_id: G.wiazowna, cus_unit_id: DEMO_UNITS.wiazowna };

type Row = Record<string, unknown>;
interface Step {
  kind: string;
  at: string;
  who: { by: string; role: string };
  plan?: Row;
  parts?: Partial<Record<keyof PlanParts, Row[]>>;
}

const snake = (row: Row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]));

/** Plays a plan's history: each step changes the plan and its parts and writes a revision, as the service would. */
async function seedPlan(em: EntityManager, base: Row, steps: Step[]): Promise<void> {
  let plan: Row = { status: 'DRAFT', ...base };
  let parts: Record<keyof PlanParts, Row[]> = { goals: [], items: [], supportingActions: [], monitoringNotes: [], coordinatedHelp: [] };
  let before: Snapshot = {};
  const revisions: Row[] = [];
  steps.forEach((step, i) => {
    plan = { ...plan, ...step.plan };
    parts = { ...parts, ...step.parts };
    const snapshot = snapshotOf(plan as unknown as Ipus, parts as unknown as PlanParts);
    revisions.push({
      ipus_id: plan.id,
      revision: i + 1,
      gmina_id: G.wiazowna,
      kind: step.kind,
      changed_by: step.who.by,
      changed_by_role: step.who.role,
      changed_at: `${step.at}T10:00:00Z`,
      changes: diffSnapshots(before, snapshot),
      snapshot,
    });
    before = snapshot;
  });
  // The day it was really prepared is its first save's (Migration20261209000100IpusRecordedOn), here the first step's.
  await insertRows(em, 'ipus', [{ ...snake(plan), ...w, revision: steps.length, recorded_on: steps[0].at }]);
  const scoped = (rows: Row[]) => rows.map((row) => ({ ...snake(row), gmina_id: G.wiazowna, ipus_id: plan.id }));
  if (parts.goals.length) await insertRows(em, 'ipus_goal', scoped(parts.goals));
  if (parts.items.length) await insertRows(em, 'ipus_item', scoped(parts.items));
  if (parts.supportingActions.length) await insertRows(em, 'ipus_supporting_action', scoped(parts.supportingActions));
  if (parts.monitoringNotes.length) await insertRows(em, 'ipus_monitoring_note', scoped(parts.monitoringNotes));
  if (parts.coordinatedHelp.length) await insertRows(em, 'ipus_coordinated_help', scoped(parts.coordinatedHelp));
  // One at a time and in order: each revision's trigger writes its outbox event.
  for (const revision of revisions) await insertRows(em, 'ipus_revision', [revision]);
}

const goal = (n: number, position: number, description: string, outcome: Row = {}): Row => ({
  id: GOAL(n),
  position,
  description,
  outcome: null,
  closingSummary: null,
  ...outcome,
});
const item = (n: number, position: number, values: Row): Row => ({
  id: ITEM(n),
  position,
  goalId: null,
  providerKind: 'CUS',
  partnerId: null,
  commissionId: null,
  providerUnitName: null,
  placeKind: 'RESIDENT_HOME',
  locationId: null,
  weekdays: null,
  startsAt: null,
  endsAt: null,
  sessionCount: null,
  keepsHolidays: false,
  note: null,
  ...values,
});
const action = (n: number, position: number, description: string, giverKind: string, giverName: string | null, schedule: string | null): Row => ({
  id: ACTION(n),
  position,
  description,
  giverKind,
  giverName,
  schedule,
});
const note = (n: number, notedOn: string, text: string): Row => ({
  id: NOTE(n),
  notedOn,
  authorSubject: 'dev-coordinator',
  authorName: 'Koordynator IPUS (demo)',
  note: text,
});
const planBase = (n: number, residentId: string, applicationId: string, values: Row): Row => ({
  id: PLAN(n),
  residentId,
  applicationId,
  coordinatorSubject: 'dev-coordinator',
  coordinatorName: 'Koordynator IPUS (demo)',
  latePreparationWarning: null,
  submittedOn: null,
  approvedOn: null,
  approvedBy: null,
  agreedOn: null,
  agreementHow: null,
  activatedOn: null,
  closedOn: null,
  closingConversationOn: null,
  terminationReason: null,
  terminationCode: null,
  ...values,
});

export async function seedPlans(em: EntityManager, on: DemoClock): Promise<void> {
  // Fictional residents (valid test PESEL numbers that belong to nobody) and their qualified applications.
  await insertRows(em, 'resident', [
    {
      id: R(1),
      gmina_id: G.wiazowna,
      first_name: 'Władysław',
      last_name: 'Próbny',
      pesel: '44030801233',
      birth_date: '1944-03-08',
      sex: 'MALE',
      street: 'ul. Słoneczna 12',
      postal_code: '05-462',
      city: 'Wiązowna',
    },
    {
      id: R(2),
      gmina_id: G.wiazowna,
      first_name: 'Krystyna',
      last_name: 'Wzorowa',
      pesel: '50061404569',
      birth_date: '1950-06-14',
      sex: 'FEMALE',
      street: 'ul. Mazowiecka 4',
      postal_code: '05-408',
      city: 'Glinianka',
    },
    {
      id: R(3),
      gmina_id: G.wiazowna,
      first_name: 'Jan',
      last_name: 'Testowy',
      pesel: '71110207715',
      birth_date: '1971-11-02',
      sex: 'MALE',
      street: 'ul. Długa 8',
      postal_code: '05-462',
      city: 'Duchnów',
    },
  ]);
  const application = (n: number, residentId: string, filedOn: string, decidedOn: string, text: string) => ({
    ...w,
    id: A(n),
    resident_id: residentId,
    filed_on: filedOn,
    channel: 'IN_PERSON',
    filed_by: 'PERSON',
    requested_areas: ['SOCIAL_ASSISTANCE'],
    request_text: text,
    status: 'QUALIFIED',
    decided_on: decidedOn,
    decided_by: 'dev-coordinator',
  });
  await insertRows(em, 'application', [
    application(1, R(1), on('2026-11-10'), on('2026-11-14'), 'Pomoc w domu po pobycie w szpitalu.'),
    application(2, R(2), on('2025-10-01'), on('2025-10-08'), 'Wsparcie po śmierci męża; samotność.'),
    application(3, R(3), on('2026-06-01'), on('2026-06-05'), 'Pomoc w dojazdach na rehabilitację.'),
  ]);
  // Each was qualified after its needs assessment, as applicationQualify requires: a conversation two days after filing.
  const filed = [on('2026-11-10'), on('2025-10-01'), on('2026-06-01')];
  await insertRows(
    em,
    'needs_assessment',
    filed.map((filedOn, i) => ({
      gmina_id: G.wiazowna,
      id: demoId(0x32, 11 + i),
      application_id: A(i + 1),
      conversation_on: addDays(filedOn, 2),
      place: 'RESIDENT_HOME',
      coordinator_subject: 'dev-coordinator',
      coordinator_name: 'Koordynator IPUS (demo)',
    })),
  );
  await insertRows(
    em,
    'needs_assessment_need',
    filed.map((_, i) => ({
      gmina_id: G.wiazowna,
      id: demoId(0x33, 11 + i),
      assessment_id: demoId(0x32, 11 + i),
      area: 'SOCIAL_ASSISTANCE',
      description: 'Pomoc w domu',
    })),
  );

  const s = DEMO_SERVICES;
  const { helena, janina } = DEMO_RESIDENTS;

  // ACTIVE: Helena Testowa, usługi opiekuńcze and rides to the doctor, monitored and updated.
  const care = item(1, 1, {
    goalId: GOAL(1),
    serviceId: s[1],
    weekdays: ['MO', 'WE', 'FR'],
    startsAt: '09:00:00',
    endsAt: '11:00:00',
    startOn: on('2026-10-01'),
    endOn: on('2026-12-31'),
    quantity: '6.00',
    quantityUnit: 'HOURS',
  });
  const rides = item(2, 2, {
    goalId: GOAL(1),
    serviceId: s[9],
    providerKind: 'PARTNER',
    partnerId: DEMO_PARTNERS.wspolnaSprawa,
    commissionId: DEMO_COMMISSIONS.taxi,
    sessionCount: 8,
    startOn: on('2026-10-01'),
    endOn: on('2026-12-31'),
    quantity: '8.00',
    quantityUnit: 'SESSIONS',
    note: 'Dowozy do przychodni w Otwocku',
  });
  const neighbours = item(3, 3, {
    goalId: GOAL(2),
    serviceId: s[14],
    weekdays: ['TU'],
    startsAt: '12:00:00',
    endsAt: '14:00:00',
    startOn: on('2026-11-03'),
    endOn: on('2026-12-31'),
    quantity: '2.00',
    quantityUnit: 'HOURS',
  });
  // Weekly on the weekday its first session falls on (a Wednesday in the story), which its deliveries keep.
  const rehabilitation = item(9, 4, {
    goalId: GOAL(1),
    serviceId: s[6],
    providerKind: 'PARTNER',
    partnerId: DEMO_PARTNERS.rehaMobil,
    commissionId: DEMO_COMMISSIONS.rehabilitation,
    weekdays: [weekdayOf(on('2026-11-04'))],
    startsAt: '15:00:00',
    endsAt: '16:00:00',
    startOn: on('2026-11-04'),
    endOn: on('2026-12-31'),
    quantity: '9.00',
    quantityUnit: 'HOURS',
  });
  const helenaGoals = [goal(1, 1, 'Bezpieczne i samodzielne funkcjonowanie w domu'), goal(2, 2, 'Regularny kontakt z innymi mieszkańcami')];
  await seedPlan(em, planBase(1, helena, demoId(0x31, 1), { periodStart: on('2026-10-01'), periodEnd: on('2027-03-31'), preparedOn: on('2026-09-20') }), [
    {
      kind: 'CREATED',
      at: on('2026-09-20'),
      who: COORDINATOR,
      parts: {
        goals: helenaGoals,
        items: [care, rides],
        supportingActions: [action(1, 1, 'Zakupy spożywcze raz w tygodniu', 'NEIGHBOUR', 'Pani Zofia z naprzeciwka', 'soboty rano')],
        // Help from outside the catalogue the plan coordinates (no commission, no deliveries).
        coordinatedHelp: [
          {
            id: HELP(1),
            position: 1,
            system: 'SOCIAL_ASSISTANCE',
            providerName: 'Zespół ds. świadczeń, Urząd Gminy Wiązowna',
            description: 'Zasiłek stały',
            schedule: 'co miesiąc',
            weekdays: null,
            startsAt: null,
            endsAt: null,
            startOn: on('2026-10-01'),
            endOn: null,
          },
        ],
      },
    },
    { kind: 'SUBMITTED', at: on('2026-09-22'), who: COORDINATOR, plan: { status: 'AWAITING_APPROVAL', submittedOn: on('2026-09-22') } },
    { kind: 'APPROVED', at: on('2026-09-25'), who: DIRECTOR, plan: { status: 'APPROVED', approvedOn: on('2026-09-25'), approvedBy: 'dev-director' } },
    {
      kind: 'ACTIVATED',
      at: on('2026-09-29'),
      who: COORDINATOR,
      plan: { status: 'ACTIVE', agreedOn: on('2026-09-29'), agreementHow: 'IN_WRITING', activatedOn: on('2026-09-29') },
    },
    {
      kind: 'NOTE_ADDED',
      at: on('2026-10-20'),
      who: COORDINATOR,
      parts: { monitoringNotes: [note(1, on('2026-10-20'), 'Wizyta domowa: usługi realizowane zgodnie z planem; pani Helena zadowolona z opiekunki.')] },
    },
    { kind: 'UPDATED', at: on('2026-11-02'), who: COORDINATOR, parts: { items: [care, rides, neighbours, rehabilitation] } },
    {
      kind: 'NOTE_ADDED',
      at: on('2026-11-15'),
      who: COORDINATOR,
      parts: {
        monitoringNotes: [
          note(1, on('2026-10-20'), 'Wizyta domowa: usługi realizowane zgodnie z planem; pani Helena zadowolona z opiekunki.'),
          note(2, on('2026-11-15'), 'Pierwsze usługi sąsiedzkie: spacer i rozmowa; warto utrzymać.'),
        ],
      },
    },
  ]);

  // AWAITING_APPROVAL: Janina Próbna, respite care for a carer; prepared 64 days after the application.
  const [janinaFiled, janinaPrepared] = [on('2026-09-15'), on('2026-11-18')];
  await seedPlan(
    em,
    planBase(2, janina, demoId(0x31, 2), {
      periodStart: on('2026-12-01'),
      periodEnd: on('2027-05-31'),
      preparedOn: janinaPrepared,
      latePreparationWarning: `Prepared on ${janinaPrepared}, more than 30 days after the application of ${janinaFiled} (due by ${addDays(janinaFiled, 30)})`,
    }),
    [
      {
        kind: 'CREATED',
        at: on('2026-11-18'),
        who: COORDINATOR,
        parts: {
          goals: [goal(3, 1, 'Odpoczynek opiekunki dwa razy w tygodniu')],
          items: [
            item(4, 1, {
              goalId: GOAL(3),
              serviceId: s[2],
              weekdays: ['TU', 'TH'],
              startsAt: '10:00:00',
              endsAt: '14:00:00',
              startOn: on('2026-12-01'),
              endOn: on('2026-12-31'),
              quantity: '8.00',
              quantityUnit: 'HOURS',
            }),
          ],
        },
      },
      {
        kind: 'EDITED',
        at: on('2026-11-19'),
        who: COORDINATOR,
        parts: {
          goals: [goal(3, 1, 'Odpoczynek opiekunki dwa razy w tygodniu'), goal(4, 2, 'Wsparcie psychiczne opiekunki')],
          items: [
            item(4, 1, {
              goalId: GOAL(3),
              serviceId: s[2],
              weekdays: ['TU', 'TH'],
              startsAt: '10:00:00',
              endsAt: '14:00:00',
              startOn: on('2026-12-01'),
              endOn: on('2026-12-31'),
              quantity: '8.00',
              quantityUnit: 'HOURS',
            }),
            item(5, 2, {
              goalId: GOAL(4),
              serviceId: s[11],
              placeKind: 'LOCATION',
              locationId: DEMO_LOCATIONS.swietlicaGlinianka,
              weekdays: ['TH'],
              startsAt: '17:00:00',
              endsAt: '19:00:00',
              startOn: on('2026-12-03'),
              endOn: on('2026-12-31'),
              quantity: '2.00',
              quantityUnit: 'HOURS',
            }),
          ],
        },
      },
      { kind: 'SUBMITTED', at: on('2026-11-20'), who: COORDINATOR, plan: { status: 'AWAITING_APPROVAL', submittedOn: on('2026-11-20') } },
    ],
  );

  // DRAFT: Władysław Próbny, after a hospital stay.
  await seedPlan(em, planBase(3, R(1), A(1), { periodStart: on('2026-12-01'), periodEnd: on('2027-03-31'), preparedOn: on('2026-11-20') }), [
    {
      kind: 'CREATED',
      at: on('2026-11-20'),
      who: COORDINATOR,
      parts: {
        goals: [goal(5, 1, 'Powrót do sprawności po pobycie w szpitalu')],
        items: [
          item(6, 1, {
            goalId: GOAL(5),
            serviceId: s[1],
            weekdays: ['MO', 'TH'],
            startsAt: '08:00:00',
            endsAt: '10:00:00',
            startOn: on('2026-12-01'),
            endOn: on('2026-12-31'),
            quantity: '4.00',
            quantityUnit: 'HOURS',
          }),
        ],
        supportingActions: [action(2, 1, 'Codzienny telefon od córki', 'FAMILY', 'Córka', 'codziennie wieczorem')],
      },
    },
  ]);

  // COMPLETED: Krystyna Wzorowa, out of loneliness after her husband's death, goals met.
  const krystynaGoals = (closing: boolean) => [
    goal(
      6,
      1,
      'Wyjście z izolacji po śmierci męża',
      closing ? { outcome: 'ACHIEVED', closingSummary: 'Regularnie bywa w klubie seniora; ma stałe grono znajomych.' } : {},
    ),
    goal(
      7,
      2,
      'Wsparcie psychologiczne w żałobie',
      closing ? { outcome: 'PARTLY_ACHIEVED', closingSummary: 'Pięć z ośmiu konsultacji; dalsze wsparcie w grupie parafialnej.' } : {},
    ),
  ];
  await seedPlan(em, planBase(4, R(2), A(2), { periodStart: on('2025-10-15'), periodEnd: on('2026-04-14'), preparedOn: on('2025-10-09') }), [
    {
      kind: 'CREATED',
      at: on('2025-10-09'),
      who: COORDINATOR,
      parts: {
        goals: krystynaGoals(false),
        items: [
          item(7, 1, {
            goalId: GOAL(7),
            serviceId: s[3],
            placeKind: 'LOCATION',
            locationId: DEMO_LOCATIONS.cusWiazowna,
            sessionCount: 8,
            startOn: on('2025-10-15'),
            endOn: on('2026-03-31'),
            quantity: '8.00',
            quantityUnit: 'SESSIONS',
          }),
        ],
        supportingActions: [action(3, 1, 'Wspólne wyjścia do klubu seniora', 'VOLUNTEER', 'Wolontariuszka Stowarzyszenia „Razem dla Wiązowny”', 'środy')],
      },
    },
    { kind: 'SUBMITTED', at: on('2025-10-10'), who: COORDINATOR, plan: { status: 'AWAITING_APPROVAL', submittedOn: on('2025-10-10') } },
    { kind: 'APPROVED', at: on('2025-10-13'), who: DIRECTOR, plan: { status: 'APPROVED', approvedOn: on('2025-10-13'), approvedBy: 'dev-director' } },
    {
      kind: 'ACTIVATED',
      at: on('2025-10-14'),
      who: COORDINATOR,
      plan: { status: 'ACTIVE', agreedOn: on('2025-10-14'), agreementHow: 'ORALLY_IN_PERSON', activatedOn: on('2025-10-14') },
    },
    {
      kind: 'NOTE_ADDED',
      at: on('2026-01-12'),
      who: COORDINATOR,
      parts: { monitoringNotes: [note(3, on('2026-01-12'), 'Pani Krystyna chodzi do klubu co tydzień; konsultacje co dwa tygodnie.')] },
    },
    {
      kind: 'COMPLETED',
      at: on('2026-04-14'),
      who: COORDINATOR,
      plan: { status: 'COMPLETED', closingConversationOn: on('2026-04-10'), closedOn: on('2026-04-14') },
      parts: { goals: krystynaGoals(true) },
    },
  ]);

  // TERMINATED: Jan Testowy moved to another gmina.
  await seedPlan(em, planBase(5, R(3), A(3), { periodStart: on('2026-06-15'), periodEnd: on('2026-12-14'), preparedOn: on('2026-06-08') }), [
    {
      kind: 'CREATED',
      at: on('2026-06-08'),
      who: COORDINATOR,
      parts: {
        goals: [goal(8, 1, 'Regularna rehabilitacja po wypadku')],
        items: [
          item(8, 1, {
            goalId: GOAL(8),
            serviceId: s[9],
            providerKind: 'PARTNER',
            partnerId: DEMO_PARTNERS.wspolnaSprawa,
            commissionId: DEMO_COMMISSIONS.taxi,
            sessionCount: 12,
            startOn: on('2026-06-15'),
            endOn: on('2026-12-14'),
            quantity: '12.00',
            quantityUnit: 'SESSIONS',
          }),
        ],
      },
    },
    { kind: 'SUBMITTED', at: on('2026-06-09'), who: COORDINATOR, plan: { status: 'AWAITING_APPROVAL', submittedOn: on('2026-06-09') } },
    { kind: 'APPROVED', at: on('2026-06-10'), who: DIRECTOR, plan: { status: 'APPROVED', approvedOn: on('2026-06-10'), approvedBy: 'dev-director' } },
    {
      kind: 'ACTIVATED',
      at: on('2026-06-12'),
      who: COORDINATOR,
      plan: { status: 'ACTIVE', agreedOn: on('2026-06-12'), agreementHow: 'IN_WRITING', activatedOn: on('2026-06-12') },
    },
    {
      kind: 'TERMINATED',
      at: on('2026-08-31'),
      who: DIRECTOR,
      plan: {
        status: 'TERMINATED',
        terminationCode: 'MOVED_AWAY',
        terminationReason: 'Przeprowadzka do innej gminy (Otwock); przekazano informację do CUS w Otwocku.',
        closedOn: on('2026-08-31'),
      },
    },
  ]);

  await seedDeliveries(em, on, { helenaRides: ITEM(2), helenaRehabilitation: ITEM(9), janRides: ITEM(8) });
  await seedSettlements(em, on);
}
