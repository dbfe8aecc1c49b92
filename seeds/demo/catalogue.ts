import type { EntityManager } from '@mikro-orm/postgresql';
import { DEMO_UNITS } from '../demo-units.js';
import { demoId, insertRows } from './rows.js';

/**
 * Partners, places and the catalogue of services of the five demo gminy, and Wiązowna's partner
 * council. Services and partner kinds follow DOMAIN.md; organisation names, identifiers, people and
 * addresses are illustrative (identifiers carry valid checksums but name no real entity).
 */
export const G = { wiazowna: 1417082, wojcieszkow: 611102, wydminy: 2806102, srokowo: 2808062, kobylka: 1434011 } as const;

const P = (n: number) => demoId(0x10, n);
const L = (n: number) => demoId(0x11, n);
const S = (n: number) => demoId(0x12, n);

/** The demo partner a PARTNER development token can name (README). */
export const DEMO_PARTNER = '0193a000-0000-7000-8000-0000000000aa';

export const DEMO_PARTNERS = {
  razem: DEMO_PARTNER,
  pomocnaDlon: P(2),
  kgwGlinianka: P(3),
  wspolnaSprawa: P(4),
  gok: P(5),
  caritas: P(6),
  rehaMobil: P(7),
  cisWydminy: P(8),
  mazurskieJeziora: P(9),
  sportKobylka: P(10),
};
export const DEMO_LOCATIONS = {
  cusWiazowna: L(1),
  swietlicaGlinianka: L(2),
  swietlicaDuchnow: L(3),
  szkolaWiazowna: L(4),
  cusWojcieszkow: L(5),
  swietlicaWolaOsowinska: L(6),
  cusWydminy: L(7),
  swietlicaSiedliska: L(8),
  cusSrokowo: L(9),
  swietlicaLesniewo: L(10),
  cusKobylka: L(11),
  klubOsiedlowyKobylka: L(12),
};
export const DEMO_SERVICES = Object.fromEntries(Array.from({ length: 24 }, (_, i) => [i + 1, S(i + 1)])) as Record<number, string>;

