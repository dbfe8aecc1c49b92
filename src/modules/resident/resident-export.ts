import type { RequestContext } from '../../platform/graphql/context.js';
import { idToTerc } from '../../platform/auth/principal.js';
import { toGlobalId } from '../../platform/graphql/node.js';
import { uuidArray } from '../../platform/graphql/row-loaders.js';
import { residentSensitiveById } from './resident.loader.js';
import { Resident } from './resident.entity.js';
import type { ResidentSensitive } from './resident-sensitive.entity.js';
import { AUTOMATED_DECISIONS, PROCESSING_ACTIVITIES, RECIPIENTS, REGULATION, RETENTION, RIGHTS, SOURCE } from './resident-export-notice.js';

type Row = Record<string, unknown>;

const camel = (key: string) => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function camelKeys(row: Row): Row {
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [camel(key), value]));
}

/** Rows as JSON objects (to_jsonb gives ISO timestamps and real arrays), with camelCased keys; the one `?` is a list of ids. */
async function rows(ctx: RequestContext, sql: string, ids: readonly string[]): Promise<Row[]> {
  const result = await ctx.em.execute<{ row: Row }[]>(sql, [uuidArray(ids)]);
  return result.map((r) => camelKeys(r.row));
}

/** The distinct ids the loaded rows name in `key` (a unit's or a partner's), so the next read takes them, not joins again. */
const idsOf = (loaded: Row[], key: string): string[] => [...new Set(loaded.flatMap((row) => (typeof row[key] === 'string' ? [row[key]] : [])))];

function record(resident: Resident): Row {
  return {
    id: resident.globalId,
    gmina: idToTerc(resident.gminaId),
    firstName: resident.firstName,
    lastName: resident.lastName,
    pesel: resident.pesel,
    birthDate: resident.birthDate,
    sex: resident.sex,
    address: resident.address,
    contact: resident.contact,
    householdNotes: resident.householdNotes,
    version: resident.version,
    createdAt: resident.createdAt.toISOString(),
    updatedAt: resident.updatedAt.toISOString(),
  };
}

function sensitivePart(sensitive: ResidentSensitive | null): Row | null {
  return (
    sensitive && {
      disabilityLevel: sensitive.disabilityLevel,
      disabilityCertificateValidUntil: sensitive.disabilityCertificateValidUntil,
      healthNotes: sensitive.healthNotes,
      updatedAt: sensitive.updatedAt.toISOString(),
    }
  );
}

/**
 * Everything the system holds on one resident, for a subject-access request (GDPR art. 15): the
 * record, the special-category part, applications with their needs assessments and needs, individual
 * plans with their contents and every revision, who read the record when, and the searches that named
 * the person (by PESEL or id). Applications are read as plain rows so the export lists every column held.
 * Records merged into this one are the same person's: they are listed as they were (with who merged
 * them, when and why), and their applications, plans and reads are in the lists with the survivor's.
 */
