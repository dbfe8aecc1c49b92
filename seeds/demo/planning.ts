import type { EntityManager } from '@mikro-orm/postgresql';
import { DEMO_UNITS } from '../demo-units.js';
import { DEMO_LOCATIONS, DEMO_PARTNERS, DEMO_SERVICES, G } from './catalogue.js';
import { demoId, insertRows } from './rows.js';
import { weekdayOf, yearOf, type DemoClock } from './clock.js';
import { DEMO_CARE_FEE } from './fees.js';

/**
 * Wiązowna's diagnosis (its research activities as DOMAIN.md lists them), the consultation that
 * ended on 12 May 2021 (e-mail or paper), the programme adopted in 2021 that runs to the end of the
 * story's year and the draft of the next one, an anonymous survey with responses, and community
 * activities in village community rooms. Resolution numbers, findings, submissions and answers are
 * illustrative.
 */
export const DEMO_DIAGNOSIS = demoId(0x20, 1);
export const DEMO_PROGRAMME = demoId(0x24, 1);
/** The draft of the programme that follows DEMO_PROGRAMME, with its services, ready to be adopted (README). */
export const DEMO_NEXT_PROGRAMME = demoId(0x24, 2);
/** The token of the demo survey that is open for responses (README shows it). */
export const DEMO_SURVEY_TOKEN = 'demo-wiazowna-ankieta-satysfakcji-2026';

export async function seedPlanning(em: EntityManager, on: DemoClock): Promise<void> {
  await seedDiagnosis(em);
  await seedProgrammeAndConsultation(em, on);
  await seedSurveys(em, on);
  await seedCommunity(em, on);
}

const w = { gmina_id: G.wiazowna };
/** Wiązowna's documents concern Wiązowna, the one gmina its centre serves. */
const forWiazowna = { gmina_ids: [G.wiazowna] };

