import type { RequestContext } from '../../platform/graphql/context.js';
import { uuidFromGlobalId } from '../../platform/graphql/node.js';
import { UserErrorCode, UserErrors } from '../../platform/graphql/user-error.js';
import { blank, ok, refuse, textOrNull, type Result } from '../common/result.js';
import { todayInPoland } from '../common/dates.js';
import { costExceeds, toHundredths } from '../../platform/money.js';
import { findVisible, isCurrentVersion } from '../common/find.js';
import { checkMove, type Moves, type StatusChange } from '../common/transitions.js';
import { CusUnit } from '../cus-unit/cus-unit.entity.js';
import { Service, ServiceStatus } from '../catalogue/service.entity.js';
import { Partner } from '../partner/partner.entity.js';
import { partnerStandingIn } from '../partner/partner.loader.js';
import { Commission, CommissionService } from './commission.entity.js';
import { CommissionStatus, type VolumeUnit } from './commission.enums.js';
import type { CommissionCreateInput, CommissionStatusInput, CommissionUpdateInput } from './commission.inputs.js';

/** The largest volume a numeric(12, 2) column holds, with room to spare. */
const MAX_VOLUME = 1e9;

export const findCommission = (ctx: RequestContext, globalId: string, field: string, errors: UserErrors): Promise<Commission | null> =>
  findVisible(ctx, Commission, globalId, field, errors, 'commission');

interface Terms {
  periodStart: string | null;
  periodEnd: string | null;
  budget: string | null;
  unitPrice: string | null;
  maxRecipients: number | null;
  volume: number | null;
  volumeUnit: VolumeUnit | null;
}

function checkTerms(terms: Terms, errors: UserErrors): void {
  if (terms.periodStart && terms.periodEnd && terms.periodEnd < terms.periodStart) {
    errors.add('periodEnd', 'The period ends on or after its start', UserErrorCode.OUT_OF_RANGE);
  }
  if (terms.maxRecipients !== null && terms.maxRecipients < 1) errors.add('maxRecipients', 'At least one recipient', UserErrorCode.OUT_OF_RANGE);
  if (terms.volume !== null && !(terms.volume > 0 && terms.volume < MAX_VOLUME && Number.isFinite(terms.volume))) {
    errors.add('volume', 'A positive number of hours or sessions', UserErrorCode.OUT_OF_RANGE);
  }
  if (terms.unitPrice !== null && toHundredths(terms.unitPrice) <= 0n) errors.add('unitPrice', 'A unit price is more than zero', UserErrorCode.OUT_OF_RANGE);
  if ((terms.volume !== null || terms.unitPrice !== null) && terms.volumeUnit === null) {
    errors.add('volumeUnit', 'Say whether the volume and unit price count hours or sessions', UserErrorCode.REQUIRED);
  }
  if (terms.volumeUnit !== null && terms.volume === null && terms.unitPrice === null) {
    errors.add('volume', 'A unit needs the volume (or the unit price) it measures', UserErrorCode.REQUIRED);
  }
}

/** Services of the commission: visible, not closed, offered in a gmina the unit serves, each once. */
async function checkServices(ctx: RequestContext, globalIds: string[], unitGminy: number[], errors: UserErrors): Promise<Service[]> {
  if (globalIds.length === 0) errors.add('serviceIds', 'A commission covers at least one service', UserErrorCode.REQUIRED);
  const ids = globalIds.map((id) => uuidFromGlobalId(id, 'Service', 'serviceIds'));
  if (new Set(ids).size !== ids.length) errors.add('serviceIds', 'A service is listed twice', UserErrorCode.DUPLICATE);
  const found = await ctx.em.find(Service, { id: { $in: ids } });
  const services: Service[] = [];
  ids.forEach((id, i) => {
    const service = found.find((s) => s.id === id);
    if (!service) errors.add(['serviceIds', String(i)], 'No such service', UserErrorCode.NOT_FOUND);
    else if (service.status === ServiceStatus.CLOSED) errors.add(['serviceIds', String(i)], `${service.name} is closed`, UserErrorCode.NOT_ALLOWED);
    else if (!service.gminaIds.some((g) => unitGminy.includes(g))) {
      errors.add(['serviceIds', String(i)], `${service.name} is not offered in any gmina the unit serves`, UserErrorCode.NOT_ALLOWED);
    } else services.push(service);
  });
  return services;
}

