import { registerEnumType } from 'type-graphql';

export enum ReportMeasure {
  APPLICATIONS_RECEIVED = 'APPLICATIONS_RECEIVED',
  APPLICATIONS_QUALIFIED = 'APPLICATIONS_QUALIFIED',
  APPLICATIONS_REFUSED = 'APPLICATIONS_REFUSED',
  APPLICATIONS_FORWARDED = 'APPLICATIONS_FORWARDED',
  DAYS_TO_PLAN_MEDIAN = 'DAYS_TO_PLAN_MEDIAN',
  DAYS_TO_PLAN_P90 = 'DAYS_TO_PLAN_P90',
  PLANS_PREPARED = 'PLANS_PREPARED',
  PLANS_ACTIVATED = 'PLANS_ACTIVATED',
  PLANS_ACTIVE = 'PLANS_ACTIVE',
  PLANS_COMPLETED = 'PLANS_COMPLETED',
  PLANS_TERMINATED = 'PLANS_TERMINATED',
  RESIDENTS_SERVED = 'RESIDENTS_SERVED',
  DELIVERIES = 'DELIVERIES',
  DELIVERY_HOURS = 'DELIVERY_HOURS',
  COMMISSION_BUDGET = 'COMMISSION_BUDGET',
  COMMISSION_BUDGET_USED = 'COMMISSION_BUDGET_USED',
  SERVICES = 'SERVICES',
  CUS_UNITS = 'CUS_UNITS',
  PARTNERS = 'PARTNERS',
}
registerEnumType(ReportMeasure, {
  name: 'ReportMeasure',
  description: 'What a report counts or sums. Counts of persons are suppressed below the threshold in ministry reports',
  valuesConfig: {
    APPLICATIONS_RECEIVED: { description: 'Applications filed in the period (persons)' },
    APPLICATIONS_QUALIFIED: { description: 'Applications qualified in the period (persons)' },
    APPLICATIONS_REFUSED: { description: 'Applications refused by decision in the period (persons)' },
    APPLICATIONS_FORWARDED: { description: 'Applications forwarded to another body in the period (persons)' },
    DAYS_TO_PLAN_MEDIAN: { description: 'Median days from application to plan, of plans prepared in the period (suppressed when fewer plans than the threshold)' },
    DAYS_TO_PLAN_P90: { description: '90th percentile of days from application to plan, of plans prepared in the period' },
    PLANS_PREPARED: { description: 'Plans prepared in the period (persons)' },
    PLANS_ACTIVATED: { description: 'Plans that became active in the period (persons)' },
    PLANS_ACTIVE: { description: 'Plans active at any time in the period (persons; read from the records, not the rollup)' },
    PLANS_COMPLETED: { description: 'Plans completed in the period (persons)' },
    PLANS_TERMINATED: { description: 'Plans terminated in the period (persons)' },
    RESIDENTS_SERVED: { description: 'Residents with a plan active at any time in the period (persons; read from the records)' },
    DELIVERIES: { description: 'Sessions delivered in the period' },
    DELIVERY_HOURS: { description: 'Hours delivered in the period' },
    COMMISSION_BUDGET: { description: 'Budgets (PLN) of active, suspended and completed commissions, now' },
    COMMISSION_BUDGET_USED: { description: 'Budget used (PLN, delivered volume at the unit price) of those commissions, now' },
    SERVICES: { description: 'Active services of the catalogue, now (by target group: each service once per group it serves)' },
    CUS_UNITS: { description: 'CUS units, now, at their seat gmina' },
    PARTNERS: { description: 'Active partners, now, once in each gmina they work in' },
  },
});

export enum ReportDimension {
  COUNTRY = 'COUNTRY',
  WOJEWODZTWO = 'WOJEWODZTWO',
  POWIAT = 'POWIAT',
  GMINA = 'GMINA',
  GMINA_KIND = 'GMINA_KIND',
  AREA = 'AREA',
  TARGET_GROUP = 'TARGET_GROUP',
  PARTNER_KIND = 'PARTNER_KIND',
  PARTNER = 'PARTNER',
  CREATION_MODE = 'CREATION_MODE',
  MONTH = 'MONTH',
}
registerEnumType(ReportDimension, {
  name: 'ReportDimension',
  description: 'What a report groups by; each measure names the dimensions it has (Report.dimensionsOf)',
  valuesConfig: {
    COUNTRY: { description: 'Poland as a whole' },
    WOJEWODZTWO: { description: 'Województwo (TERYT code of 2 digits)' },
    POWIAT: { description: 'Powiat (TERYT code of 4 digits)' },
    GMINA: { description: 'Gmina (TERC code of 7 digits)' },
    GMINA_KIND: { description: 'URBAN, RURAL or URBAN_RURAL' },
    AREA: { description: 'Area of services (of the service delivered or offered)' },
    TARGET_GROUP: { description: 'Target group of the service' },
    PARTNER_KIND: { description: 'Kind of partner organisation' },
    PARTNER: { description: 'The partner organisation (its id; named where you may read the partner)' },
    CREATION_MODE: { description: 'How a CUS unit was created' },
    MONTH: { description: 'Calendar month, YYYY-MM' },
  },
});

export enum ReportUnit {
  PERSONS = 'PERSONS',
  COUNT = 'COUNT',
  DAYS = 'DAYS',
  HOURS = 'HOURS',
  PLN = 'PLN',
}
registerEnumType(ReportUnit, { name: 'ReportUnit', description: 'What the values of a report are' });
