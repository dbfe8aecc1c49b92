/*
 * Polish names of the domain's enumerations, as the act and a CUS name them: one list for every
 * place that shows them (the HSDS taxonomy, the reports and their CSV, the documents for a person) and
 * the GraphQL descriptions of the enums, which domain.enums.ts declares from the first two lists.
 * One list per enumeration: the same code means different things in two of them (OTHER, FAMILY_SUPPORT).
 */
import type { ApplicationStatus } from '../application/application.entity.js';
import type { CoordinatedHelpSystemCode } from '../ipus/coordinated-help-system.js';
import type { IpusChangeKind, IpusStatus, ProviderKind } from '../ipus/ipus.enums.js';
import type { DeliveryOutcome } from '../commission/commission.enums.js';
import type { DisabilityLevel } from '../resident/resident-sensitive.entity.js';
import type { Sex } from '../resident/resident.entity.js';
import type { WaitingListStatus } from '../waiting-list/waiting-list.enums.js';
import type { Role } from '../../platform/auth/roles.js';
import type { Weekday } from './domain.enums.js';

/** The 14 areas of art. 2(1) of the act of 19 July 2019 on CUS, as the act names them. */
export const AREA_LABELS = {
  FAMILY_POLICY: 'polityka prorodzinna',
  FAMILY_SUPPORT: 'wspieranie rodziny',
  FOSTER_CARE: 'system pieczy zastępczej',
  SOCIAL_ASSISTANCE: 'pomoc społeczna',
  HEALTH: 'promocja i ochrona zdrowia',
  DISABILITY_SUPPORT: 'wspieranie osób niepełnosprawnych',
  PUBLIC_EDUCATION: 'edukacja publiczna',
  UNEMPLOYMENT: 'przeciwdziałanie bezrobociu',
  CULTURE: 'kultura',
  PHYSICAL_CULTURE_AND_TOURISM: 'kultura fizyczna i turystyka',
  CIVIC_ACTIVITY: 'pobudzanie aktywności obywatelskiej',
  HOUSING: 'mieszkalnictwo',
  ENVIRONMENT: 'ochrona środowiska',
  SOCIAL_REINTEGRATION: 'reintegracja zawodowa i społeczna',
};

/** The groups of residents, as a CUS names them. */
export const TARGET_GROUP_LABELS = {
  SENIORS: 'seniorzy',
  PEOPLE_WITH_DISABILITIES: 'osoby z niepełnosprawnościami',
  CARERS: 'opiekunowie faktyczni',
  FAMILIES: 'rodziny',
  LARGE_FAMILIES: 'rodziny wielodzietne',
  FAMILIES_IN_CRISIS: 'rodziny w kryzysie',
  CHILDREN_AND_YOUTH: 'dzieci i młodzież',
  PEOPLE_WITH_ADDICTIONS: 'osoby uzależnione i ich rodziny',
  UNEMPLOYED: 'osoby bezrobotne',
  PEOPLE_LIVING_ALONE: 'osoby samotne',
  ALL_RESIDENTS: 'wszyscy mieszkańcy',
};

/** Days of the week, abbreviated as a Polish schedule writes them. */
export const WEEKDAY_LABELS: Record<Weekday, string> = { MO: 'pon.', TU: 'wt.', WE: 'śr.', TH: 'czw.', FR: 'pt.', SA: 'sob.', SU: 'niedz.' };

export const SEX_LABELS: Record<Sex, string> = { FEMALE: 'kobieta', MALE: 'mężczyzna' };

/** Degrees of disability, as an orzeczenie names them. */
export const DISABILITY_LEVEL_LABELS: Record<DisabilityLevel, string> = { MILD: 'lekki', MODERATE: 'umiarkowany', SEVERE: 'znaczny' };

export const APPLICATION_STATUS_LABELS: Record<ApplicationStatus, string> = {
  FILED: 'złożony',
  QUALIFIED: 'zakwalifikowany',
  REFUSED: 'odmowa (decyzja)',
  FORWARDED: 'przekazany',
};

export const IPUS_STATUS_LABELS: Record<IpusStatus, string> = {
  DRAFT: 'projekt',
  AWAITING_APPROVAL: 'do zatwierdzenia',
  APPROVED: 'zatwierdzony',
  ACTIVE: 'realizowany',
  COMPLETED: 'zakończony',
  TERMINATED: 'przerwany',
};

/** What one revision of a plan did. */
export const IPUS_CHANGE_KIND_LABELS: Record<IpusChangeKind, string> = {
  CREATED: 'utworzenie projektu',
  EDITED: 'zmiana projektu',
  SUBMITTED: 'przekazanie do zatwierdzenia',
  APPROVED: 'zatwierdzenie',
  RETURNED: 'zwrot do poprawy',
  ACTIVATED: 'zgoda mieszkańca i rozpoczęcie realizacji',
  UPDATED: 'aktualizacja planu',
  NOTE_ADDED: 'notatka z monitorowania',
  COMPLETED: 'zakończenie',
  TERMINATED: 'przerwanie',
  CHANGE_PROPOSED: 'propozycja zmiany',
  CHANGE_APPROVED: 'zatwierdzenie zmiany',
  CHANGE_RETURNED: 'zwrot zmiany do poprawy',
  CHANGE_WITHDRAWN: 'wycofanie zmiany',
  CHANGE_AGREED: 'zgoda mieszkańca na zmianę',
};

/** Who provides a service of a plan. */
export const PROVIDER_KIND_LABELS: Record<ProviderKind, string> = { CUS: 'centrum usług społecznych', PARTNER: 'partner', GMINA_UNIT: 'jednostka gminy' };

/** The systems a plan's coordinated help comes from. */
export const COORDINATED_HELP_SYSTEM_LABELS: Record<CoordinatedHelpSystemCode, string> = {
  HEALTH_CARE: 'ochrona zdrowia (NFZ)',
  SOCIAL_ASSISTANCE: 'pomoc społeczna',
  EDUCATION: 'oświata',
  LABOUR_MARKET: 'urząd pracy',
  DISABILITY_SUPPORT: 'wsparcie osób z niepełnosprawnościami',
  FAMILY_SUPPORT: 'wsparcie rodziny',
  OTHER: 'inne',
};

export const WAITING_LIST_STATUS_LABELS: Record<WaitingListStatus, string> = {
  WAITING: 'oczekuje',
  OFFERED: 'zaproponowano miejsce',
  ACCEPTED: 'przyjęto miejsce',
  DECLINED: 'odmowa miejsca',
  REMOVED: 'zakończono oczekiwanie',
};

/** What happened at a session, told to the person it was for. */
export const DELIVERY_OUTCOME_LABELS: Record<DeliveryOutcome, string> = {
  DELIVERED: 'zrealizowana',
  RESIDENT_ABSENT: 'nieobecność',
  CANCELLED_BY_PROVIDER: 'odwołana przez realizatora',
  CANCELLED_BY_RESIDENT: 'odwołana przez Panią/Pana',
};

export const ROLE_LABELS: Record<Role, string> = {
  PLATFORM_ADMIN: 'administrator platformy',
  DIRECTOR: 'dyrektor',
  SERVICES_ORGANISER: 'organizator usług',
  COORDINATOR: 'koordynator',
  COMMUNITY_ORGANISER: 'organizator społeczności lokalnej',
  GMINA_OFFICIAL: 'urzędnik gminy',
  PARTNER: 'partner',
  MINISTRY: 'ministerstwo',
};
