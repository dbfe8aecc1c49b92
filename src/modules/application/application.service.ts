import type { RequestContext } from '../../platform/graphql/context.js';
import { uuidFromGlobalId } from '../../platform/graphql/node.js';
import { UserErrorCode, UserErrors } from '../../platform/graphql/user-error.js';
import { idToTerc } from '../../platform/auth/principal.js';
import { Service } from '../catalogue/service.entity.js';
import { serviceById } from '../catalogue/service.loader.js';
import type { ServiceArea } from '../common/domain.enums.js';
import { todayInPoland } from '../common/dates.js';
import { findVisible, isCurrentVersion } from '../common/find.js';
import { canMove, type Moves } from '../common/transitions.js';
import { ok, refuse, textOrNull, type Result } from '../common/result.js';
import { CusUnit } from '../cus-unit/cus-unit.entity.js';
import { cusUnitById, cusUnitsServingGmina } from '../cus-unit/cus-unit.loader.js';
import type { Resident } from '../resident/resident.entity.js';
import { findResident } from '../resident/resident.service.js';
import { Application, ApplicationStatus, FiledBy } from './application.entity.js';
import type {
  ApplicationDecisionDeliveredInput,
  ApplicationFileInput,
  ApplicationForwardInput,
  ApplicationQualifyInput,
  ApplicationRefuseInput,
  ApplicationUpdateInput,
} from './application.inputs.js';
import { NeedsAssessment } from './needs-assessment.entity.js';

/** An application the principal can see, or NOT_FOUND on `field` (another gmina's looks the same as none). */
export const findApplication = (ctx: RequestContext, globalId: string, field: string, errors: UserErrors): Promise<Application | null> =>
  findVisible(ctx, Application, globalId, field, errors, 'application');

const { FILED, QUALIFIED, REFUSED, FORWARDED } = ApplicationStatus;

/**
 * What an application may do, or have done to it, in which status: it is decided once (the first outcome
 * stands); its needs are assessed before the outcome or after a qualification; a plan follows a qualification.
 * Its two refusals below keep wordings of their own, which say when it was decided.
 */
export const APPLICATION_MOVES = {
  decideOrEdit: { from: [FILED], what: 'deciding or editing' },
  qualify: { from: [FILED], to: QUALIFIED, what: 'qualification' },
  refuse: { from: [FILED], to: REFUSED, what: 'refusal' },
  forward: { from: [FILED], to: FORWARDED, what: 'forwarding' },
  assessNeeds: { from: [FILED, QUALIFIED], what: 'needs assessment' },
  plan: { from: [QUALIFIED], what: 'planning' },
} satisfies Moves<ApplicationStatus>;

/** Why a decided application cannot be decided or edited again: the first outcome stands. */
export function alreadyDecided(application: Application): string {
  return `The application was already decided on ${application.decidedOn} (${application.status})`;
}

/** A day that must lie between the filing of the application and today (in Poland). */
export function checkDay(day: string, filedOn: string, errors: UserErrors, field: string, what: string): void {
  if (day < filedOn) errors.add(field, `${what} (${day}) must not be before the application was filed (${filedOn})`, UserErrorCode.OUT_OF_RANGE);
  const today = todayInPoland();
  if (day > today) errors.add(field, `${what} (${day}) must not be in the future`, UserErrorCode.OUT_OF_RANGE);
}

/**
 * The unit the application is filed with: the one named, which must serve the resident's gmina; else
 * the principal's own unit (its token's) when it does; else the only one in the principal's scope that does.
 */
async function unitFor(ctx: RequestContext, resident: Resident, cusUnitId: string | null | undefined, errors: UserErrors): Promise<CusUnit | null> {
  const terc = idToTerc(resident.gminaId);
  if (cusUnitId) {
    const unit = await findVisible(ctx, CusUnit, cusUnitId, 'cusUnitId', errors, 'CUS unit');
    if (unit && !unit.servedGminaIds.includes(resident.gminaId)) {
      errors.add('cusUnitId', `${unit.name} does not serve gmina ${terc}, where the resident lives`, UserErrorCode.NOT_ALLOWED);
      return null;
    }
    return unit;
  }
  const units = await cusUnitsServingGmina(ctx).load(resident.gminaId);
  const own = units.find((unit) => unit.id === ctx.principal.cusUnitId);
  if (own) return own;
  if (units.length === 1) return units[0];
  if (units.length === 0) errors.add('cusUnitId', `No CUS unit of yours serves gmina ${terc}, where the resident lives`, UserErrorCode.NOT_FOUND);
  else errors.add('cusUnitId', `Several CUS units serve gmina ${terc}; name one`, UserErrorCode.REQUIRED);
  return null;
}