async function seedDiagnosis(em: EntityManager): Promise<void> {
  const diagnosis = DEMO_DIAGNOSIS;
  await insertRows(em, 'diagnosis', [
    {
      ...w,
      ...forWiazowna,
      id: diagnosis,
      cus_unit_id: DEMO_UNITS.wiazowna,
      status: 'COMPLETED',
      title: 'Diagnoza potrzeb i potencjału wspólnoty samorządowej Gminy Wiązowna',
      period_start: '2021-01-04',
      period_end: '2021-04-30',
      summary: 'Najpilniejsze potrzeby: wsparcie opiekunów osób zależnych, usługi opiekuńcze i transport dla seniorów, wsparcie rodzin w kryzysie.',
    },
  ]);
  const stages: [string, string, string][] = [
    ['PLAN', '2021-01-04', '2021-01-15'],
    ['METHODS', '2021-01-11', '2021-01-22'],
    ['DATA_COLLECTION', '2021-01-25', '2021-03-19'],
    ['ANALYSIS', '2021-03-15', '2021-04-09'],
    ['CONCLUSIONS', '2021-04-06', '2021-04-20'],
    ['REPORT', '2021-04-19', '2021-04-30'],
  ];
  await insertRows(
    em,
    'diagnosis_stage',
    stages.map(([stage, start, end], i) => ({
      ...w,
      id: demoId(0x21, i + 1),
      diagnosis_id: diagnosis,
      stage,
      start_date: start,
      end_date: end,
      completed: true,
    })),
  );
  const activity = (n: number, kind: string, title: string, start: string, end: string, groups: string[], participants: number, groupDescription?: string) => ({
    ...w,
    id: demoId(0x22, n),
    diagnosis_id: diagnosis,
    kind,
    title,
    start_date: start,
    end_date: end,
    target_groups: groups,
    participants,
    group_description: groupDescription ?? null,
  });
  await insertRows(em, 'research_activity', [
    activity(1, 'DESK_RESEARCH', 'Analiza danych zastanych (GOPS, GUS, strategia gminy)', '2021-01-25', '2021-02-12', [], 0),
    activity(2, 'SURVEY', 'Ankieta wśród mieszkańców', '2021-02-01', '2021-03-15', ['ALL_RESIDENTS'], 412),
    activity(3, 'IDI', 'Wywiady pogłębione z liderami lokalnymi', '2021-02-08', '2021-02-26', [], 12, 'sołtysi, radni, liderzy organizacji'),
    activity(4, 'FGI', 'Wywiad grupowy: przedstawiciele instytucji', '2021-02-15', '2021-02-15', [], 8, 'szkoły, ośrodek zdrowia, GOK, policja'),
    activity(5, 'FGI', 'Wywiad grupowy: organizacje pozarządowe', '2021-02-17', '2021-02-17', [], 7),
    activity(6, 'FGI', 'Wywiad grupowy: młodzież', '2021-02-22', '2021-02-22', ['CHILDREN_AND_YOUTH'], 9),
    activity(7, 'FGI', 'Wywiad grupowy: opiekunowie osób zależnych', '2021-02-24', '2021-02-24', ['CARERS'], 6),
    activity(8, 'WORKSHOP', 'Warsztat projektowania usług: seniorzy', '2021-03-01', '2021-03-01', ['SENIORS'], 14),
    activity(
      9,
      'WORKSHOP',
      'Warsztat projektowania usług: osoby z niepełnosprawnościami i ich opiekunowie',
      '2021-03-03',
      '2021-03-03',
      ['PEOPLE_WITH_DISABILITIES', 'CARERS'],
      11,
    ),
    activity(10, 'WORKSHOP', 'Warsztat projektowania usług: rodziny w kryzysie', '2021-03-08', '2021-03-08', ['FAMILIES_IN_CRISIS'], 8),
    activity(11, 'WORKSHOP', 'Warsztat projektowania usług: rodziny wielodzietne', '2021-03-10', '2021-03-10', ['LARGE_FAMILIES'], 10),
    activity(12, 'WORKSHOP', 'Warsztat projektowania usług: osoby z uzależnieniami', '2021-03-12', '2021-03-12', ['PEOPLE_WITH_ADDICTIONS'], 6),
  ]);
  const need = (n: number, area: string, group: string, priority: string, description: string) => ({
    ...w,
    id: demoId(0x23, n),
    diagnosis_id: diagnosis,
    area,
    target_group: group,
    priority,
    description,
  });
  await insertRows(em, 'diagnosis_need', [
    need(1, 'DISABILITY_SUPPORT', 'CARERS', 'HIGH', 'Opiekunowie osób zależnych nie mają kim się zastąpić: potrzebna opieka wytchnieniowa.'),
    need(2, 'SOCIAL_ASSISTANCE', 'SENIORS', 'HIGH', 'Brak transportu do lekarza i urzędów dla osób starszych z mniejszych miejscowości.'),
    need(3, 'SOCIAL_ASSISTANCE', 'PEOPLE_LIVING_ALONE', 'HIGH', 'Osoby samotne potrzebują pomocy w codziennych sprawach i kontaktu z innymi.'),
    need(4, 'FAMILY_SUPPORT', 'FAMILIES_IN_CRISIS', 'MEDIUM', 'Rodziny w kryzysie potrzebują poradnictwa psychologicznego i prawnego na miejscu.'),
    need(5, 'HEALTH', 'PEOPLE_WITH_DISABILITIES', 'MEDIUM', 'Rehabilitacja w domu dla osób, które nie mogą dojechać do placówki.'),
    need(6, 'CULTURE', 'SENIORS', 'LOW', 'Więcej zajęć dla seniorów w świetlicach wiejskich.'),
  ]);
  await insertRows(em, 'diagnosis_resource', [
    {
      ...w,
      id: demoId(0x25, 1),
      diagnosis_id: diagnosis,
      kind: 'NGO',
      holder: 'Stowarzyszenie „Razem dla Wiązowny”',
      description: 'Grupa wolontariuszy gotowych odwiedzać seniorów.',
      partner_id: DEMO_PARTNERS.razem,
    },
    {
      ...w,
      id: demoId(0x25, 2),
      diagnosis_id: diagnosis,
      kind: 'INFRASTRUCTURE',
      holder: 'Gmina Wiązowna',
      description: 'Sieć świetlic wiejskich, m.in. w Gliniance i Duchnowie.',
    },
    {
      ...w,
      id: demoId(0x25, 3),
      diagnosis_id: diagnosis,
      kind: 'RESIDENTS',
      holder: 'Koła gospodyń wiejskich',
      description: 'Aktywne KGW organizujące spotkania i warsztaty.',
      partner_id: DEMO_PARTNERS.kgwGlinianka,
    },
    {
      ...w,
      id: demoId(0x25, 4),
      diagnosis_id: diagnosis,
      kind: 'INSTITUTION',
      holder: 'Gminny Ośrodek Kultury w Wiązownie',
      description: 'Sale i kadra do zajęć dla dzieci i seniorów.',
      partner_id: DEMO_PARTNERS.gok,
    },
  ]);
}

