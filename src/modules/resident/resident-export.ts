import type { RequestContext } from '../../platform/graphql/context.js';
import { idToTerc } from '../../platform/auth/principal.js';
import { toGlobalId } from '../../platform/graphql/node.js';
import { residentSensitiveById } from './resident.loader.js';
import { Resident } from './resident.entity.js';
import type { ResidentSensitive } from './resident-sensitive.entity.js';

type Row = Record<string, unknown>;

const camel = (key: string) => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function camelKeys(row: Row): Row {
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [camel(key), value]));
}

/** Rows as JSON objects (to_jsonb gives ISO timestamps and real arrays), with camelCased keys; `?` is the person's record ids. */
async function rows(ctx: RequestContext, sql: string, recordIds: string[]): Promise<Row[]> {
  const result = await ctx.em.execute<{ row: Row }[]>(sql, [`{${recordIds.join(',')}}`]);
  return result.map((r) => camelKeys(r.row));
}

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
  const [sensitive, ...mergedSensitive] = await residentSensitiveById(ctx).loadMany(ids);
  const merged =
    resident.mergedIds.length === 0 ? [] : await ctx.em.find(Resident, { id: { $in: resident.mergedIds } }, { orderBy: { mergedAt: 'asc', id: 'asc' } });
  const applications = await rows(
    ctx,
    `select to_jsonb(a) as row from application a where a.resident_id = any (?::uuid[]) order by a.filed_on, a.filing_number`,
    ids,
  );
  const assessments = await rows(
    ctx,
    `select to_jsonb(na) as row from needs_assessment na join application a on a.id = na.application_id
     where a.resident_id = any (?::uuid[]) order by na.conversation_on, na.created_at, na.id`,
    ids,
  );
  const needs = await rows(
    ctx,
    `select to_jsonb(n) as row from needs_assessment_need n join needs_assessment na on na.id = n.assessment_id
     join application a on a.id = na.application_id where a.resident_id = any (?::uuid[]) order by n.area, n.id`,
    ids,
  );
  const plans = await rows(ctx, `select to_jsonb(p) as row from ipus p where p.resident_id = any (?::uuid[]) order by p.period_start, p.id`, ids);
  const planPart = (table: string, order: string) =>
    rows(ctx, `select to_jsonb(x) as row from ${table} x join ipus p on p.id = x.ipus_id where p.resident_id = any (?::uuid[]) order by ${order}`, ids);
  const [goals, items, actions, notes, revisions] = await Promise.all([
    planPart('ipus_goal', 'x.position'),
    planPart('ipus_item', 'x.position'),
    planPart('ipus_supporting_action', 'x.position'),
    planPart('ipus_monitoring_note', 'x.noted_on, x.created_at'),
    planPart('ipus_revision', 'x.revision'),
  ]);
  const ofPlan = (list: Row[], plan: Row) => list.filter((row) => row.ipusId === plan.id);
  const accessLog = await rows(
    ctx,
    `select jsonb_build_object('accessed_at', l.accessed_at, 'subject', l.subject, 'role', l.role, 'operation', l.operation) as row
     from resident_access_log l where l.resident_id = any (?::uuid[]) order by l.accessed_at, l.id`,
    ids,
  );
  // Searches that named the person, by a PESEL or an id of theirs, whether or not a record was shown: who looked them up.
  const pesels = [resident, ...merged].flatMap((r) => (r.pesel ? [r.pesel] : []));
  const searches = await ctx.em.execute<{ row: Row }[]>(
    `select jsonb_build_object('accessedAt', l.accessed_at, 'subject', l.subject, 'role', l.role, 'operation', l.operation,
       'criteria', l.criteria, 'counted', l.counted) as row
     from resident_search_log l
     where l.criteria -> 'filter' ->> 'pesel' = any (?::text[]) or l.criteria -> 'filter' ->> 'residentId' = any (?::text[])
     order by l.accessed_at, l.id`,
    [`{${pesels.join(',')}}`, `{${ids.map((id) => toGlobalId('Resident', id)).join(',')}}`],
  );

  return {
    legalBasis: 'GDPR art. 15',
    exportedAt: new Date().toISOString(),
    exportedBy: { subject: ctx.principal.subject, role: ctx.principal.role },
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
      monitoringNotes: ofPlan(notes, plan),
      revisions: ofPlan(revisions, plan),
    })),
    accessLog,
    searches: searches.map((r) => r.row),
  };
}