const numberOrNull = (value: string | null) => (value === null ? null : Number(value));

export async function createCommission(ctx: RequestContext, input: CommissionCreateInput): Promise<Result<Commission>> {
  const errors = new UserErrors();
  const unit = await findVisible(ctx, CusUnit, input.cusUnitId, 'cusUnitId', errors, 'CUS unit');
  const partner = await findVisible(ctx, Partner, input.partnerId, 'partnerId', errors, 'partner');
  if (unit && !ctx.principal.gminy.includes(unit.gminaId)) errors.add('cusUnitId', "You act for another unit's gminy", UserErrorCode.NOT_ALLOWED);
  // The commissioning centre's own relationship decides: a partner another gmina retired may still be commissioned here, and not the reverse.
  const standing = unit && partner ? await partnerStandingIn(ctx, partner, unit.servedGminaIds) : null;
  if (standing && !standing.works) errors.add('partnerId', `${partner!.name} does not work in a gmina the unit serves`, UserErrorCode.NOT_ALLOWED);
  else if (standing && !standing.active) errors.add('partnerId', `${partner!.name} is retired in the gminy the unit serves`, UserErrorCode.NOT_ALLOWED);
  if (blank(input.title)) errors.add('title', 'Name the commission', UserErrorCode.REQUIRED);
  const terms: Terms = {
    periodStart: input.periodStart ?? null,
    periodEnd: input.periodEnd ?? null,
    budget: input.budget ?? null,
    unitPrice: input.unitPrice ?? null,
    maxRecipients: input.maxRecipients ?? null,
    volume: input.volume ?? null,
    volumeUnit: input.volumeUnit ?? null,
  };
  checkTerms(terms, errors);
  const services = unit ? await checkServices(ctx, input.serviceIds, unit.servedGminaIds, errors) : [];
  if (!unit || !partner || errors.any) return refuse(errors);

  const commission = ctx.em.create(Commission, {
    gminaId: unit.gminaId,
    gminaIds: unit.servedGminaIds,
    cusUnitId: unit.id,
    partnerId: partner.id,
    title: input.title.trim(),
    procedure: input.procedure,
    agreementNumber: textOrNull(input.agreementNumber),
    ...terms,
    volume: terms.volume === null ? null : String(terms.volume),
    qualityIndicators: input.qualityIndicators.map((q) => q.trim()).filter(Boolean),
    reportingDuty: textOrNull(input.reportingDuty),
  } as never);
  await ctx.em.flush(); // the links refer to the commission by a plain column: it goes in first
  for (const service of services) ctx.em.create(CommissionService, { commissionId: commission.id, serviceId: service.id, gminaId: unit.gminaId });
  await ctx.em.flush();
  return ok(commission);
}