export async function seedPartnersAndCatalogue(em: EntityManager): Promise<void> {
  const p = DEMO_PARTNERS;
  const partner = (id: string, gminy: number[], data: Record<string, unknown>) => ({ id, gmina_id: gminy[0], gmina_ids: gminy, ...data });
  await insertRows(em, 'partner', [
    partner(p.razem, [G.wiazowna], {
      name: 'Stowarzyszenie „Razem dla Wiązowny”',
      kind: 'NGO',
      krs: '0000512345',
      nip: '5260181596',
      regon: '768426840',
      email: 'biuro@razemdlawiazowny.example.pl',
      phone: '+48 22 780 00 01',
      street: 'ul. Kościelna 12',
      postal_code: '05-462',
      city: 'Wiązowna',
      description: 'Wolontariat dla seniorów, klub seniora, integracja sąsiedzka.',
    }),
    partner(p.pomocnaDlon, [G.wiazowna, 1417052, 1417032], {
      name: 'Fundacja „Pomocna Dłoń”',
      kind: 'NGO',
      krs: '0000698765',
      nip: '1860913901',
      email: 'porady@pomocnadlon.example.pl',
      phone: '+48 22 780 00 02',
      street: 'ul. Lubelska 4',
      postal_code: '05-400',
      city: 'Otwock',
      description: 'Nieodpłatne poradnictwo prawne i obywatelskie, szkoła dla rodziców.',
    }),
    partner(p.kgwGlinianka, [G.wiazowna], {
      name: 'Koło Gospodyń Wiejskich w Gliniance',
      kind: 'INFORMAL_GROUP',
      phone: '+48 600 100 203',
      description: 'Spotkania seniorów i warsztaty kulinarne w świetlicy wiejskiej.',
    }),
    partner(p.wspolnaSprawa, [G.wiazowna, G.kobylka], {
      name: 'Spółdzielnia Socjalna „Wspólna Sprawa”',
      kind: 'SOCIAL_ECONOMY',
      krs: '0000734567',
      nip: '6281948218',
      regon: '656321220',
      email: 'kontakt@wspolnasprawa.example.pl',
      phone: '+48 22 780 00 04',
      street: 'ul. Przemysłowa 8',
      postal_code: '05-462',
      city: 'Wiązowna',
      description: 'Taxi dla seniora, drobne naprawy domowe („złota rączka”).',
    }),
    partner(p.gok, [G.wiazowna], {
      name: 'Gminny Ośrodek Kultury w Wiązownie',
      kind: 'PUBLIC_INSTITUTION',
      nip: '9935181904',
      regon: '330792445',
      email: 'gok@wiazowna.example.pl',
      street: 'ul. Lipowa 20',
      postal_code: '05-462',
      city: 'Wiązowna',
      website: 'https://gok.wiazowna.example.pl',
    }),
    partner(p.caritas, [G.srokowo, G.wydminy], {
      name: 'Parafialny Zespół Caritas w Srokowie',
      kind: 'CHURCH_BODY',
      phone: '+48 89 752 00 06',
      street: 'ul. Kościelna 1',
      postal_code: '11-420',
      city: 'Srokowo',
      description: 'Grupa wsparcia dla osób uzależnionych i ich rodzin.',
    }),
    partner(p.rehaMobil, [G.wiazowna, G.kobylka], {
      name: 'RehaMobil sp. z o.o.',
      kind: 'BUSINESS',
      krs: '0000887766',
      nip: '9378657972',
      regon: '289078660',
      email: 'wizyty@rehamobil.example.pl',
      phone: '+48 22 780 00 07',
      street: 'ul. Warszawska 100',
      postal_code: '05-230',
      city: 'Kobyłka',
    }),
    partner(p.cisWydminy, [G.wydminy], {
      name: 'Centrum Integracji Społecznej w Wydminach',
      kind: 'SOCIAL_ECONOMY',
      nip: '5432319484',
      regon: '661760319',
      email: 'cis@wydminy.example.pl',
      street: 'ul. Grunwaldzka 20',
      postal_code: '11-510',
      city: 'Wydminy',
    }),
    partner(p.mazurskieJeziora, [G.wydminy, G.srokowo], {
      name: 'Fundacja Ekologiczna „Mazurskie Jeziora”',
      kind: 'NGO',
      krs: '0000923456',
      nip: '7574911868',
      email: 'eko@mazurskiejeziora.example.pl',
      street: 'ul. Jeziorna 3',
      postal_code: '11-510',
      city: 'Wydminy',
    }),
    partner(p.sportKobylka, [G.kobylka], {
      name: 'Uczniowski Klub Sportowy „Kobyłka”',
      kind: 'NGO',
      krs: '0000411223',
      nip: '2527601891',
      email: 'uks@kobylka.example.pl',
      street: 'ul. Nowe Osiedle 4',
      postal_code: '05-230',
      city: 'Kobyłka',
    }),
  ]);

  const l = DEMO_LOCATIONS;
  const place = (
    id: string,
    gminaId: number,
    name: string,
    kind: string,
    street: string,
    postalCode: string,
    city: string,
    extra: Record<string, unknown> = {},
  ) => ({ id, gmina_id: gminaId, name, kind, street, postal_code: postalCode, city, ...extra });
  await insertRows(em, 'location', [
    place(l.cusWiazowna, G.wiazowna, 'Centrum Usług Społecznych w Wiązownie', 'CUS_OFFICE', 'ul. Lipowa 34', '05-462', 'Wiązowna', {
      accessibility: 'Wejście bez progów, toaleta dostosowana',
    }),
    place(l.swietlicaGlinianka, G.wiazowna, 'Świetlica wiejska w Gliniance', 'COMMUNITY_ROOM', 'ul. Pohulanka 2', '05-408', 'Glinianka', {
      latitude: 52.1623,
      longitude: 21.3189,
    }),
    place(l.swietlicaDuchnow, G.wiazowna, 'Świetlica wiejska w Duchnowie', 'COMMUNITY_ROOM', 'ul. Spacerowa 1', '05-462', 'Duchnów'),
    place(l.szkolaWiazowna, G.wiazowna, 'Zespół Szkół w Wiązownie', 'SCHOOL', 'ul. Kościelna 2', '05-462', 'Wiązowna'),
    place(l.cusWojcieszkow, G.wojcieszkow, 'Centrum Usług Społecznych w Wojcieszkowie', 'CUS_OFFICE', 'ul. Bialska 32', '21-407', 'Wojcieszków'),
    place(l.swietlicaWolaOsowinska, G.wojcieszkow, 'Świetlica wiejska w Woli Osowińskiej', 'COMMUNITY_ROOM', 'Wola Osowińska 45', '21-407', 'Wola Osowińska'),
    place(l.cusWydminy, G.wydminy, 'Centrum Usług Społecznych w Wydminach', 'CUS_OFFICE', 'ul. Grunwaldzka 16', '11-510', 'Wydminy'),
    place(l.swietlicaSiedliska, G.wydminy, 'Świetlica wiejska w Siedliskach', 'COMMUNITY_ROOM', 'Siedliska 12', '11-510', 'Siedliska'),
    place(l.cusSrokowo, G.srokowo, 'Centrum Usług Społecznych w Srokowie', 'CUS_OFFICE', 'ul. Szkolna 4', '11-420', 'Srokowo'),
    place(l.swietlicaLesniewo, G.srokowo, 'Świetlica wiejska w Leśniewie', 'COMMUNITY_ROOM', 'Leśniewo 7', '11-420', 'Leśniewo'),
    place(l.cusKobylka, G.kobylka, 'Centrum Usług Społecznych w Kobyłce', 'CUS_OFFICE', 'ul. Wołomińska 1', '05-230', 'Kobyłka'),
    place(l.klubOsiedlowyKobylka, G.kobylka, 'Klub osiedlowy „Pod Lipami”', 'COMMUNITY_ROOM', 'ul. Załuskiego 9', '05-230', 'Kobyłka'),
  ]);

  const unitOf: Record<number, string> = {
    [G.wiazowna]: DEMO_UNITS.wiazowna,
    [G.wojcieszkow]: DEMO_UNITS.wojcieszkow,
    [G.wydminy]: DEMO_UNITS.wydminy,
    [G.srokowo]: DEMO_UNITS.srokowo,
    [G.kobylka]: DEMO_UNITS.kobylka,
  };
  interface DemoService {
    n: number;
    gmina: number;
    name: string;
    description: string;
    area: string;
    groups: string[];
    provider?: string;
    unitName?: string;
    places?: string[];
    online?: string;
    status?: string;
    fee?: { kind: string; amount?: string; unit?: string; description?: string };
    capacity?: number;
    eligibility?: string;
    hours?: { days: string[]; from: string; to: string; at?: string }[];
  }
  const services: DemoService[] = [
    {
      n: 1,
      gmina: G.wiazowna,
      name: 'Usługi opiekuńcze',
      area: 'SOCIAL_ASSISTANCE',
      groups: ['SENIORS', 'PEOPLE_WITH_DISABILITIES'],
      description: 'Pomoc w codziennych czynnościach, pielęgnacja i kontakt z otoczeniem, świadczona w domu osoby.',
      places: [l.cusWiazowna],
      fee: { kind: 'INCOME_DEPENDENT', unit: 'godzina', description: 'Odpłatność według dochodu, zgodnie z programem usług społecznych' },
      capacity: 40,
      eligibility: 'Osoby, które z powodu wieku, choroby lub niepełnosprawności wymagają pomocy innych osób.',
      hours: [{ days: ['MO', 'TU', 'WE', 'TH', 'FR'], from: '08:00', to: '16:00' }],
    },
    {
      n: 2,
      gmina: G.wiazowna,
      name: 'Opieka wytchnieniowa',
      area: 'DISABILITY_SUPPORT',
      groups: ['CARERS', 'PEOPLE_WITH_DISABILITIES'],
      description: 'Czasowe zastępstwo opiekuna osoby z niepełnosprawnością, w formie dziennej lub godzinowej, aby opiekun mógł odpocząć.',
      places: [l.swietlicaDuchnow],
      fee: { kind: 'FREE' },
      capacity: 12,
      hours: [{ days: ['TU', 'TH'], from: '10:00', to: '14:00', at: l.swietlicaDuchnow }],
    },
    {
      n: 3,
      gmina: G.wiazowna,
      name: 'Poradnictwo psychologiczne',
      area: 'HEALTH',
      groups: ['ALL_RESIDENTS', 'FAMILIES_IN_CRISIS'],
      description: 'Indywidualne konsultacje z psychologiem dla mieszkańców w trudnej sytuacji życiowej.',
      places: [l.cusWiazowna],
      fee: { kind: 'FREE' },
      hours: [{ days: ['TU'], from: '16:00', to: '19:00' }],
    },
    {
      n: 4,
      gmina: G.wiazowna,
      name: 'Poradnictwo prawne',
      area: 'SOCIAL_ASSISTANCE',
      groups: ['ALL_RESIDENTS'],
      provider: p.pomocnaDlon,
      description: 'Nieodpłatna pomoc prawna i poradnictwo obywatelskie: sprawy rodzinne, mieszkaniowe, zadłużenie.',
      places: [l.cusWiazowna],
      fee: { kind: 'FREE' },
      hours: [{ days: ['WE'], from: '15:00', to: '19:00' }],
    },
    {
      n: 5,
      gmina: G.wiazowna,
      name: 'Terapia logopedyczna dla dzieci',
      area: 'PUBLIC_EDUCATION',
      groups: ['CHILDREN_AND_YOUTH'],
      provider: p.gok,
      description: 'Diagnoza i terapia logopedyczna dzieci w wieku przedszkolnym i szkolnym.',
      places: [l.szkolaWiazowna],
      fee: { kind: 'FREE' },
      capacity: 20,
      hours: [{ days: ['MO', 'WE'], from: '13:00', to: '17:00' }],
    },
    {
      n: 6,
      gmina: G.wiazowna,
      name: 'Rehabilitacja mobilna',
      area: 'HEALTH',
      groups: ['PEOPLE_WITH_DISABILITIES', 'SENIORS'],
      provider: p.rehaMobil,
      description: 'Rehabilitacja ruchowa w domu osoby, która nie może dojechać do placówki.',
      places: [l.cusWiazowna],
      fee: { kind: 'FIXED', amount: '20.00', unit: 'wizyta' },
      capacity: 25,
    },
    {
      n: 7,
      gmina: G.wiazowna,
      name: 'Konsultacje dietetyczne online',
      area: 'HEALTH',
      groups: ['ALL_RESIDENTS', 'SENIORS'],
      description: 'Porady dietetyka przez wideorozmowę: dieta seniora, cukrzyca, odżywianie dzieci.',
      online: 'https://cus.wiazowna.example.pl/dietetyk',
      fee: { kind: 'FREE' },
    },
    {
      n: 8,
      gmina: G.wiazowna,
      name: 'Złota rączka',
      area: 'HOUSING',
      groups: ['SENIORS', 'PEOPLE_LIVING_ALONE'],
      provider: p.wspolnaSprawa,
      description: 'Drobne naprawy i prace w mieszkaniu: wymiana żarówki, uszczelnienie kranu, montaż poręczy.',
      places: [l.cusWiazowna],
      fee: { kind: 'FIXED', amount: '10.00', unit: 'zlecenie' },
    },
    {
      n: 9,
      gmina: G.wiazowna,
      name: 'Taxi dla seniora',
      area: 'SOCIAL_ASSISTANCE',
      groups: ['SENIORS', 'PEOPLE_WITH_DISABILITIES'],
      provider: p.wspolnaSprawa,
      description: 'Dowóz do lekarza, urzędu lub na zakupy na terenie gminy i do Otwocka.',
      places: [l.cusWiazowna],
      fee: { kind: 'FIXED', amount: '5.00', unit: 'kurs' },
      hours: [{ days: ['MO', 'TU', 'WE', 'TH', 'FR'], from: '07:00', to: '18:00' }],
    },
    {
      n: 10,
      gmina: G.wiazowna,
      name: 'Szkoła dla rodziców',
      area: 'FAMILY_SUPPORT',
      groups: ['FAMILIES', 'LARGE_FAMILIES'],
      provider: p.pomocnaDlon,
      description: 'Cykl warsztatów wychowawczych dla rodziców dzieci i nastolatków.',
      places: [l.szkolaWiazowna],
      fee: { kind: 'FREE' },
      capacity: 16,
      hours: [{ days: ['WE'], from: '17:30', to: '19:30', at: l.szkolaWiazowna }],
    },
    {
      n: 11,
      gmina: G.wiazowna,
      name: 'Grupa wsparcia dla opiekunów',
      area: 'DISABILITY_SUPPORT',
      groups: ['CARERS'],
      description: 'Spotkania opiekunów faktycznych osób zależnych z psychologiem: wymiana doświadczeń i odpoczynek.',
      places: [l.swietlicaGlinianka],
      fee: { kind: 'FREE' },
      hours: [{ days: ['TH'], from: '17:00', to: '19:00', at: l.swietlicaGlinianka }],
    },
    {
      n: 12,
      gmina: G.wiazowna,
      name: 'Klub seniora w Gliniance',
      area: 'CULTURE',
      groups: ['SENIORS'],
      provider: p.kgwGlinianka,
      description: 'Spotkania, warsztaty rękodzieła i kulinarne, wyjścia do kina i teatru.',
      places: [l.swietlicaGlinianka],
      fee: { kind: 'FREE' },
      hours: [{ days: ['MO', 'TH'], from: '10:00', to: '13:00', at: l.swietlicaGlinianka }],
    },
    {
      n: 13,
      gmina: G.wiazowna,
      name: 'Wypożyczalnia sprzętu rehabilitacyjnego',
      area: 'DISABILITY_SUPPORT',
      groups: ['PEOPLE_WITH_DISABILITIES', 'SENIORS'],
      description: 'Wypożyczenie łóżek rehabilitacyjnych, wózków, balkoników i koncentratorów tlenu.',
      places: [l.cusWiazowna],
      fee: { kind: 'FREE' },
      hours: [{ days: ['MO', 'WE', 'FR'], from: '09:00', to: '15:00' }],
    },
    {
      n: 14,
      gmina: G.wiazowna,
      name: 'Usługi sąsiedzkie',
      area: 'SOCIAL_ASSISTANCE',
      groups: ['SENIORS', 'PEOPLE_LIVING_ALONE'],
      description: 'Pomoc sąsiada w zakupach, drobnych sprawach i towarzyszeniu osobie starszej.',
      places: [l.cusWiazowna],
      fee: { kind: 'INCOME_DEPENDENT', unit: 'godzina', description: 'Odpłatność według dochodu, jak w programie usług społecznych' },
    },
    {
      n: 15,
      gmina: G.wiazowna,
      name: 'Wolontariat dla seniorów',
      area: 'CIVIC_ACTIVITY',
      groups: ['SENIORS', 'PEOPLE_LIVING_ALONE'],
      provider: p.razem,
      description: 'Wolontariusze odwiedzają osoby starsze, pomagają w sprawach codziennych i towarzyszą na spacerach.',
      places: [l.swietlicaDuchnow],
      fee: { kind: 'FREE' },
    },
    {
      n: 16,
      gmina: G.wojcieszkow,
      name: 'Świetlica środowiskowa dla dzieci',
      area: 'FAMILY_SUPPORT',
      groups: ['CHILDREN_AND_YOUTH'],
      description: 'Pomoc w nauce, zajęcia rozwijające i posiłek dla dzieci po lekcjach.',
      places: [l.swietlicaWolaOsowinska],
      fee: { kind: 'FREE' },
      capacity: 25,
      hours: [{ days: ['MO', 'TU', 'WE', 'TH', 'FR'], from: '13:00', to: '17:00', at: l.swietlicaWolaOsowinska }],
    },
    {
      n: 17,
      gmina: G.wojcieszkow,
      name: 'Usługi opiekuńcze specjalistyczne',
      area: 'SOCIAL_ASSISTANCE',
      groups: ['PEOPLE_WITH_DISABILITIES'],
      description: 'Specjalistyczne usługi opiekuńcze dostosowane do rodzaju niepełnosprawności.',
      places: [l.cusWojcieszkow],
      fee: { kind: 'INCOME_DEPENDENT', unit: 'godzina', description: 'Według dochodu, zgodnie z uchwałą rady gminy' },
    },
    {
      n: 18,
      gmina: G.wydminy,
      name: 'Klub Integracji Społecznej',
      area: 'SOCIAL_REINTEGRATION',
      groups: ['UNEMPLOYED'],
      provider: p.cisWydminy,
      description: 'Reintegracja społeczna i zawodowa: warsztaty, staże, wsparcie doradcy.',
      places: [l.cusWydminy],
      fee: { kind: 'FREE' },
      capacity: 15,
      hours: [{ days: ['MO', 'TU', 'WE', 'TH'], from: '09:00', to: '14:00' }],
    },
    {
      n: 19,
      gmina: G.wydminy,
      name: 'Warsztaty ekologiczne nad jeziorem',
      area: 'ENVIRONMENT',
      groups: ['CHILDREN_AND_YOUTH', 'FAMILIES'],
      provider: p.mazurskieJeziora,
      description: 'Zajęcia przyrodnicze i sprzątanie brzegów jezior z mieszkańcami.',
      places: [l.swietlicaSiedliska],
      fee: { kind: 'FREE' },
    },
    {
      n: 20,
      gmina: G.srokowo,
      name: 'Grupa wsparcia dla osób uzależnionych i ich rodzin',
      area: 'HEALTH',
      groups: ['PEOPLE_WITH_ADDICTIONS'],
      provider: p.caritas,
      description: 'Cotygodniowe spotkania z terapeutą uzależnień.',
      places: [l.swietlicaLesniewo],
      fee: { kind: 'FREE' },
      hours: [{ days: ['FR'], from: '18:00', to: '20:00', at: l.swietlicaLesniewo }],
    },
    {
      n: 21,
      gmina: G.srokowo,
      name: 'Doradztwo zawodowe',
      area: 'UNEMPLOYMENT',
      groups: ['UNEMPLOYED'],
      unitName: 'Powiatowy Urząd Pracy w Kętrzynie, punkt w Srokowie',
      description: 'Doradca zawodowy pomaga przygotować CV i szukać pracy.',
      places: [l.cusSrokowo],
      fee: { kind: 'FREE' },
      hours: [{ days: ['TH'], from: '09:00', to: '13:00' }],
    },
    {
      n: 22,
      gmina: G.kobylka,
      name: 'Asystencja osobista osoby z niepełnosprawnością',
      area: 'DISABILITY_SUPPORT',
      groups: ['PEOPLE_WITH_DISABILITIES'],
      description: 'Asystent pomaga w codziennych czynnościach i w wyjściach poza dom.',
      places: [l.cusKobylka],
      fee: { kind: 'FREE' },
      capacity: 30,
    },
    {
      n: 23,
      gmina: G.kobylka,
      name: 'Zajęcia sportowe dla dzieci i młodzieży',
      area: 'PHYSICAL_CULTURE_AND_TOURISM',
      groups: ['CHILDREN_AND_YOUTH'],
      provider: p.sportKobylka,
      description: 'Treningi piłki nożnej, siatkówki i ogólnorozwojowe.',
      places: [l.klubOsiedlowyKobylka],
      fee: { kind: 'FREE' },
      hours: [{ days: ['TU', 'TH'], from: '16:00', to: '18:00', at: l.klubOsiedlowyKobylka }],
    },
    {
      n: 24,
      gmina: G.kobylka,
      name: 'Mieszkanie treningowe',
      area: 'HOUSING',
      groups: ['PEOPLE_WITH_DISABILITIES', 'PEOPLE_LIVING_ALONE'],
      status: 'PLANNED',
      description: 'Nauka samodzielnego życia w mieszkaniu treningowym; usługa planowana.',
      places: [l.cusKobylka],
      fee: { kind: 'FREE' },
      capacity: 4,
    },
  ];
  await insertRows(
    em,
    'service',
    services.map((s) => ({
      id: S(s.n),
      gmina_id: s.gmina,
      cus_unit_id: unitOf[s.gmina],
      gmina_ids: [s.gmina],
      name: s.name,
      description: s.description,
      area: s.area,
      target_groups: s.groups,
      provider_kind: s.provider ? 'PARTNER' : s.unitName ? 'GMINA_UNIT' : 'CUS',
      provider_partner_id: s.provider ?? null,
      provider_unit_name: s.unitName ?? null,
      online: !!s.online,
      online_url: s.online ?? null,
      eligibility: s.eligibility ?? null,
      fee_kind: s.fee?.kind ?? 'FREE',
      fee_amount: s.fee?.amount ?? null,
      fee_unit: s.fee?.unit ?? null,
      fee_description: s.fee?.description ?? null,
      capacity_recipients: s.capacity ?? null,
      status: s.status ?? 'ACTIVE',
      // Spread creation over time so "recent first" means something in the demo.
      created_at: new Date(Date.UTC(2021, 5, 1) + s.n * 86_400_000 * 7).toISOString(),
    })),
  );
  await insertRows(
    em,
    'service_location',
    services.flatMap((s) =>
      (s.places ?? []).map((locationId, i) => ({ id: demoId(0x13, s.n * 10 + i), gmina_id: s.gmina, service_id: S(s.n), location_id: locationId })),
    ),
  );
  await insertRows(
    em,
    'service_schedule',
    services.flatMap((s) =>
      (s.hours ?? []).map((h, i) => ({
        id: demoId(0x14, s.n * 10 + i),
        gmina_id: s.gmina,
        service_id: S(s.n),
        location_id: h.at ?? null,
        weekdays: h.days,
        opens_at: h.from,
        closes_at: h.to,
        valid_from: '2021-07-01',
      })),
    ),
  );

  await seedWiazownaCouncil(em);
}

