/**
 * The operations of the benchmark scenarios (issue 7), as each role sends them to our API. One source
 * for `npm run bench` and for tests/statement-count.test.ts, which asserts that the statements each
 * one sends do not grow with the rows it returns.
 */

/** 1. Coordinator dashboard: the first 50 plans of my CUS, with the resident, the items and their next visits. */
export const COORDINATOR_DASHBOARD = `query CoordinatorDashboard {
  plans(first: 50) {
    nodes {
      id status periodStart periodEnd
      resident { firstName lastName }
      items { position service { name } partner { name } weekdays startsAt endsAt nextVisits(first: 3) }
    }
  }
}`;

/** 2. Catalogue search: words, areas and target groups, as a coordinator picks services for a plan. */
export const CATALOGUE_SEARCH = `query CatalogueSearch($search: String, $filter: ServiceFilter) {
  services(first: 20, search: $search, filter: $filter) {
    nodes { id name area targetGroups online provider { kind unitName partner { name } } gminy { terc name } }
  }
}`;

/** 3. A partner's week: every visit of its assigned items, with person, service, progress and the delivery recorded. */
export const PARTNER_WEEK = `query PartnerWeek($from: LocalDate!, $to: LocalDate!) {
  schedule(from: $from, to: $to, first: 100) {
    nodes {
      date startsAt endsAt
      assignment { person { firstName lastName phone address { street city } } service { name } progress { planned delivered } }
      delivery { outcome durationMinutes }
    }
  }
}`;

/**
 * 4. A ministry report: plans and deliveries by województwo for a year, deliveries by area. A plan has
 * no area (its items do, each its own), so PLANS_PREPARED cannot be grouped by AREA: plans go by month.
 */
export const MINISTRY_REPORT = `query MinistryReport($from: LocalDate!, $to: LocalDate!) {
  plans: ministryReport(measure: PLANS_PREPARED, groupBy: [WOJEWODZTWO, MONTH], from: $from, to: $to) {
    total { value suppressed } cells { keys { dimension code label } value suppressed }
  }
  deliveries: ministryReport(measure: DELIVERIES, groupBy: [WOJEWODZTWO, AREA], from: $from, to: $to) {
    total { value suppressed } cells { keys { dimension code label } value suppressed }
  }
}`;

/** 5. A plan update with optimistic locking: the plan changes coordinator (its revision in hand). */
export const PLAN_UPDATE = `mutation PlanUpdate($input: IpusUpdateInput!) {
  ipusUpdate(input: $input) { ipus { id revision coordinatorName } userErrors { code field message } }
}`;
