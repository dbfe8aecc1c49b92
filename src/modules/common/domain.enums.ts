import { registerEnumType } from 'type-graphql';

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
registerEnumType(ServiceArea, {
  name: 'ServiceArea',
  description: 'Area of social services, art. 2(1) of the act on CUS, in the order of the act',
  valuesConfig: {
    FAMILY_POLICY: { description: 'polityka prorodzinna' },
    FAMILY_SUPPORT: { description: 'wspieranie rodziny' },
    FOSTER_CARE: { description: 'system pieczy zastępczej' },
    SOCIAL_ASSISTANCE: { description: 'pomoc społeczna' },
    HEALTH: { description: 'promocja i ochrona zdrowia' },
    DISABILITY_SUPPORT: { description: 'wspieranie osób niepełnosprawnych' },
    PUBLIC_EDUCATION: { description: 'edukacja publiczna' },
    UNEMPLOYMENT: { description: 'przeciwdziałanie bezrobociu' },
    CULTURE: { description: 'kultura' },
    PHYSICAL_CULTURE_AND_TOURISM: { description: 'kultura fizyczna i turystyka' },
    CIVIC_ACTIVITY: { description: 'pobudzanie aktywności obywatelskiej' },
    HOUSING: { description: 'mieszkalnictwo' },
    ENVIRONMENT: { description: 'ochrona środowiska' },
    SOCIAL_REINTEGRATION: { description: 'reintegracja zawodowa i społeczna' },
  },
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
registerEnumType(TargetGroup, {
  name: 'TargetGroup',
  valuesConfig: {
    SENIORS: { description: 'seniorzy' },
    PEOPLE_WITH_DISABILITIES: { description: 'osoby z niepełnosprawnościami' },
    CARERS: { description: 'opiekunowie faktyczni' },
    FAMILIES: { description: 'rodziny' },
    LARGE_FAMILIES: { description: 'rodziny wielodzietne' },
    FAMILIES_IN_CRISIS: { description: 'rodziny w kryzysie' },
    CHILDREN_AND_YOUTH: { description: 'dzieci i młodzież' },
    PEOPLE_WITH_ADDICTIONS: { description: 'osoby uzależnione i ich rodziny' },
    UNEMPLOYED: { description: 'osoby bezrobotne' },
    PEOPLE_LIVING_ALONE: { description: 'osoby samotne' },
    ALL_RESIDENTS: { description: 'wszyscy mieszkańcy' },
  },
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
registerEnumType(Weekday, { name: 'Weekday', description: 'Day of the week (iCalendar BYDAY codes)' });

/** How much a service costs the resident. */
export enum FeeKind {
  FREE = 'FREE',
  FIXED = 'FIXED',
  INCOME_DEPENDENT = 'INCOME_DEPENDENT',
}
registerEnumType(FeeKind, {
  name: 'FeeKind',
  valuesConfig: {
    FREE: { description: 'Free of charge' },
    FIXED: { description: 'A fixed amount per unit (e.g. per hour)' },
    INCOME_DEPENDENT: { description: 'Depends on income, as the programme of social services sets it' },
  },
});