async function seedProgrammeAndConsultation(em: EntityManager, on: DemoClock): Promise<void> {
  // The programme of 2021 is in force until the end of the story's year; its successor is a draft.
  const end = on('2026-12-31');
  const next = { start: on('2027-01-01'), end: on('2030-12-31') };
  const programme = {
    ...w,
    cus_unit_id: DEMO_UNITS.wiazowna,
    diagnosis_id: DEMO_DIAGNOSIS,
    target_groups: ['SENIORS', 'PEOPLE_WITH_DISABILITIES', 'CARERS', 'FAMILIES', 'FAMILIES_IN_CRISIS', 'CHILDREN_AND_YOUTH'],
    quality_standards: 'Standardy usług opiekuńczych i opieki wytchnieniowej określone w załączniku nr 2.',
    evaluation: 'Coroczna ewaluacja na podstawie liczby odbiorców, ankiet satysfakcji i sprawozdań partnerów.',
  };
  await insertRows(em, 'programme', [
    {
      ...programme,
      id: DEMO_PROGRAMME,
      title: `Program usług społecznych Gminy Wiązowna na lata 2021-${yearOf(end)}`,
      status: 'ADOPTED',
      adopted_at: '2021-06-29T12:00:00Z',
      resolution_number: 'XXXV.352.2021',
      resolution_date: '2021-06-29',
      period_start: '2021-07-01',
      period_end: end,
    },
    {
      ...programme,
      id: DEMO_NEXT_PROGRAMME,
      title: `Program usług społecznych Gminy Wiązowna na lata ${yearOf(next.start)}-${yearOf(next.end)}`,
      status: 'DRAFT',
      period_start: next.start,
      period_end: next.end,
    },
  ]);
  const inProgramme: [number, string, string?][] = [
    [1, 'Pierwszeństwo mają osoby samotne i niesamodzielne; kolejność zgłoszeń przy wyczerpaniu limitu.', 'INCOME_DEPENDENT'],
    [2, 'Opiekun faktyczny osoby z orzeczeniem o niepełnosprawności; do 240 godzin rocznie.'],
    [3, 'Każdy mieszkaniec gminy.'],
    [4, 'Każdy mieszkaniec gminy.'],
    [6, 'Na podstawie zlecenia lekarza.', 'FIXED'],
    [8, 'Osoby 65+ i osoby z niepełnosprawnościami.', 'FIXED'],
    [9, 'Osoby 65+ i osoby z niepełnosprawnościami; do 4 kursów miesięcznie.', 'FIXED'],
    [10, 'Rodzice i opiekunowie dzieci.'],
    [11, 'Opiekunowie faktyczni.'],
    [14, 'Osoby samotne 65+.', 'INCOME_DEPENDENT'],
  ];
  const offered = (programmeId: string, firstId: number) =>
    inProgramme.map(([n, rules, fee], i) => ({
      ...w,
      id: demoId(0x26, firstId + i),
      programme_id: programmeId,
      service_id: DEMO_SERVICES[n],
      access_rules: rules,
      fee_kind: fee ?? 'FREE',
      fee_amount: fee === 'FIXED' ? (n === 6 ? '20.00' : n === 8 ? '10.00' : '5.00') : null,
      fee_description: fee === 'INCOME_DEPENDENT' ? 'Bezpłatnie przy dochodzie do 150% kryterium; powyżej według tabeli w załączniku nr 1.' : null,
      // The programme in force has the resolution's fee table for care (seeds/demo/fees.ts); the draft gets its own (README).
      fee_unit_cost: programmeId === DEMO_PROGRAMME && n === 1 ? DEMO_CARE_FEE.unitCost : null,
    }));
  // The draft offers the same services on the same terms.
  await insertRows(em, 'programme_service', [...offered(DEMO_PROGRAMME, 1), ...offered(DEMO_NEXT_PROGRAMME, 101)]);

  const consultation = demoId(0x27, 1);
  await insertRows(em, 'consultation', [
    {
      ...w,
      ...forWiazowna,
      id: consultation,
      programme_id: DEMO_PROGRAMME,
      title: 'Konsultacje społeczne projektu Programu usług społecznych',
      description: 'Uwagi można składać e-mailem lub na formularzu papierowym w CUS.',
      starts_on: '2021-04-28',
      ends_on: '2021-05-12',
      channels: ['EMAIL', 'PAPER'],
    },
  ]);
  await insertRows(em, 'consultation_submission', [
    {
      ...w,
      id: demoId(0x28, 1),
      consultation_id: consultation,
      channel: 'EMAIL',
      received_on: '2021-05-04',
      submitted_by: 'dev-services_organiser',
      text: 'Proszę o rozszerzenie taxi dla seniora o dowozy do szpitala w Otwocku.',
      response: 'Uwzględniono: zasięg usługi obejmuje Otwock.',
      responded_on: '2021-05-20',
      responded_by: 'dev-services_organiser',
    },
    {
      ...w,
      id: demoId(0x28, 2),
      consultation_id: consultation,
      channel: 'PAPER',
      received_on: '2021-05-12',
      submitted_by: 'dev-services_organiser',
      author_name: 'Rada Sołecka Glinianka',
      text: 'Wnosimy o zajęcia dla seniorów także w świetlicy w Gliniance.',
      response: 'Uwzględniono: klub seniora w Gliniance wchodzi do katalogu.',
      responded_on: '2021-05-20',
      responded_by: 'dev-services_organiser',
    },
  ]);
}