/** What the commission's items already take: the terms may not fall below it. */
async function checkAgainstUse(ctx: RequestContext, commission: Commission, terms: Terms, serviceIds: string[] | null, errors: UserErrors): Promise<void> {
  if (terms.maxRecipients !== null && terms.maxRecipients < commission.assignedRecipients) {
    errors.add('maxRecipients', `${commission.assignedRecipients} residents already have items under this commission`, UserErrorCode.OUT_OF_RANGE);
  }
  // Compared in hundredths, never as floats: 3 hours at 33.10 fit a budget of exactly 99.30.
  const assigned = toHundredths(commission.assignedVolume);
  if (terms.volume !== null && terms.volume < MAX_VOLUME && toHundredths(terms.volume) < assigned) {
    errors.add('volume', `${commission.assignedVolume} is already assigned`, UserErrorCode.OUT_OF_RANGE);
  }
  if (terms.budget !== null && terms.unitPrice !== null && costExceeds(assigned, terms.unitPrice, terms.budget)) {
    errors.add('budget', `The assigned volume (${commission.assignedVolume}) at the unit price needs more than the budget`, UserErrorCode.OUT_OF_RANGE);
  }
  if (terms.volumeUnit !== commission.volumeUnit && assigned > 0n) {
    errors.add('volumeUnit', 'Items are already assigned in the present unit', UserErrorCode.NOT_ALLOWED);
  }
  const [span] = await ctx.em.execute<{ first: string | null; last: string | null }[]>(
    `select min(i.start_on)::text as first, max(i.end_on)::text as last from ipus_item i join ipus p on p.id = i.ipus_id
     where i.commission_id = ? and p.status <> 'TERMINATED'`,
    [commission.id],
  );
  if (span?.first && ((terms.periodStart && terms.periodStart > span.first) || (terms.periodEnd && terms.periodEnd < (span.last as string)))) {
    errors.add('periodStart', `Assigned items run from ${span.first} to ${span.last}; the period must cover them`, UserErrorCode.OUT_OF_RANGE);
  }
  if (serviceIds) {
    const dropped = await ctx.em.execute<{ count: number }[]>(
      `select count(*)::int as count from ipus_item where commission_id = ? and not (service_id = any (?::uuid[]))`,
      [commission.id, `{${serviceIds.join(',')}}`],
    );
    if ((dropped[0]?.count ?? 0) > 0) errors.add('serviceIds', 'Items are assigned for a service you would remove', UserErrorCode.NOT_ALLOWED);
  }
}

const { PLANNED, ACTIVE, SUSPENDED, COMPLETED, TERMINATED } = CommissionStatus;

/** What a commission may do in which status: a COMPLETED or TERMINATED one no longer changes. */
const COMMISSION_MOVES = {
  edit: { from: [PLANNED, ACTIVE, SUSPENDED], what: 'editing' },
  activate: { from: [PLANNED], to: ACTIVE, what: 'activation' },
  suspend: { from: [ACTIVE], to: SUSPENDED, what: 'suspension' },
  resume: { from: [SUSPENDED], to: ACTIVE, what: 'resumption' },
  complete: { from: [ACTIVE, SUSPENDED], to: COMPLETED, what: 'completion' },
  terminate: { from: [PLANNED, ACTIVE, SUSPENDED], to: TERMINATED, what: 'termination' },
} satisfies Moves<CommissionStatus>;

export async function updateCommission(ctx: RequestContext, input: CommissionUpdateInput): Promise<Result<Commission>> {
  const errors = new UserErrors();
  const commission = await findCommission(ctx, input.id, 'id', errors);
  if (!commission || !isCurrentVersion(commission, input.version, errors, 'commission')) return refuse(errors);
  if (!checkMove('commission', commission.status, COMMISSION_MOVES.edit, errors)) return refuse(errors);
  if (input.title !== undefined && blank(input.title)) errors.add('title', 'Name the commission', UserErrorCode.REQUIRED);
  const pick = <K extends keyof Terms>(key: K, current: Terms[K]): Terms[K] => (input[key] === undefined ? current : (input[key] as Terms[K]));
  const terms: Terms = {
    periodStart: pick('periodStart', commission.periodStart),
    periodEnd: pick('periodEnd', commission.periodEnd),
    budget: pick('budget', commission.budget),
    unitPrice: pick('unitPrice', commission.unitPrice),
    maxRecipients: pick('maxRecipients', commission.maxRecipients),
    volume: pick('volume', numberOrNull(commission.volume)),
    volumeUnit: pick('volumeUnit', commission.volumeUnit),
  };
  checkTerms(terms, errors);
  const agreementNumber = input.agreementNumber === undefined ? commission.agreementNumber : textOrNull(input.agreementNumber);
  if (commission.status !== CommissionStatus.PLANNED) {
    if (agreementNumber === null || !terms.periodStart || !terms.periodEnd || terms.budget === null) {
      errors.add('id', `A ${commission.status} commission keeps its agreement number, period and budget`, UserErrorCode.REQUIRED);
    }
  }
  const unit = await ctx.em.findOne(CusUnit, { id: commission.cusUnitId });
  const services = input.serviceIds ? await checkServices(ctx, input.serviceIds, unit?.servedGminaIds ?? commission.gminaIds, errors) : null;
  await checkAgainstUse(ctx, commission, terms, services?.map((s) => s.id) ?? null, errors);
  if (errors.any) return refuse(errors);

  ctx.em.assign(commission, {
    ...terms,
    volume: terms.volume === null ? null : String(terms.volume),
    agreementNumber,
    ...(input.title !== undefined ? { title: input.title.trim() } : {}),
    ...(input.procedure ? { procedure: input.procedure } : {}),
    ...(input.qualityIndicators ? { qualityIndicators: input.qualityIndicators.map((q) => q.trim()).filter(Boolean) } : {}),
    ...(input.reportingDuty !== undefined ? { reportingDuty: textOrNull(input.reportingDuty) } : {}),
  });
  if (services) {
    await ctx.em.nativeDelete(CommissionService, { commissionId: commission.id, serviceId: { $nin: services.map((s) => s.id) } });
    const kept = new Set((await ctx.em.find(CommissionService, { commissionId: commission.id })).map((s) => s.serviceId));
    for (const service of services) {
      if (!kept.has(service.id)) ctx.em.create(CommissionService, { commissionId: commission.id, serviceId: service.id, gminaId: commission.gminaId });
    }
  }
  await ctx.em.flush();
  return ok(commission);
}

