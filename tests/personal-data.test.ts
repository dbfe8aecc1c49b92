import { beforeAll, describe, expect, test } from 'vitest';
import { getNamedType, isInterfaceType, isLeafType, isObjectType, type GraphQLField, type GraphQLNamedType, type GraphQLSchema } from 'graphql';
import { platformSchema } from '../src/app.js';
import { personalPages, personalRegistry } from '../src/platform/graphql/personal-reads.js';

/**
 * The registry of personal types is complete (issue 17, item 3). Reads are logged by one mechanism
 * (src/platform/graphql/personal-reads.ts): every field returning an object of a registered type is
 * wrapped when the schema is built. What it cannot know is a type nobody registered, so the schema is
 * walked here: a type with fields named like a person's data (PESEL, names, birth date, address,
 * contact, notes) must be registered as a resident's record, as a part of one, or be named below with
 * the reason it holds no resident's data. A part must be reachable only through its record, else a
 * field could return it without the record's read being logged; a JSON field hides its contents from
 * this walk, so each is registered or named too. tests/isolation.test.ts then plays every path to a
 * registered type as every role and checks the log.
 */

/** Field names that say "a person's data" (leaves, or objects of a type not registered). */
const PERSONAL_NAME =
  /^(pesel|firstName|lastName|birthDate|sex|address|street|phone|email|contact|person|resident|.+Name|notes?|.+Notes?|disability.*|requestText|refusalReason)$/;

/** Types whose fields look personal but hold no resident's data, and why. A new entry needs a reason a data-protection officer would accept. */
const NOT_A_RESIDENTS: Record<string, string> = {
  Address: "a postal address as a value: a resident's is read through the Resident or AssignedPerson holding it, which are logged",
  Partner: 'an organisation: its address and contact are its own, published in the HSDS export',
  Contact: 'contact details of an organisation (Partner.contact)',
  Location: "a place of the catalogue (a village community room), never a person's home",
  ServiceProvider: "who provides a service of the catalogue (a unit's name)",
  ServiceCapacity: 'a note on the capacity of a service of the catalogue',
  ServiceSchedule: 'a note on the opening hours of a service',
  DiagnosisStage: 'notes on a stage of the community diagnosis, whose research is anonymous',
  ResearchActivity: 'notes on a research activity of the community diagnosis (anonymous surveys, group interviews)',
  PartnerCouncilMember: 'the representative a partner sends to the partner council, acting for the organisation',
  PartnerRelationship: "a centre's dealings with a partner: its contact person there and the centre's notes on the organisation",
  SettlementStatement:
    "a commission's monthly settlement: partnerName is the organisation's, gminaName the settling gmina's; its lines, one plan item each, are registered records",
  ConsultationSubmission: "a remark in a public consultation, signed by its author for the consultation's report: not a record of a client",
  WorklistItem: "what a staff member must act on: actorName is the staff member's, the title names the case by number and date, never the resident",
  WorklistUnitCounts: "counts per unit for the director: unitName is the CUS unit's",
};

/** JSON fields and why their contents need no registration. */
const JSON_FIELDS: Record<string, string> = {
  'IpusFieldChange.before': "part of a plan's revision, read through the plan",
  'IpusFieldChange.after': "part of a plan's revision, read through the plan",
  'ResidentSearchLogEntry.criteria': 'the log itself, which only the director reads',
};

let schema: GraphQLSchema;
const registry = personalRegistry();
const rootNames = () => new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].map((t) => t?.name));

function compositeTypes(): { name: string; fields: GraphQLField<unknown, unknown>[] }[] {
  return Object.values(schema.getTypeMap())
    .filter(
      (t): t is Extract<GraphQLNamedType, { getFields: unknown }> & GraphQLNamedType => (isObjectType(t) || isInterfaceType(t)) && !t.name.startsWith('__'),
    )
    .map((t) => ({ name: t.name, fields: Object.values((t as { getFields(): Record<string, GraphQLField<unknown, unknown>> }).getFields()) }));
}

const registered = (name: string) => registry.records.has(name) || registry.parts.has(name);

beforeAll(async () => {
  schema = await platformSchema();
});

describe('the registry of personal types', () => {
  test("every type carrying a person's fields is a registered record, a part of one, or named with the reason it holds no resident's data", () => {
    const roots = rootNames();
    const unregistered: string[] = [];
    for (const { name, fields } of compositeTypes()) {
      if (roots.has(name) || registered(name) || personalPages(schema).has(name)) continue;
      const looking = fields.filter((f) => PERSONAL_NAME.test(f.name) && (isLeafType(getNamedType(f.type)) || !registered(getNamedType(f.type).name)));
      if (looking.length > 0 && !NOT_A_RESIDENTS[name]) unregistered.push(`${name} (${looking.map((f) => f.name).join(', ')})`);
    }
    expect(unregistered, 'list them in src/modules/personal-data.ts, or name them in NOT_A_RESIDENTS with a reason').toEqual([]);
  });

  test('the registry names only types of the schema, and the list of exceptions only types that exist and are not registered', () => {
    for (const name of [...registry.records, ...registry.parts.keys()]) expect(schema.getType(name), name).toBeDefined();
    for (const name of Object.keys(NOT_A_RESIDENTS)) {
      expect(schema.getType(name), name).toBeDefined();
      expect(registered(name), name).toBe(false);
    }
    for (const coordinate of registry.fields) {
      const [type, field] = coordinate.split('.');
      expect((schema.getType(type) as { getFields(): Record<string, unknown> }).getFields()[field], coordinate).toBeDefined();
    }
  });

  test("a part is reachable only through a registered record or another part: the record's read is logged where it was returned", () => {
    const stray: string[] = [];
    for (const { name, fields } of compositeTypes()) {
      for (const field of fields) {
        const returns = getNamedType(field.type).name;
        if (registry.parts.has(returns) && !registered(name)) stray.push(`${name}.${field.name} returns ${returns} (${registry.parts.get(returns)})`);
      }
    }
    expect(stray).toEqual([]);
  });

  test('every JSON field is registered as personal (its resident given) or named with a reason', () => {
    const unexplained: string[] = [];
    for (const { name, fields } of compositeTypes()) {
      for (const field of fields) {
        const coordinate = `${name}.${field.name}`;
        if (getNamedType(field.type).name === 'JSON' && !registry.fields.has(coordinate) && !JSON_FIELDS[coordinate]) unexplained.push(coordinate);
      }
    }
    expect(unexplained).toEqual([]);
  });

  test("the records: a resident's record and what is part of it, a partner's view of a person, and what was delivered", () => {
    expect([...registry.records].sort()).toEqual([
      'Application',
      'Delivery',
      'Ipus',
      'IpusAgreementScan',
      'IpusGoal',
      'IpusItem',
      'NeedsAssessment',
      'PartnerAssignment',
      'Resident',
      'ScheduledVisit',
      'SettlementLine',
      'WaitingListEntry',
    ]);
    // Each record's pages are found, so a page's totalCount, cursors and nodes are logged with the field returning it.
    const pages = personalPages(schema);
    for (const page of [
      'ResidentConnection',
      'ApplicationConnection',
      'IpusConnection',
      'DeliveryConnection',
      'PartnerAssignmentConnection',
      'ScheduledVisitConnection',
    ]) {
      expect(pages.get(page)?.kind, page).toBe('connection');
    }
  });
});
