import { registerEnum } from './graphql-enum.js';

/** The 14 areas of social services of art. 2(1) of the act of 19 July 2019, in the act's order. */
export enum ServiceArea {
  FAMILY_POLICY = 'FAMILY_POLICY',
  FAMILY_SUPPORT = 'FAMILY_SUPPORT',
  FOSTER_CARE = 'FOSTER_CARE',
  SOCIAL_ASSISTANCE = 'SOCIAL_ASSISTANCE',
  HEALTH = 'HEALTH',
  DISABILITY_SUPPORT = 'DISABILITY_SUPPORT',
  PUBLIC_EDUCATION = 'PUBLIC_EDUCATION',
  UNEMPLOYMENT = 'UNEMPLOYMENT',
  CULTURE = 'CULTURE',
  PHYSICAL_CULTURE_AND_TOURISM = 'PHYSICAL_CULTURE_AND_TOURISM',
  CIVIC_ACTIVITY = 'CIVIC_ACTIVITY',
  HOUSING = 'HOUSING',
  ENVIRONMENT = 'ENVIRONMENT',
  SOCIAL_REINTEGRATION = 'SOCIAL_REINTEGRATION',
}
registerEnum(ServiceArea, 'ServiceArea', 'Area of social services, art. 2(1) of the act on CUS, in the order of the act', {
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
});

/** Groups of residents a service, a need or a programme is for. */
export enum TargetGroup {
  SENIORS = 'SENIORS',
  PEOPLE_WITH_DISABILITIES = 'PEOPLE_WITH_DISABILITIES',
  CARERS = 'CARERS',
  FAMILIES = 'FAMILIES',
  LARGE_FAMILIES = 'LARGE_FAMILIES',
  FAMILIES_IN_CRISIS = 'FAMILIES_IN_CRISIS',
  CHILDREN_AND_YOUTH = 'CHILDREN_AND_YOUTH',
  PEOPLE_WITH_ADDICTIONS = 'PEOPLE_WITH_ADDICTIONS',
  UNEMPLOYED = 'UNEMPLOYED',
  PEOPLE_LIVING_ALONE = 'PEOPLE_LIVING_ALONE',
  ALL_RESIDENTS = 'ALL_RESIDENTS',
}
registerEnum(TargetGroup, 'TargetGroup', {
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
});

/** Days of the week, as iCalendar (and HSDS `byday`) spell them. */
export enum Weekday {
  MO = 'MO',
  TU = 'TU',
  WE = 'WE',
  TH = 'TH',
  FR = 'FR',
  SA = 'SA',
  SU = 'SU',
}
registerEnum(Weekday, 'Weekday', 'Day of the week (iCalendar BYDAY codes)');

/** How much a service costs the resident. */
export enum FeeKind {
  FREE = 'FREE',
  FIXED = 'FIXED',
  INCOME_DEPENDENT = 'INCOME_DEPENDENT',
}
registerEnum(FeeKind, 'FeeKind', {
  FREE: 'Free of charge',
  FIXED: 'A fixed amount per unit (e.g. per hour)',
  INCOME_DEPENDENT: 'Depends on income, as the programme of social services sets it',
});