interface Transition extends StatusChange<CommissionStatus> {
  /** Extra checks; add errors to refuse. */
  check?(commission: Commission, errors: UserErrors): void | Promise<void>;
  needsReason?: boolean;
}

async function transition(ctx: RequestContext, input: CommissionStatusInput, step: Transition): Promise<Result<Commission>> {
  const errors = new UserErrors();
  const commission = await findCommission(ctx, input.id, 'id', errors);
  if (!commission || !isCurrentVersion(commission, input.version, errors, 'commission')) return refuse(errors);
  if (!checkMove('commission', commission.status, step, errors)) return refuse(errors);
  const reason = textOrNull(input.reason);
  if (step.needsReason && reason === null) errors.add('reason', `Say why (${step.what})`, UserErrorCode.REQUIRED);
  await step.check?.(commission, errors);
  if (errors.any) return refuse(errors);
  ctx.em.assign(commission, { status: step.to, statusReason: step.needsReason ? reason : null });
  await ctx.em.flush();
  return ok(commission);
}

export const activateCommission = (ctx: RequestContext, input: CommissionStatusInput) =>
  transition(ctx, input, {
    ...COMMISSION_MOVES.activate,
    async check(commission, errors) {
      if (commission.agreementNumber === null) errors.add('id', 'An active commission needs its agreement number', UserErrorCode.REQUIRED);
      if (!commission.periodStart || !commission.periodEnd) errors.add('id', 'An active commission needs its period', UserErrorCode.REQUIRED);
      if (commission.budget === null) errors.add('id', 'An active commission needs its budget', UserErrorCode.REQUIRED);
      if ((await ctx.em.count(CommissionService, { commissionId: commission.id })) === 0) {
        errors.add('id', 'An active commission covers at least one service', UserErrorCode.REQUIRED);
      }
    },
  });

export const suspendCommission = (ctx: RequestContext, input: CommissionStatusInput) =>
  transition(ctx, input, {
    ...COMMISSION_MOVES.suspend,
    needsReason: true,
  });

export const resumeCommission = (ctx: RequestContext, input: CommissionStatusInput) =>
  transition(ctx, input, {
    ...COMMISSION_MOVES.resume,
  });

export const completeCommission = (ctx: RequestContext, input: CommissionStatusInput) =>
  transition(ctx, input, {
    ...COMMISSION_MOVES.complete,
    check(commission, errors) {
      if (commission.periodEnd && commission.periodEnd >= todayInPoland()) {
        errors.add('id', `The commission runs until ${commission.periodEnd}; to end it early, terminate it with a reason`, UserErrorCode.NOT_ALLOWED);
      }
    },
  });

export const terminateCommission = (ctx: RequestContext, input: CommissionStatusInput) =>
  transition(ctx, input, {
    ...COMMISSION_MOVES.terminate,
    needsReason: true,
  });