export async function residentDataExport(ctx: RequestContext, resident: Resident): Promise<Row> {
  const ids = resident.recordIds;
  const planPart = (table: string, order: string) =>
    rows(ctx, `select to_jsonb(x) as row from ${table} x join ipus p on p.id = x.ipus_id where p.resident_id = any (?::uuid[]) order by ${order}`, ids);
  // Every read that needs only the person's record ids, at once.
  const [
    [sensitive, ...mergedSensitive],
    merged,
    applications,
    assessments,
    needs,
    plans,
    items,
    goals,
    actions,
    help,
    notes,
    revisions,
    waits,
    scans,
    deliveries,
    incomeDeclarations,
    accessLog,
  ] = await Promise.all([
    residentSensitiveById(ctx).loadMany(ids),
    resident.mergedIds.length === 0 ? [] : ctx.em.find(Resident, { id: { $in: resident.mergedIds } }, { orderBy: { mergedAt: 'asc', id: 'asc' } }),
    rows(ctx, `select to_jsonb(a) as row from application a where a.resident_id = any (?::uuid[]) order by a.filed_on, a.filing_number`, ids),
    rows(
      ctx,
      `select to_jsonb(na) as row from needs_assessment na join application a on a.id = na.application_id
       where a.resident_id = any (?::uuid[]) order by na.conversation_on, na.created_at, na.id`,
      ids,
    ),
    rows(
      ctx,
      `select to_jsonb(n) as row from needs_assessment_need n join needs_assessment na on na.id = n.assessment_id
       join application a on a.id = na.application_id where a.resident_id = any (?::uuid[]) order by n.area, n.id`,
      ids,
    ),
    rows(ctx, `select to_jsonb(p) as row from ipus p where p.resident_id = any (?::uuid[]) order by p.period_start, p.id`, ids),
    // An item names its service, partner, place and commission by name too: the person reads who and what, not ids.
    rows(
      ctx,
      `select to_jsonb(x) || jsonb_build_object('service_name', s.name, 'partner_name', pa.name, 'location_name', l.name,
         'commission_agreement_number', c.agreement_number) as row
       from ipus_item x join ipus p on p.id = x.ipus_id left join service s on s.id = x.service_id left join partner pa on pa.id = x.partner_id
       left join location l on l.id = x.location_id left join commission c on c.id = x.commission_id
       where p.resident_id = any (?::uuid[]) order by x.position`,
      ids,
    ),
    planPart('ipus_goal', 'x.position'),
    planPart('ipus_supporting_action', 'x.position'),
    planPart('ipus_coordinated_help', 'x.position'),
    planPart('ipus_monitoring_note', 'x.noted_on, x.created_at'),
    planPart('ipus_revision', 'x.revision'),
    planPart('waiting_list_entry', 'x.filed_at, x.id'),
    // The signed agreement's scan: what was kept and when (its content is the person's copy of the plan they signed).
    rows(ctx, `select to_jsonb(x) - 'content' as row from ipus_agreement_scan x join ipus p on p.id = x.ipus_id where p.resident_id = any (?::uuid[])`, ids),
    // Every session of the person's plan items, the centre's own and partners', with the note of each version.
    rows(
      ctx,
      `select to_jsonb(d) || jsonb_build_object('ipus_id', i.ipus_id, 'service_name', s.name, 'provider_kind', i.provider_kind,
           'provider_name', coalesce(pa.name, i.provider_unit_name), 'note', n.note,
           'corrections', coalesce((select jsonb_agg(jsonb_build_object('version', dc.version, 'changedBy', dc.changed_by, 'changedAt', dc.changed_at,
               'previous', dc.previous || jsonb_build_object('note', cn.note)) order by dc.version)
             from delivery_correction dc left join delivery_note cn on cn.delivery_id = dc.delivery_id and cn.version = dc.version
             where dc.delivery_id = d.id), '[]'::jsonb)) as row
       from delivery d join ipus_item i on i.id = d.ipus_item_id join ipus p on p.id = i.ipus_id left join service s on s.id = i.service_id
       left join partner pa on pa.id = d.partner_id left join delivery_note n on n.delivery_id = d.id and n.version = d.version
       where p.resident_id = any (?::uuid[]) order by d.delivered_on, d.starts_at, d.id`,
      ids,
    ),
    rows(ctx, `select to_jsonb(r) as row from resident_income r where r.resident_id = any (?::uuid[]) order by r.declared_on, r.created_at`, ids),
    rows(
      ctx,
      `select jsonb_build_object('accessed_at', l.accessed_at, 'subject', l.subject, 'role', l.role, 'operation', l.operation) as row
       from resident_access_log l where l.resident_id = any (?::uuid[]) order by l.accessed_at, l.id`,
      ids,
    ),
  ]);
  // Searches that named the person, by a PESEL or an id of theirs, whether or not a record was shown: who looked them up.
  const pesels = [resident, ...merged].flatMap((r) => (r.pesel ? [r.pesel] : []));
  const [controllers, partners, searches] = await Promise.all([
    // The units that hold the person's applications and plans.
    rows(
      ctx,
      `select jsonb_build_object('id', u.id, 'name', u.name, 'seat', concat_ws(', ', u.seat_street, u.seat_postal_code || ' ' || u.seat_city)) as row
       from cus_unit u where u.id = any (?::uuid[]) order by u.name`,
      idsOf([...applications, ...plans], 'cusUnitId'),
    ),
    // The partners who received the person's data to serve them: those named on the plans' items or who recorded a session.
    rows(
      ctx,
      `select jsonb_build_object('id', pa.id, 'name', pa.name, 'kind', pa.kind, 'nip', pa.nip, 'krs', pa.krs) as row from partner pa
       where pa.id = any (?::uuid[]) order by pa.name`,
      idsOf([...items, ...deliveries], 'partnerId'),
    ),
    ctx.em.execute<{ row: Row }[]>(
      `select jsonb_build_object('accessedAt', l.accessed_at, 'subject', l.subject, 'role', l.role, 'operation', l.operation,
         'criteria', l.criteria, 'counted', l.counted) as row
       from resident_search_log l
       where l.criteria -> 'filter' ->> 'pesel' = any (?::text[]) or l.criteria -> 'filter' ->> 'residentId' = any (?::text[])
       order by l.accessed_at, l.id`,
      [`{${pesels.join(',')}}`, `{${ids.map((id) => toGlobalId('Resident', id)).join(',')}}`],
    ),
  ]);
  const ofPlan = (list: Row[], plan: Row) => list.filter((row) => row.ipusId === plan.id);

  return {
    legalBasis: 'GDPR art. 15',
    exportedAt: new Date().toISOString(),
    exportedBy: { subject: ctx.principal.subject, role: ctx.principal.role },
    controllers,
    record: record(resident),
    sensitive: sensitivePart(sensitive as ResidentSensitive | null),
    mergedRecords: merged.map((m) => ({
      ...record(m),
      mergedAt: m.mergedAt?.toISOString() ?? null,
      mergedBy: m.mergedBy,
      mergeReason: m.mergeReason,
      mergedInto: toGlobalId('Resident', resident.id),
      sensitive: sensitivePart(mergedSensitive[resident.mergedIds.indexOf(m.id)] as ResidentSensitive | null),
    })),
    applications: applications.map((application) => ({
      ...application,
      needsAssessments: assessments
        .filter((assessment) => assessment.applicationId === application.id)
        .map((assessment) => ({ ...assessment, needs: needs.filter((need) => need.assessmentId === assessment.id) })),
    })),
    plans: plans.map((plan) => ({
      ...plan,
      goals: ofPlan(goals, plan),
      items: ofPlan(items, plan),
      supportingActions: ofPlan(actions, plan),
      coordinatedHelp: ofPlan(help, plan),
      monitoringNotes: ofPlan(notes, plan),
      revisions: ofPlan(revisions, plan),
      waitingList: ofPlan(waits, plan),
      agreementScan: ofPlan(scans, plan)[0] ?? null,
    })),
    deliveries,
    partners,
    incomeDeclarations,
    accessLog,
    searches: searches.map((r) => r.row),
    processing: PROCESSING_ACTIVITIES,
    recipients: RECIPIENTS,
    retention: RETENTION,
    rights: RIGHTS,
    source: SOURCE,
    automatedDecisions: AUTOMATED_DECISIONS,
    regulation: REGULATION,
  };
}
