import type { EntityManager } from '@mikro-orm/postgresql';
import { toGlobalId } from '../../src/platform/graphql/node.js';
import { DEMO_UNITS } from '../demo-units.js';
import { DEMO_SERVICES, G } from './catalogue.js';
import { demoId, insertRows } from './rows.js';
import { yearOf, type DemoClock } from './clock.js';

/**
 * Fictional residents (names and addresses invented; PESEL numbers made up with valid check digits
 * and birth dates, belonging to nobody) and their applications in every state: filed, qualified
 * after a needs assessment, refused by decision, forwarded with consent.
 */
const R = (n: number) => demoId(0x30, n);
const A = (n: number) => demoId(0x31, n);

export const DEMO_RESIDENTS = { helena: R(1), stanislaw: R(2), janina: R(3), marek: R(4), ewa: R(5), kuba: R(6), zofia: R(7), andrzej: R(8), teresa: R(9) };
/** Helena Testowa's application and the story's day of its filing: tests read the demo's clock back from it (tests/support/demo-clock.ts). */
export const HELENA_APPLICATION = { id: A(1), filedOn: '2026-09-01' };

export async function seedResidents(em: EntityManager, on: DemoClock): Promise<void> {
  const resident = (
    n: number,
    gminaId: number,
    first: string,
    last: string,
    pesel: string | null,
    birthDate: string,
    sex: string | null,
    extra: Record<string, unknown> = {},
  ) => ({ id: R(n), gmina_id: gminaId, first_name: first, last_name: last, pesel, birth_date: birthDate, sex, ...extra });
  await insertRows(em, 'resident', [
    resident(1, G.wiazowna, 'Helena', 'Testowa', '41031210125', '1941-03-12', 'FEMALE', {
      street: 'ul. Polna 3',
      postal_code: '05-408',
      city: 'Glinianka',
      phone: '+48 600 000 001',
      household_notes: 'Mieszka sama; córka w Warszawie odwiedza w weekendy.',
    }),
    resident(2, G.wiazowna, 'Stanisław', 'Przykładowy', '38110220250', '1938-11-02', 'MALE', {
      street: 'ul. Leśna 14',
      postal_code: '05-462',
      city: 'Duchnów',
      phone: '+48 600 000 002',
    }),
    resident(3, G.wiazowna, 'Janina', 'Próbna', '57073030366', '1957-07-30', 'FEMALE', {
      street: 'ul. Kwiatowa 7',
      postal_code: '05-462',
      city: 'Wiązowna',
      household_notes: 'Opiekuje się mężem po udarze.',
    }),
    resident(4, G.wiazowna, 'Marek', 'Fikcyjny', '84011540496', '1984-01-15', 'MALE', { city: 'Wiązowna', postal_code: '05-462', street: 'ul. Boczna 2' }),
    resident(5, G.wiazowna, 'Ewa', 'Demonstracyjna', '90050550501', '1990-05-05', 'FEMALE', {
      street: 'ul. Szkolna 9',
      postal_code: '05-462',
      city: 'Wiązowna',
      email: 'ewa.demo@example.pl',
      household_notes: 'Rodzina wielodzietna, czworo dzieci.',
    }),
    resident(6, G.wiazowna, 'Kuba', 'Demonstracyjny', '12292160636', '2012-09-21', 'MALE', {
      street: 'ul. Szkolna 9',
      postal_code: '05-462',
      city: 'Wiązowna',
    }),
    resident(7, G.srokowo, 'Zofia', 'Wzorcowa', '49122470742', '1949-12-24', 'FEMALE', { street: 'Leśniewo 3', postal_code: '11-420', city: 'Leśniewo' }),
    resident(8, G.wydminy, 'Andrzej', 'Modelowy', '66040180872', '1966-04-01', 'MALE', { street: 'ul. Jeziorna 5', postal_code: '11-510', city: 'Wydminy' }),
    resident(9, G.kobylka, 'Teresa', 'Szablonowa', null, '1952-02-29', null, {
      street: 'ul. Załuskiego 20',
      postal_code: '05-230',
      city: 'Kobyłka',
      household_notes: 'Brak numeru PESEL w dokumentach.',
    }),
  ]);
  await insertRows(em, 'resident_sensitive', [
    {
      resident_id: R(1),
      gmina_id: G.wiazowna,
      disability_level: 'MODERATE',
      disability_certificate_valid_until: on('2027-03-31'),
      health_notes: 'Po endoprotezie biodra; porusza się o kulach.',
    },
    { resident_id: R(3), gmina_id: G.wiazowna, health_notes: 'Przeciążenie opieką; zgłasza bezsenność.' },
    { resident_id: R(6), gmina_id: G.wiazowna, disability_level: 'MILD', disability_certificate_valid_until: on('2028-09-30') },
  ]);

  const w = { gmina_id: G.wiazowna, cus_unit_id: DEMO_UNITS.wiazowna };
  await insertRows(em, 'application', [
    {
      ...w,
      id: HELENA_APPLICATION.id,
      resident_id: R(1),
      filed_on: on(HELENA_APPLICATION.filedOn),
      channel: 'IN_PERSON',
      filed_by: 'PERSON',
      requested_areas: ['SOCIAL_ASSISTANCE'],
      requested_service_ids: [DEMO_SERVICES[1]],
      request_text: 'Pomoc w codziennych czynnościach i w dojazdach do lekarza.',
      status: 'QUALIFIED',
      decided_on: on('2026-09-10'),
      decided_by: 'dev-coordinator',
    },
    {
      ...w,
      id: A(2),
      resident_id: R(3),
      filed_on: on('2026-09-15'),
      channel: 'PHONE',
      filed_by: 'PERSON',
      requested_areas: ['DISABILITY_SUPPORT'],
      requested_service_ids: [DEMO_SERVICES[2], DEMO_SERVICES[11]],
      request_text: 'Opieka wytchnieniowa i grupa wsparcia dla opiekunów.',
      status: 'QUALIFIED',
      decided_on: on('2026-09-25'),
      decided_by: 'dev-coordinator',
    },
    {
      ...w,
      id: A(3),
      resident_id: R(2),
      filed_on: on('2026-10-02'),
      channel: 'IN_PERSON',
      filed_by: 'DE_FACTO_CARER',
      filer_name: 'Anna Przykładowa (synowa)',
      requested_areas: ['SOCIAL_ASSISTANCE'],
      requested_service_ids: [DEMO_SERVICES[14]],
      request_text: 'Usługi sąsiedzkie: zakupy i towarzyszenie.',
    },
    {
      ...w,
      id: A(4),
      resident_id: R(4),
      filed_on: on('2026-10-05'),
      channel: 'EPUAP',
      filed_by: 'PERSON',
      requested_areas: ['HOUSING'],
      request_text: 'Lokal socjalny.',
      status: 'REFUSED',
      decided_on: on('2026-10-20'),
      decided_by: 'dev-director',
      decision_number: `CUS.4011.12.${yearOf(on('2026-10-20'))}`,
      decision_date: on('2026-10-20'),
      refusal_reason: 'Gmina nie prowadzi takiej usługi społecznej; wskazano właściwy tryb wniosku o lokal.',
      // The rest of the administrative decision (KPA art. 107), so its PDF prints whole; delivered two days later.
      decision_legal_basis: 'art. 104 § 1 KPA; art. 5 ust. 1 ustawy o realizowaniu usług społecznych przez centrum usług społecznych',
      decision_factual_reasoning: 'Wnioskodawczyni wniosła o lokal socjalny; program usług społecznych gminy nie obejmuje takiej usługi.',
      decision_legal_reasoning: 'Usługi przyznaje się w zakresie programu usług społecznych gminy; o lokalu socjalnym gmina orzeka w innym trybie.',
      decision_appeal_body: 'Samorządowego Kolegium Odwoławczego w Warszawie',
      decision_signatory_name: 'Maria Dyrektorska',
      decision_signatory_position: 'Dyrektor Centrum Usług Społecznych',
      decision_delivered_on: on('2026-10-22'),
    },
    {
      ...w,
      id: A(5),
      resident_id: R(5),
      filed_on: on('2026-10-12'),
      channel: 'EMAIL',
      filed_by: 'PERSON',
      requested_areas: ['FAMILY_SUPPORT'],
      request_text: 'Wsparcie w kryzysie finansowym rodziny.',
      status: 'FORWARDED',
      decided_on: on('2026-10-14'),
      decided_by: 'dev-coordinator',
      forwarded_to: 'Zespół do spraw pomocy społecznej CUS w Wiązownie',
      consent_on: on('2026-10-14'),
      consent_how: 'pisemnie, na formularzu zgody',
    },
    {
      ...w,
      id: A(6),
      resident_id: R(6),
      filed_on: on('2026-11-03'),
      channel: 'IN_PERSON',
      filed_by: 'LEGAL_REPRESENTATIVE',
      filer_name: 'Ewa Demonstracyjna (matka)',
      requested_areas: ['PUBLIC_EDUCATION'],
      requested_service_ids: [DEMO_SERVICES[5]],
      request_text: 'Terapia logopedyczna.',
    },
    {
      id: A(7),
      gmina_id: G.srokowo,
      cus_unit_id: DEMO_UNITS.srokowo,
      resident_id: R(7),
      filed_on: on('2026-10-20'),
      channel: 'POST',
      filed_by: 'PERSON',
      requested_areas: ['HEALTH'],
      request_text: 'Grupa wsparcia.',
    },
  ]);
  await insertRows(em, 'needs_assessment', [
    {
      id: demoId(0x32, 1),
      gmina_id: G.wiazowna,
      application_id: A(1),
      conversation_on: on('2026-09-08'),
      place: 'RESIDENT_HOME',
      place_note: 'w domu, Glinianka',
      coordinator_subject: 'dev-coordinator',
      coordinator_name: 'Koordynator IPUS (demo)',
      notes: 'Potrzebuje pomocy przy zakupach, sprzątaniu i dojazdach; chętnie dołączy do klubu seniora.',
    },
    {
      id: demoId(0x32, 2),
      gmina_id: G.wiazowna,
      application_id: A(2),
      conversation_on: on('2026-09-22'),
      place: 'CUS_OFFICE',
      coordinator_subject: 'dev-coordinator',
      coordinator_name: 'Koordynator IPUS (demo)',
      notes: 'Opiekunka męża po udarze; potrzebuje odpoczynku dwa razy w tygodniu.',
    },
  ]);
  await insertRows(em, 'needs_assessment_need', [
    {
      id: demoId(0x33, 1),
      gmina_id: G.wiazowna,
      assessment_id: demoId(0x32, 1),
      area: 'SOCIAL_ASSISTANCE',
      description: 'Pomoc w codziennych czynnościach, 2 godziny dziennie.',
    },
    { id: demoId(0x33, 2), gmina_id: G.wiazowna, assessment_id: demoId(0x32, 1), area: 'CULTURE', description: 'Kontakt z innymi: klub seniora w Gliniance.' },
    {
      id: demoId(0x33, 3),
      gmina_id: G.wiazowna,
      assessment_id: demoId(0x32, 2),
      area: 'DISABILITY_SUPPORT',
      description: 'Opieka wytchnieniowa dla opiekunki męża, wtorki i czwartki.',
    },
  ]);
  // Searches by staff as the server logs them (src/modules/resident/access-log.ts), so the director's
  // residentSearchLog has a story to show: a PESEL looked up when Stanisław's carer filed for him, and
  // Janina's qualified applications.
  await insertRows(em, 'resident_search_log', [
    {
      gmina_id: G.wiazowna,
      subject: 'dev-services_organiser',
      role: 'SERVICES_ORGANISER',
      operation: 'query residents',
      criteria: { filter: { pesel: '38110220250' } },
      counted: 1,
      accessed_at: `${on('2026-10-02')}T09:40:00+02:00`,
    },
    {
      gmina_id: G.wiazowna,
      subject: 'dev-coordinator',
      role: 'COORDINATOR',
      operation: 'query applications',
      criteria: { filter: { residentId: toGlobalId('Resident', R(3)), statuses: ['QUALIFIED'] } },
      counted: 1,
      accessed_at: `${on('2026-10-06')}T13:15:00+02:00`,
    },
  ]);
}
