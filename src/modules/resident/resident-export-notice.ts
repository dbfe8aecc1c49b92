/*
 * What a subject-access export tells the person besides their data (GDPR art. 15(1)(a)-(h)): why and on
 * what legal basis each processing activity holds them, who receives them, how long they are kept, and
 * their rights. In Polish: the export is the person's document (the JSON and its PDF say the same).
 * The controller's register of processing activities (art. 30) is the source; the retention periods
 * follow the usual archival categories of social-assistance files (JRWA) and are to be confirmed by each
 * centre's records instruction (DOMAIN.md: keep what the law sets as data), so they live here as data.
 */

const ACT_CUS = 'ustawa z 19 lipca 2019 r. o realizowaniu usług społecznych przez centrum usług społecznych (Dz.U. 2019 poz. 1818)';
const ACT_SOCIAL_ASSISTANCE = 'ustawa z 12 marca 2004 r. o pomocy społecznej';
const ACT_KPA = 'ustawa z 14 czerwca 1960 r. – Kodeks postępowania administracyjnego';
const RODO = 'rozporządzenie Parlamentu Europejskiego i Rady (UE) 2016/679 (RODO)';

export interface ProcessingActivity {
  /** The key of the export's section this activity holds (record, applications, plans...). */
  sections: string[];
  purpose: string;
  legalBases: string[];
  dataCategories: string;
}

export const PROCESSING_ACTIVITIES: ProcessingActivity[] = [
  {
    sections: ['record', 'mergedRecords', 'applications'],
    purpose: 'Przyjęcie i rozpatrzenie wniosku o usługi społeczne, rozpoznanie indywidualnych potrzeb, wydanie decyzji',
    legalBases: [
      'art. 6 ust. 1 lit. c RODO (obowiązek prawny) i lit. e (zadanie realizowane w interesie publicznym)',
      ACT_CUS,
      ACT_SOCIAL_ASSISTANCE,
      `${ACT_KPA} (decyzje administracyjne)`,
    ],
    dataCategories: 'imię i nazwisko, PESEL, data urodzenia, płeć, adres, kontakt, treść wniosku, rozpoznane potrzeby',
  },
  {
    sections: ['sensitive'],
    purpose: 'Dobranie usług do stanu zdrowia i niepełnosprawności',
    legalBases: [
      'art. 9 ust. 2 lit. b RODO (zabezpieczenie społeczne i ochrona socjalna)',
      'art. 9 ust. 2 lit. g (ważny interes publiczny) i lit. h RODO (opieka socjalna)',
      ACT_CUS,
      ACT_SOCIAL_ASSISTANCE,
    ],
    dataCategories: 'stopień niepełnosprawności, ważność orzeczenia, informacje o zdrowiu (dane szczególnej kategorii)',
  },
  {
    sections: ['plans'],
    purpose: 'Przygotowanie, realizacja i monitorowanie indywidualnego planu usług społecznych (IPUS), z pomocą koordynowaną z innych systemów',
    legalBases: ['art. 6 ust. 1 lit. c i e RODO', 'art. 9 ust. 2 lit. b i h RODO (dane o zdrowiu w planie)', ACT_CUS],
    dataCategories:
      'cele, usługi, miejsca i harmonogramy, działania wspierające, pomoc z innych systemów, notatki z monitorowania, historia zmian planu, oczekiwanie na miejsce, skan podpisanego planu',
  },
  {
    sections: ['deliveries', 'partners'],
    purpose: 'Realizacja usług przez centrum i przez partnerów, którym centrum je zleciło, oraz ich rozliczenie',
    legalBases: ['art. 6 ust. 1 lit. c i e RODO', 'art. 9 ust. 2 lit. b i h RODO (notatki o zdrowiu z wizyt)', ACT_CUS],
    dataCategories: 'terminy i czas wizyt, obecność, notatki realizatora usługi',
  },
  {
    sections: ['incomeDeclarations'],
    purpose: 'Ustalenie odpłatności za usługi według dochodu (uchwała rady gminy)',
    legalBases: ['art. 6 ust. 1 lit. c RODO', `${ACT_SOCIAL_ASSISTANCE} (art. 50)`, ACT_CUS],
    dataCategories: 'dochód gospodarstwa domowego, liczba osób, data oświadczenia',
  },
  {
    sections: ['accessLog', 'searches'],
    purpose: 'Rozliczalność i bezpieczeństwo: kto, kiedy i w jakim celu odczytał dane lub wyszukiwał osobę',
    legalBases: ['art. 5 ust. 2 i art. 32 RODO w związku z art. 6 ust. 1 lit. c RODO'],
    dataCategories: 'data i godzina odczytu, użytkownik i jego rola, operacja, kryteria wyszukiwania',
  },
];