interface DemoQuestion {
  kind: string;
  text: string;
  options?: string[];
  scale?: [number, number];
}

async function seedSurveys(em: EntityManager, on: DemoClock): Promise<void> {
  const closed = demoId(0x29, 1);
  const open = demoId(0x29, 2);
  await insertRows(em, 'survey', [
    {
      ...w,
      ...forWiazowna,
      id: closed,
      cus_unit_id: DEMO_UNITS.wiazowna,
      diagnosis_id: DEMO_DIAGNOSIS,
      status: 'CLOSED',
      opens_on: '2021-02-01',
      closes_on: '2021-03-15',
      title: 'Ankieta: potrzeby mieszkańców Gminy Wiązowna',
      description: 'Anonimowa ankieta do diagnozy potrzeb i potencjału.',
      public_token: 'demo-wiazowna-ankieta-diagnoza-2021',
    },
    {
      ...w,
      ...forWiazowna,
      id: open,
      cus_unit_id: DEMO_UNITS.wiazowna,
      status: 'PUBLISHED',
      opens_on: on('2026-11-01'),
      closes_on: on('2027-01-31'),
      title: 'Ankieta satysfakcji z usług CUS w Wiązownie',
      description: 'Anonimowa: nie zapisujemy danych osobowych ani adresu IP.',
      public_token: DEMO_SURVEY_TOKEN,
    },
  ]);
  const questions: Record<string, DemoQuestion[]> = {
    [closed]: [
      { kind: 'SINGLE_CHOICE', text: 'Ile ma Pan/Pani lat?', options: ['poniżej 30', '30-49', '50-64', '65 i więcej'] },
      {
        kind: 'MULTIPLE_CHOICE',
        text: 'Których usług brakuje w gminie?',
        options: ['opieka wytchnieniowa', 'transport dla seniorów', 'poradnictwo psychologiczne', 'zajęcia dla dzieci', 'pomoc sąsiedzka'],
      },
      { kind: 'SCALE', text: 'Jak ocenia Pan/Pani dostęp do usług społecznych w gminie?', scale: [1, 5] },
      { kind: 'FREE_TEXT', text: 'Co jeszcze chciałby Pan/chciałaby Pani nam powiedzieć?' },
    ],
    [open]: [
      { kind: 'SCALE', text: 'Jak ocenia Pan/Pani usługi CUS?', scale: [1, 5] },
      { kind: 'FREE_TEXT', text: 'Co możemy poprawić?' },
    ],
  };
  const questionRows = Object.entries(questions).flatMap(([surveyId, list], s) =>
    list.map((q, i) => ({
      ...w,
      id: demoId(0x2a, s * 10 + i + 1),
      survey_id: surveyId,
      position: i + 1,
      kind: q.kind,
      text: q.text,
      options: q.options ?? [],
      scale_min: q.scale?.[0] ?? null,
      scale_max: q.scale?.[1] ?? null,
      required: q.kind !== 'FREE_TEXT',
    })),
  );
  await insertRows(em, 'survey_question', questionRows);

  // Twelve responses to the closed survey, made up deterministically, kept as a survey keeps them: counts per
  // question and value, the texts in sorted order, and responses per day (see Migration20261207000410SurveyAnonymity).
  const texts = ['Więcej zajęć w świetlicy w Duchnowie.', 'Dowóz do lekarza to dla nas najważniejsza sprawa.', 'Dziękuję za pomoc w czasie pandemii.'];
  const responses = Array.from({ length: 12 }, (_, r) => r);
  await insertRows(
    em,
    'survey_day',
    responses.map((r) => ({ ...w, survey_id: closed, day: `2021-02-${String(2 + r * 2).padStart(2, '0')}`, responses: 1 })),
  );
  const [age, missing, access, comment] = questionRows.filter((q) => q.survey_id === closed);
  const tally = (question: typeof age, size: number, given: (r: number) => number[]) => ({
    ...w,
    survey_id: closed,
    question_id: question.id,
    answered: responses.length,
    counts: Array.from({ length: size }, (_, i) => responses.filter((r) => given(r).includes(i)).length),
  });
  await insertRows(em, 'survey_tally', [
    tally(age, 4, (r) => [(r * 7) % 4]),
    tally(missing, 5, (r) => [r % 5, (r + 1) % 5]),
    tally(access, 5, (r) => [(r * 3) % 5]),
    { ...w, survey_id: closed, question_id: comment.id, answered: texts.length, counts: [] },
  ]);
  await insertRows(
    em,
    'survey_text',
    [...texts].sort().map((text) => ({ ...w, survey_id: closed, question_id: comment.id, text_value: text })),
  );
}

