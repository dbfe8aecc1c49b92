import { defineEnum, type EnumValue } from '../common/graphql-enum.js';

export const ReportMeasure = defineEnum(
  'ReportMeasure',
  'What a report counts or sums. Counts of persons are suppressed below the threshold in ministry reports',
  {
    APPLICATIONS_RECEIVED: 'Applications filed in the period (persons)',
    APPLICATIONS_QUALIFIED: 'Applications qualified in the period (persons)',
    APPLICATIONS_REFUSED: 'Applications refused by decision in the period (persons)',
    APPLICATIONS_FORWARDED: 'Applications forwarded to another body in the period (persons)',
    DAYS_TO_PLAN_MEDIAN: 'Median days from application to plan, of plans prepared in the period (suppressed when fewer plans than the threshold)',
    DAYS_TO_PLAN_P90: '90th percentile of days from application to plan, of plans prepared in the period',
    PLANS_PREPARED: 'Plans prepared in the period (persons)',
    PLANS_ACTIVATED: 'Plans that became active in the period (persons)',
    PLANS_ACTIVE: 'Plans active at any time in the period (persons; read from the records, not the rollup)',
    PLANS_COMPLETED: 'Plans completed in the period (persons)',
    PLANS_TERMINATED: 'Plans terminated in the period (persons)',
    RESIDENTS_SERVED: 'Residents with a plan active at any time in the period (persons; read from the records)',
    DELIVERIES: 'Sessions delivered in the period',
    DELIVERY_HOURS: 'Hours delivered in the period',
    COMMISSION_BUDGET: 'Budgets (PLN) of active, suspended and completed commissions, now',
    COMMISSION_BUDGET_USED: 'Budget used (PLN, delivered volume at the unit price) of those commissions, now',
    SERVICES: 'Active services of the catalogue, now (by target group: each service once per group it serves)',
    CUS_UNITS: 'CUS units, now, at their seat gmina',
    PARTNERS: 'Active partners, now, once in each gmina they work in',
  },
);
export type ReportMeasure = EnumValue<typeof ReportMeasure>;

export const ReportDimension = defineEnum('ReportDimension', 'What a report groups by; each measure names the dimensions it has (Report.dimensionsOf)', {
  COUNTRY: 'Poland as a whole',
  WOJEWODZTWO: 'Województwo (TERYT code of 2 digits)',
  POWIAT: 'Powiat (TERYT code of 4 digits)',
  GMINA: 'Gmina (TERC code of 7 digits)',
  GMINA_KIND: 'URBAN, RURAL or URBAN_RURAL',
  AREA: 'Area of services (of the service delivered or offered)',
  TARGET_GROUP: 'Target group of the service',
  PARTNER_KIND: 'Kind of partner organisation',
  PARTNER: 'The partner organisation (its id; named where you may read the partner)',
  CREATION_MODE: 'How a CUS unit was created',
  MONTH: 'Calendar month, YYYY-MM',
  TERMINATION_REASON: 'Why a plan was terminated, as coded (a TerminationReason value; OTHER for plans terminated before the codes)',
});
export type ReportDimension = EnumValue<typeof ReportDimension>;

export const ReportUnit = defineEnum('ReportUnit', 'What the values of a report are', ['PERSONS', 'COUNT', 'DAYS', 'HOURS', 'PLN']);
export type ReportUnit = EnumValue<typeof ReportUnit>;