export const RECIPIENTS: string[] = [
  'Partnerzy realizujący usługi z planu (wymienieni z nazwy w części „Partnerzy”): tylko imię i nazwisko, kontakt, adres przy usługach w domu i harmonogram; nigdy PESEL ani dane o zdrowiu.',
  'Jednostki organizacyjne gminy realizujące usługi z planu (wymienione przy usługach planu).',
  'Pracownicy centrum usług społecznych według roli: koordynator (KIPUS), organizator usług, dyrektor; dane o zdrowiu i dochodach tylko koordynatorzy i dyrektor.',
  'Urząd gminy: wyłącznie zestawienia statystyczne, bez danych osobowych.',
  'Ministerstwo właściwe do spraw zabezpieczenia społecznego: wyłącznie zbiorcze statystyki; liczby osób mniejsze niż 5 są ukrywane.',
  'Samorządowe kolegium odwoławcze i sądy: gdy wnosi Pani/Pan odwołanie lub skargę.',
  'Dostawca usług informatycznych platformy: na podstawie umowy powierzenia przetwarzania (art. 28 RODO), bez prawa do własnego wykorzystania danych.',
];

export const RETENTION: { what: string; period: string }[] = [
  {
    what: 'Wnioski, rozpoznania potrzeb, decyzje, plany (IPUS) z historią zmian, realizacja usług',
    period: '10 lat od końca roku zakończenia sprawy (kategoria archiwalna B10), potem brakowanie',
  },
  { what: 'Oświadczenia o dochodach i odpłatność', period: '10 lat od końca roku zakończenia sprawy (B10)' },
  { what: 'Rozliczenia z partnerami', period: '10 lat od końca roku rozliczenia (B10; dłużej, gdy wymaga tego umowa o dofinansowanie)' },
  { what: 'Dziennik odczytów i wyszukiwań', period: 'tak długo, jak dane, których dotyczy' },
];

export const RIGHTS: string[] = [
  'Prawo dostępu do danych i otrzymania ich kopii (art. 15 RODO): ten dokument.',
  'Prawo do sprostowania (art. 16) i ograniczenia przetwarzania (art. 18).',
  'Prawo do usunięcia danych (art. 17), gdy nie są już niezbędne; nie obejmuje danych, które centrum musi przetwarzać z mocy prawa lub w interesie publicznym, w tym przez okres przechowywania dokumentacji (art. 17 ust. 3 lit. b).',
  'Prawo sprzeciwu wobec przetwarzania w interesie publicznym (art. 21).',
  'Prawo wniesienia skargi do Prezesa Urzędu Ochrony Danych Osobowych, ul. Stawki 2, 00-193 Warszawa (art. 77).',
];

export const SOURCE = 'Dane pochodzą od Pani/Pana (wniosek, rozmowa, oświadczenia), od pracowników centrum i od partnerów realizujących usługi.';
export const AUTOMATED_DECISIONS = 'Dane nie służą do zautomatyzowanego podejmowania decyzji ani profilowania (art. 22 RODO).';
export const REGULATION = RODO;