/** Wiązowna's partner council met on 13 and 21 May and 8 June 2021 to agree which partner services enter the catalogue. */
async function seedWiazownaCouncil(em: EntityManager): Promise<void> {
  const council = demoId(0x15, 1);
  const member = (n: number) => demoId(0x16, n);
  const p = DEMO_PARTNERS;
  await insertRows(em, 'partner_council', [
    { id: council, gmina_id: G.wiazowna, cus_unit_id: DEMO_UNITS.wiazowna, name: 'Rada Partnerów CUS w Wiązownie', established_on: '2021-05-13' },
  ]);
  const members: [number, string, string, string][] = [
    [1, p.razem, 'Anna Kowalczyk', 'przewodnicząca'],
    [2, p.pomocnaDlon, 'Piotr Zieliński', 'członek'],
    [3, p.kgwGlinianka, 'Maria Wiśniewska', 'członkini'],
    [4, p.wspolnaSprawa, 'Tomasz Lewandowski', 'członek'],
    [5, p.gok, 'Katarzyna Wójcik', 'sekretarz'],
  ];
  await insertRows(
    em,
    'partner_council_member',
    members.map(([n, partnerId, name, fn]) => ({
      id: member(n),
      gmina_id: G.wiazowna,
      council_id: council,
      partner_id: partnerId,
      representative_name: name,
      representative_function: fn,
      joined_on: '2021-05-13',
    })),
  );
  await insertRows(em, 'partner_council_meeting', [
    {
      id: demoId(0x17, 1),
      gmina_id: G.wiazowna,
      council_id: council,
      held_on: '2021-05-13',
      place: 'CUS w Wiązownie, ul. Lipowa 34',
      topics: ['Powołanie Rady Partnerów', 'Zasady współpracy partnerów z CUS'],
      outcomes: 'Rada ukonstytuowała się; przewodniczącą została przedstawicielka Stowarzyszenia „Razem dla Wiązowny”.',
      attendee_member_ids: [member(1), member(2), member(3), member(4), member(5)],
    },
    {
      id: demoId(0x17, 2),
      gmina_id: G.wiazowna,
      council_id: council,
      held_on: '2021-05-21',
      place: 'Świetlica wiejska w Gliniance',
      topics: ['Propozycje usług partnerów do katalogu usług społecznych'],
      outcomes: 'Zebrano 9 propozycji usług; do dalszych prac skierowano 7.',
      attendee_member_ids: [member(1), member(2), member(3), member(5)],
    },
    {
      id: demoId(0x17, 3),
      gmina_id: G.wiazowna,
      council_id: council,
      held_on: '2021-06-08',
      place: 'CUS w Wiązownie, ul. Lipowa 34',
      topics: ['Uzgodnienie usług partnerów wchodzących do katalogu', 'Harmonogram wdrożenia'],
      outcomes:
        'Uzgodniono wejście do katalogu usług: poradnictwo prawne, szkoła dla rodziców, klub seniora, złota rączka, taxi dla seniora, wolontariat dla seniorów.',
      attendee_member_ids: [member(1), member(2), member(4), member(5)],
    },
  ]);
}