interface Request {
  requestedAreas: ServiceArea[];
  requestedServiceIds: string[];
  requestText: string | null;
}

const serviceUuids = (globalIds: string[]) => globalIds.map((id) => uuidFromGlobalId(id, 'Service', 'requestedServiceIds'));

/**
 * What is asked for: at least one area, service or a description; services (by uuid) each once,
 * and those newly named from the unit's catalogue (services already on the application stay valid).
 */
async function checkRequest(
  ctx: RequestContext,
  request: { areas: ServiceArea[]; serviceIds: string[]; text: string | null },
  unit: CusUnit | null,
  errors: UserErrors,
  already: string[] = [],
): Promise<Request> {
  if (new Set(request.areas).size !== request.areas.length) errors.add('requestedAreas', 'An area is listed twice', UserErrorCode.DUPLICATE);
  const ids = request.serviceIds;
  if (new Set(ids).size !== ids.length) errors.add('requestedServiceIds', 'A service is listed twice', UserErrorCode.DUPLICATE);
  const services = await serviceById(ctx).loadMany(ids);
  services.forEach((service, i) => {
    if (already.includes(ids[i])) return;
    if (!(service instanceof Service) || (unit && service.cusUnitId !== unit.id)) {
      errors.add(['requestedServiceIds', String(i)], unit ? `No such service in the catalogue of ${unit.name}` : 'No such service', UserErrorCode.NOT_FOUND);
    }
  });
  if (request.areas.length === 0 && ids.length === 0 && request.text === null) {
    errors.add('requestedAreas', 'Name at least one area or service asked for, or describe the request in requestText', UserErrorCode.REQUIRED);
  }
  return { requestedAreas: request.areas, requestedServiceIds: ids, requestText: request.text };
}

function checkFiler(filedBy: FiledBy, filerName: string | null, errors: UserErrors): void {
  if (filedBy !== FiledBy.PERSON && filerName === null) {
    errors.add('filerName', 'Name the representative or carer who filed the application', UserErrorCode.REQUIRED);
  }
}

export async function fileApplication(ctx: RequestContext, input: ApplicationFileInput): Promise<Result<Application>> {
  const errors = new UserErrors();
  // The id of a merged record files with the record it was merged into: one person, one record.
  const resident = await findResident(ctx, input.residentId, 'residentId', errors);
  const unit = resident ? await unitFor(ctx, resident, input.cusUnitId, errors) : null;
  const filedOn = input.filedOn ?? todayInPoland();
  if (filedOn > todayInPoland()) errors.add('filedOn', `The filing date (${filedOn}) must not be in the future`, UserErrorCode.OUT_OF_RANGE);
  const filerName = textOrNull(input.filerName);
  checkFiler(input.filedBy, filerName, errors);
  const request = await checkRequest(
    ctx,
    { areas: input.requestedAreas ?? [], serviceIds: serviceUuids(input.requestedServiceIds ?? []), text: textOrNull(input.requestText) },
    unit,
    errors,
  );
  if (!resident || !unit || errors.any) return refuse(errors);

  const application = ctx.em.create(Application, {
    gminaId: resident.gminaId,
    cusUnitId: unit.id,
    residentId: resident.id,
    filedOn,
    channel: input.channel,
    filedBy: input.filedBy,
    filerName,
    ...request,
  });
  await ctx.em.flush();
  return ok(application);
}

/** A FILED application at the version the client read; otherwise NOT_FOUND, NOT_ALLOWED or CONFLICT. */
async function findUndecided(ctx: RequestContext, input: { id: string; version: number }, errors: UserErrors): Promise<Application | null> {
  const application = await findApplication(ctx, input.id, 'id', errors);
  if (!application) return null;
  if (!canMove(application.status, APPLICATION_MOVES.decideOrEdit)) {
    errors.add('id', alreadyDecided(application), UserErrorCode.NOT_ALLOWED);
    return null;
  }
  return isCurrentVersion(application, input.version, errors, 'application') ? application : null;
}

