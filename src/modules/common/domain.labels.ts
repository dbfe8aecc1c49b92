/*
 * Polish names of the domain's enumerations, as the act and a CUS name them: one list for every
 * place that shows them (the HSDS taxonomy, the reports and their CSV) and the GraphQL descriptions of
 * the enums, which domain.enums.ts declares from these lists.
 */

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