async function seedCommunity(em: EntityManager, on: DemoClock): Promise<void> {
  const plan = demoId(0x2d, 1);
  await insertRows(em, 'community_plan', [
    {
      ...w,
      id: plan,
      cus_unit_id: DEMO_UNITS.wiazowna,
      title: 'Plan organizowania społeczności lokalnej: sołectwa Glinianka i Duchnów',
      period_start: on('2026-01-01'),
      period_end: on('2026-12-31'),
      aims: ['Wzmocnienie więzi sąsiedzkich seniorów', 'Aktywizacja młodzieży do wolontariatu', 'Ożywienie świetlic wiejskich'],
    },
  ]);
  const l = DEMO_LOCATIONS;
  const activity = (n: number, data: Record<string, unknown>) => ({ ...w, id: demoId(0x2e, n), cus_unit_id: DEMO_UNITS.wiazowna, plan_id: plan, ...data });
  await insertRows(em, 'community_activity', [
    activity(1, {
      title: 'Spotkanie sąsiedzkie „Poznajmy się”',
      kind: 'EVENT',
      starts_on: on('2026-03-14'),
      starts_at: '16:00',
      ends_at: '19:00',
      location_id: l.swietlicaGlinianka,
      organiser: 'OSL CUS Wiązowna',
      volunteers: ['KGW Glinianka'],
      participants_count: 38,
      outcome: 'Powstała lista chętnych do grupy spacerowej.',
      status: 'HELD',
    }),
    activity(2, {
      title: 'Grupa spacerowa nordic walking',
      kind: 'GROUP',
      starts_on: on('2026-04-07'),
      ends_on: on('2026-10-27'),
      weekdays: [weekdayOf(on('2026-04-07'))],
      starts_at: '10:00',
      ends_at: '11:30',
      location_id: l.swietlicaGlinianka,
      organiser: 'OSL CUS Wiązowna',
      volunteers: ['Stowarzyszenie „Razem dla Wiązowny”'],
      participants_count: 14,
      status: 'HELD',
      outcome: 'Stała grupa 12-15 osób; prowadzenie przejęli wolontariusze.',
    }),
    activity(3, {
      title: 'Międzypokoleniowe warsztaty kulinarne',
      kind: 'WORKSHOP',
      starts_on: on('2026-06-20'),
      starts_at: '11:00',
      ends_at: '14:00',
      location_id: l.swietlicaDuchnow,
      organiser: 'KGW Glinianka z OSL',
      volunteers: ['uczniowie ZS w Wiązownie'],
      participants_count: 22,
      outcome: 'Przepisy trafiły do broszury sołectwa.',
      status: 'HELD',
    }),
    activity(4, {
      title: 'Sąsiedzkie sprzątanie okolic świetlicy',
      kind: 'NEIGHBOURHOOD_INITIATIVE',
      starts_on: on('2026-09-19'),
      starts_at: '09:00',
      ends_at: '12:00',
      location_id: l.swietlicaDuchnow,
      organiser: 'Mieszkańcy Duchnowa',
      volunteers: ['Rada Sołecka Duchnów'],
      participants_count: 17,
      status: 'HELD',
    }),
    activity(5, {
      title: 'Sąsiedzkie spotkanie przy wspólnym stole',
      kind: 'EVENT',
      starts_on: on('2026-12-18'),
      starts_at: '15:00',
      ends_at: '18:00',
      location_id: l.swietlicaGlinianka,
      organiser: 'OSL CUS Wiązowna',
      volunteers: ['KGW Glinianka', 'wolontariusze młodzieżowi'],
      status: 'PLANNED',
    }),
  ]);
}