export async function updateApplication(ctx: RequestContext, input: ApplicationUpdateInput): Promise<Result<Application>> {
  const errors = new UserErrors();
  const application = await findUndecided(ctx, input, errors);
  if (!application) return refuse(errors);
  const filedOn = input.filedOn ?? application.filedOn;
  if (filedOn > todayInPoland()) errors.add('filedOn', `The filing date (${filedOn}) must not be in the future`, UserErrorCode.OUT_OF_RANGE);
  if (filedOn !== application.filedOn) {
    // An assessment already held cannot come before the filing.
    const first = await ctx.em.findOne(NeedsAssessment, { applicationId: application.id }, { orderBy: { conversationOn: 'asc' } });
    if (first && first.conversationOn < filedOn) {
      errors.add('filedOn', `The needs were assessed on ${first.conversationOn}, before ${filedOn}`, UserErrorCode.OUT_OF_RANGE);
    }
  }
  const filedBy = input.filedBy ?? application.filedBy;
  const filerName = input.filerName === undefined ? application.filerName : textOrNull(input.filerName);
  checkFiler(filedBy, filerName, errors);
  const unit = await cusUnitById(ctx).load(application.cusUnitId);
  const request = await checkRequest(
    ctx,
    {
      areas: input.requestedAreas ?? application.requestedAreas,
      serviceIds: input.requestedServiceIds ? serviceUuids(input.requestedServiceIds) : application.requestedServiceIds,
      text: input.requestText === undefined ? application.requestText : textOrNull(input.requestText),
    },
    unit,
    errors,
    application.requestedServiceIds,
  );
  if (errors.any) return refuse(errors);

  ctx.em.assign(application, { filedOn, channel: input.channel ?? application.channel, filedBy, filerName, ...request });
  await ctx.em.flush();
  return ok(application);
}

/** Holds the application's row until commit (its status and decision day), as the writes that depend on them read it. */
export async function lockApplication(ctx: RequestContext, applicationId: string): Promise<{ status: ApplicationStatus; decidedOn: string | null }> {
  const [row] = await ctx.em.execute<{ status: ApplicationStatus; decided_on: string | null }[]>(
    'select status, decided_on::text as decided_on from application where id = ? for update',
    [applicationId],
  );
  return { status: row.status, decidedOn: row.decided_on };
}

/** Records the outcome of a FILED application; the caller has checked its fields. */
async function decide(ctx: RequestContext, application: Application, outcome: Partial<Application>): Promise<Result<Application>> {
  ctx.em.assign(application, { ...outcome, decidedBy: ctx.principal.subject });
  await ctx.em.flush();
  return ok(application);
}

export async function qualifyApplication(ctx: RequestContext, input: ApplicationQualifyInput): Promise<Result<Application>> {
  const errors = new UserErrors();
  const application = await findUndecided(ctx, input, errors);
  if (!application) return refuse(errors);
  const decidedOn = input.decidedOn ?? todayInPoland();
  checkDay(decidedOn, application.filedOn, errors, 'decidedOn', 'The qualification date');
  // Qualification follows the needs assessment, the conversation with the applicant (DOMAIN.md, "From application to plan").
  // The row is held until commit, so an assessment cannot be moved past this day while it is counted (needs-assessment.service.ts).
  await lockApplication(ctx, application.id);
  const assessed = await ctx.em.count(NeedsAssessment, { applicationId: application.id, conversationOn: { $lte: decidedOn } });
  if (assessed === 0) {
    errors.add('id', `Record a needs assessment held by ${decidedOn} (needsAssessmentRecord) before qualifying`, UserErrorCode.PREREQUISITE_MISSING);
  }
  if (errors.any) return refuse(errors);
  return decide(ctx, application, { status: ApplicationStatus.QUALIFIED, decidedOn });
}

/** What a refusal decision must state besides its number and date (KPA art. 107 § 1), by input field and entity column. */
const DECISION_PARTS = [
  ['reason', 'refusalReason', 'A refusal must state its reason'],
  ['legalBasis', 'decisionLegalBasis', 'A decision states its legal basis (the statutory provisions)'],
  ['factualReasoning', 'decisionFactualReasoning', 'A decision states its factual reasoning'],
  ['legalReasoning', 'decisionLegalReasoning', 'A decision states its legal reasoning'],
  ['appealBody', 'decisionAppealBody', 'A decision instructs on appeal: name the appeals board (SKO)'],
  ['signatoryName', 'decisionSignatoryName', 'A decision names who signed it'],
  ['signatoryPosition', 'decisionSignatoryPosition', "A decision states its signatory's position"],
] as const;

/** A refusal is an administrative decision (DOMAIN.md, KPA art. 107): its number, date, legal basis, reasoning, appeal body and signatory are part of it. */
export async function refuseApplication(ctx: RequestContext, input: ApplicationRefuseInput): Promise<Result<Application>> {
  const errors = new UserErrors();
  const application = await findUndecided(ctx, input, errors);
  if (!application) return refuse(errors);
  const decisionNumber = textOrNull(input.decisionNumber);
  if (decisionNumber === null) errors.add('decisionNumber', 'A refusal is an administrative decision: its number is required', UserErrorCode.REQUIRED);
  if (!input.decisionDate) errors.add('decisionDate', 'A refusal is an administrative decision: its date is required', UserErrorCode.REQUIRED);
  else checkDay(input.decisionDate, application.filedOn, errors, 'decisionDate', 'The decision date');
  const parts: Partial<Application> = {};
  for (const [field, column, required] of DECISION_PARTS) {
    const text = textOrNull(input[field]);
    if (text === null) errors.add(field, required, UserErrorCode.REQUIRED);
    parts[column] = text;
  }
  if (errors.any || !input.decisionDate) return refuse(errors);
  return decide(ctx, application, {
    status: ApplicationStatus.REFUSED,
    decidedOn: input.decisionDate,
    decisionNumber,
    decisionDate: input.decisionDate,
    ...parts,
  });
}

/** The delivery of a refusal decision, recorded once: the 14 days for an appeal run from it. */
export async function recordDecisionDelivery(ctx: RequestContext, input: ApplicationDecisionDeliveredInput): Promise<Result<Application>> {
  const errors = new UserErrors();
  const application = await findApplication(ctx, input.id, 'id', errors);
  if (!application) return refuse(errors);
  if (application.status !== REFUSED || application.decisionDate === null) {
    errors.add('id', `Only a refusal is delivered as a decision; the application is ${application.status}`, UserErrorCode.NOT_ALLOWED);
  } else if (application.decisionDeliveredOn !== null) {
    errors.add('id', `The decision was already delivered on ${application.decisionDeliveredOn}`, UserErrorCode.NOT_ALLOWED);
  } else if (!isCurrentVersion(application, input.version, errors, 'application')) {
    return refuse(errors);
  }
  if (!input.deliveredOn) errors.add('deliveredOn', 'The day of delivery is required', UserErrorCode.REQUIRED);
  else if (application.decisionDate !== null && input.deliveredOn < application.decisionDate) {
    errors.add(
      'deliveredOn',
      `The delivery date (${input.deliveredOn}) must not be before the decision (${application.decisionDate})`,
      UserErrorCode.OUT_OF_RANGE,
    );
  } else if (input.deliveredOn > todayInPoland()) {
    errors.add('deliveredOn', `The delivery date (${input.deliveredOn}) must not be in the future`, UserErrorCode.OUT_OF_RANGE);
  }
  if (errors.any) return refuse(errors);
  ctx.em.assign(application, { decisionDeliveredOn: input.deliveredOn });
  await ctx.em.flush();
  return ok(application);
}

/** Forwarding needs the applicant's consent (DOMAIN.md), given by the day of forwarding. */
export async function forwardApplication(ctx: RequestContext, input: ApplicationForwardInput): Promise<Result<Application>> {
  const errors = new UserErrors();
  const application = await findUndecided(ctx, input, errors);
  if (!application) return refuse(errors);
  const forwardedTo = textOrNull(input.forwardedTo);
  const consentHow = textOrNull(input.consentHow);
  const decidedOn = input.decidedOn ?? todayInPoland();
  if (forwardedTo === null) errors.add('forwardedTo', 'Name the team or gmina unit the application goes to', UserErrorCode.REQUIRED);
  if (!input.consentOn) errors.add('consentOn', "The day of the applicant's consent is required", UserErrorCode.REQUIRED);
  else {
    checkDay(input.consentOn, application.filedOn, errors, 'consentOn', 'The consent date');
    if (input.consentOn > decidedOn)
      errors.add('consentOn', `Consent (${input.consentOn}) must come by the day of forwarding (${decidedOn})`, UserErrorCode.OUT_OF_RANGE);
  }
  if (consentHow === null) errors.add('consentHow', 'Say how the applicant gave consent', UserErrorCode.REQUIRED);
  checkDay(decidedOn, application.filedOn, errors, 'decidedOn', 'The forwarding date');
  if (errors.any) return refuse(errors);
  return decide(ctx, application, {
    status: ApplicationStatus.FORWARDED,
    decidedOn,
    forwardedTo,
    consentOn: input.consentOn ?? null,
    consentHow,
  });
}
