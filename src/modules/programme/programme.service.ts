import type { RequestContext } from '../../platform/graphql/context.js';
import { UserErrorCode, UserErrors } from '../../platform/graphql/user-error.js';
import { idToTerc, tercToId } from '../../platform/auth/principal.js';
import { blank, ok, refuse, textOrNull, type Result } from '../common/result.js';
import { todayInPoland } from '../common/dates.js';
import { findVisible, isCurrentVersion } from '../common/find.js';
import { checkMove, type Moves } from '../common/transitions.js';
import { FeeKind } from '../common/domain.enums.js';
import { CusUnit } from '../cus-unit/cus-unit.entity.js';
import type { LegalActInput } from '../cus-unit/cus-unit.inputs.js';
import { Service, ServiceStatus } from '../catalogue/service.entity.js';
import type { FeeRuleInput } from '../catalogue/service.inputs.js';
import { checkPeriod, DIAGNOSIS_MOVES, findDiagnosis } from '../diagnosis/diagnosis.service.js';
import { Consultation } from '../consultation/consultation.entity.js';
import { checkFeeScale, replaceFeeThresholds } from '../fee/fee-scale.js';
import { Programme, ProgrammeStatus } from './programme.entity.js';
import { ProgrammeService } from './programme-service.entity.js';
import type {
  ProgrammeAdoptInput,
  ProgrammeCreateInput,
  ProgrammeExpireInput,
  ProgrammeIdInput,
  ProgrammeServiceRemoveInput,
  ProgrammeServiceSetInput,
  ProgrammeUpdateInput,
} from './programme.inputs.js';

const { DRAFT, IN_CONSULTATION, ADOPTED, EXPIRED } = ProgrammeStatus;

/** What a programme may do, or have done to it, in which status: its content changes only while it is drafted. */
export const PROGRAMME_MOVES = {
  edit: { from: [DRAFT, IN_CONSULTATION], what: 'editing' },
  consult: { from: [DRAFT, IN_CONSULTATION], what: 'consultation' },
  submitForConsultation: { from: [DRAFT], to: IN_CONSULTATION, what: 'submitting for consultation' },
  adopt: { from: [DRAFT, IN_CONSULTATION], to: ADOPTED, what: 'adoption' },
  expire: { from: [ADOPTED], to: EXPIRED, what: 'expiry' },
} satisfies Moves<ProgrammeStatus>;

/** A programme the principal can see, or NOT_FOUND on `field`. */
export const findProgramme = (ctx: RequestContext, globalId: string, field: string, errors: UserErrors): Promise<Programme | null> =>
  findVisible(ctx, Programme, globalId, field, errors, 'programme');

function checkDrafting(programme: Programme, errors: UserErrors, field: string): void {
  checkMove('programme', programme.status, PROGRAMME_MOVES.edit, errors, field);
}

function checkResolution(resolution: LegalActInput | null | undefined, errors: UserErrors): void {
  if (resolution && blank(resolution.number)) errors.add('resolution.number', 'Resolution number is required', UserErrorCode.REQUIRED);
}

/** The diagnosis a programme rests on: visible, of the same unit, not archived. */
async function checkDiagnosis(ctx: RequestContext, globalId: string, cusUnitId: string, errors: UserErrors): Promise<string | null> {
  const diagnosis = await findDiagnosis(ctx, globalId, 'diagnosisId', errors);
  if (!diagnosis) return null;
  if (diagnosis.cusUnitId !== cusUnitId) errors.add('diagnosisId', "The diagnosis is another CUS's; a programme rests on its own unit's diagnosis");
  else checkMove('diagnosis', diagnosis.status, DIAGNOSIS_MOVES.underlie, errors, 'diagnosisId');
  return diagnosis.id;
}

/** The gmina whose council adopts the programme: one the unit serves, and one the principal acts for. */
function checkGmina(ctx: RequestContext, unit: CusUnit, gminaId: number, errors: UserErrors): void {
  const terc = idToTerc(gminaId);
  if (!unit.servedGminaIds.includes(gminaId)) {
    errors.add('gmina', `The unit does not serve gmina ${terc}; a programme is adopted by a gmina its CUS serves`);
  } else if (!ctx.principal.gminy.includes(gminaId)) {
    errors.add('gmina', `Gmina ${terc} is outside your scope`, UserErrorCode.NOT_ALLOWED);
  }
}

function checkTargetGroups(groups: string[], errors: UserErrors): void {
  if (new Set(groups).size !== groups.length) errors.add('targetGroups', 'A group is listed twice', UserErrorCode.DUPLICATE);
}

export async function createProgramme(ctx: RequestContext, input: ProgrammeCreateInput): Promise<Result<Programme>> {
  const errors = new UserErrors();
  const unit = await findVisible(ctx, CusUnit, input.cusUnitId, 'cusUnitId', errors, 'CUS unit');
  const gminaId = tercToId(input.gmina);
  if (unit) checkGmina(ctx, unit, gminaId, errors);
  if (blank(input.title)) errors.add('title', 'Title is required', UserErrorCode.REQUIRED);
  checkPeriod(input.periodStart ?? null, input.periodEnd ?? null, errors);
  checkResolution(input.resolution, errors);
  checkTargetGroups(input.targetGroups ?? [], errors);
  const diagnosisId = unit && input.diagnosisId ? await checkDiagnosis(ctx, input.diagnosisId, unit.id, errors) : null;
  if (!unit || errors.any) return refuse(errors);
  const programme = ctx.em.create(Programme, {
    gminaId,
    cusUnitId: unit.id,
    title: input.title.trim(),
    periodStart: input.periodStart ?? null,
    periodEnd: input.periodEnd ?? null,
    diagnosisId,
    targetGroups: input.targetGroups ?? [],
    qualityStandards: textOrNull(input.qualityStandards),
    evaluation: textOrNull(input.evaluation),
    resolutionNumber: input.resolution?.number.trim() ?? null,
    resolutionDate: input.resolution?.date ?? null,
  });
  await ctx.em.flush();
  return ok(programme);
}

export async function updateProgramme(ctx: RequestContext, input: ProgrammeUpdateInput): Promise<Result<Programme>> {
  const errors = new UserErrors();
  const programme = await findProgramme(ctx, input.id, 'id', errors);
  if (!programme || !isCurrentVersion(programme, input.version, errors, 'programme')) return refuse(errors);
  checkDrafting(programme, errors, 'id');
  if (input.title !== undefined && input.title !== null && blank(input.title)) errors.add('title', 'Title must not be blank', UserErrorCode.REQUIRED);
  const periodStart = input.periodStart === undefined ? programme.periodStart : input.periodStart;
  const periodEnd = input.periodEnd === undefined ? programme.periodEnd : input.periodEnd;
  checkPeriod(periodStart, periodEnd, errors);
  checkResolution(input.resolution, errors);
  if (input.targetGroups) checkTargetGroups(input.targetGroups, errors);
  let diagnosisId = programme.diagnosisId;
  if (input.diagnosisId === null) diagnosisId = null;
  else if (input.diagnosisId !== undefined) diagnosisId = await checkDiagnosis(ctx, input.diagnosisId, programme.cusUnitId, errors);
  if (errors.any) return refuse(errors);
  const resolution = input.resolution === undefined ? programme.resolution : input.resolution;
  ctx.em.assign(programme, {
    title: input.title?.trim() ?? programme.title,
    periodStart,
    periodEnd,
    diagnosisId,
    targetGroups: input.targetGroups ?? programme.targetGroups,
    qualityStandards: input.qualityStandards === undefined ? programme.qualityStandards : textOrNull(input.qualityStandards),
    evaluation: input.evaluation === undefined ? programme.evaluation : textOrNull(input.evaluation),
    resolutionNumber: resolution?.number.trim() ?? null,
    resolutionDate: resolution?.date ?? null,
  });
  await ctx.em.flush();
  return ok(programme);
}

/** The catalogue's fee rules: FIXED names its amount, INCOME_DEPENDENT says how the fee is set, FREE has no amount. */
function checkFee(fee: FeeRuleInput, errors: UserErrors): void {
  if (fee.kind === FeeKind.FIXED && (fee.amount === undefined || fee.amount === null)) {
    errors.add('fee.amount', 'A fixed fee needs its amount', UserErrorCode.REQUIRED);
  }
  if (fee.kind === FeeKind.INCOME_DEPENDENT && blank(fee.description)) {
    errors.add('fee.description', 'An income-dependent fee needs a description of how it is set', UserErrorCode.REQUIRED);
  }
  if (fee.kind !== FeeKind.FIXED && fee.amount !== undefined && fee.amount !== null) {
    errors.add('fee.amount', 'Only a fixed fee has an amount');
  }
}

export async function setProgrammeService(
  ctx: RequestContext,
  input: ProgrammeServiceSetInput,
): Promise<Result<{ item: ProgrammeService; programme: Programme }>> {
  const errors = new UserErrors();
  const programme = await findProgramme(ctx, input.programmeId, 'programmeId', errors);
  const service = await findVisible(ctx, Service, input.serviceId, 'serviceId', errors, 'service');
  if (!programme || !service) return refuse(errors);
  checkDrafting(programme, errors, 'programmeId');
  if (service.cusUnitId !== programme.cusUnitId) {
    errors.add('serviceId', "The service is in another CUS's catalogue");
  } else if (!service.gminaIds.includes(programme.gminaId)) {
    errors.add('serviceId', `The service is not available in gmina ${idToTerc(programme.gminaId)}, whose programme this is`, UserErrorCode.NOT_ALLOWED);
  }
  if (service.status === ServiceStatus.CLOSED) errors.add('serviceId', 'The service is closed', UserErrorCode.NOT_ALLOWED);
  const fee: FeeRuleInput = input.fee ?? { kind: FeeKind.FREE };
  checkFee(fee, errors);
  const scale = input.feeScale ? checkFeeScale(input.feeScale, fee.kind, errors) : null;
  if (errors.any) return refuse(errors);
  const values = {
    accessRules: textOrNull(input.accessRules),
    feeKind: fee.kind,
    feeAmount: fee.kind === FeeKind.FIXED ? fee.amount : null,
    feeUnit: textOrNull(fee.unit),
    feeDescription: textOrNull(fee.description),
    annualLimit: textOrNull(input.annualLimit),
    feeUnitCost: scale?.unitCost ?? null,
  };
  let item = await ctx.em.findOne(ProgrammeService, { programmeId: programme.id, serviceId: service.id });
  if (item) ctx.em.assign(item, values);
  else item = ctx.em.create(ProgrammeService, { ...values, gminaId: programme.gminaId, programmeId: programme.id, serviceId: service.id });
  await ctx.em.flush();
  await replaceFeeThresholds(ctx, item, scale?.thresholds ?? []);
  return ok({ item, programme });
}

export async function removeProgrammeService(
  ctx: RequestContext,
  input: ProgrammeServiceRemoveInput,
): Promise<Result<{ removedId: string; programme: Programme }>> {
  const errors = new UserErrors();
  const item = await findVisible(ctx, ProgrammeService, input.id, 'id', errors, 'programme service');
  if (!item) return refuse(errors);
  // Same gmina and same read policy as the item, so visible whenever the item is.
  const programme = await ctx.em.findOneOrFail(Programme, { id: item.programmeId });
  checkDrafting(programme, errors, 'id');
  if (errors.any) return refuse(errors);
  ctx.em.remove(item);
  await ctx.em.flush();
  return ok({ removedId: item.globalId, programme });
}

/** DRAFT -> IN_CONSULTATION. */
export async function submitForConsultation(ctx: RequestContext, input: ProgrammeIdInput): Promise<Result<Programme>> {
  const errors = new UserErrors();
  const programme = await findProgramme(ctx, input.id, 'id', errors);
  if (!programme) return refuse(errors);
  if (!checkMove('programme', programme.status, PROGRAMME_MOVES.submitForConsultation, errors)) return refuse(errors);
  programme.status = PROGRAMME_MOVES.submitForConsultation.to;
  await ctx.em.flush();
  return ok(programme);
}

/**
 * DRAFT or IN_CONSULTATION -> ADOPTED. The council adopts local law by resolution (number and date)
 * for a period, and a programme offers services; it is adopted after a public consultation of it has ended.
 */
export async function adoptProgramme(ctx: RequestContext, input: ProgrammeAdoptInput): Promise<Result<Programme>> {
  const errors = new UserErrors();
  const programme = await findProgramme(ctx, input.id, 'id', errors);
  if (!programme) return refuse(errors);
  if (!checkMove('programme', programme.status, PROGRAMME_MOVES.adopt, errors)) return refuse(errors);
  const today = todayInPoland();
  const number = textOrNull(input.resolution?.number ?? programme.resolutionNumber);
  const date = input.resolution?.date ?? programme.resolutionDate;
  const periodStart = input.periodStart ?? programme.periodStart;
  const periodEnd = input.periodEnd ?? programme.periodEnd;
  if (!number) errors.add('resolution.number', 'The number of the adopting resolution is required', UserErrorCode.REQUIRED);
  if (!date) errors.add('resolution.date', 'The date of the adopting resolution is required', UserErrorCode.REQUIRED);
  else if (date > today) errors.add('resolution.date', `A resolution cannot be dated after today (${today})`, UserErrorCode.OUT_OF_RANGE);
  if (!periodStart) errors.add('periodStart', 'The start of the period is required', UserErrorCode.REQUIRED);
  if (!periodEnd) errors.add('periodEnd', 'The end of the period is required', UserErrorCode.REQUIRED);
  checkPeriod(periodStart, periodEnd, errors);
  // The consultation ending last decides: still running, ended, or none held.
  const [services, latest] = await Promise.all([
    ctx.em.count(ProgrammeService, { programmeId: programme.id }),
    ctx.em.findOne(Consultation, { programmeId: programme.id, cancelledAt: null }, { orderBy: { endsOn: 'desc' } }),
  ]);
  if (services === 0) errors.add('id', 'A programme is adopted with at least one service; add one with programmeServiceSet', UserErrorCode.REQUIRED);
  if (latest && latest.endsOn >= today) {
    errors.add('id', `The consultation "${latest.title}" runs until ${latest.endsOn}; adopt after it ends`, UserErrorCode.NOT_ALLOWED);
  } else if (!latest) {
    // The draft is consulted with residents before the council adopts it (DOMAIN.md, "Diagnosis, consultation and surveys").
    errors.add('id', 'A programme is adopted after a public consultation of it has ended; open one with consultationOpen', UserErrorCode.PREREQUISITE_MISSING);
  }
  if (errors.any) return refuse(errors);
  ctx.em.assign(programme, {
    status: ProgrammeStatus.ADOPTED,
    resolutionNumber: number,
    resolutionDate: date,
    periodStart,
    periodEnd,
    adoptedAt: new Date(),
  });
  await ctx.em.flush();
  return ok(programme);
}

/** ADOPTED -> EXPIRED from `expiredOn` (default today in Poland): in force only on days before it. */
export async function expireProgramme(ctx: RequestContext, input: ProgrammeExpireInput): Promise<Result<Programme>> {
  const errors = new UserErrors();
  const programme = await findProgramme(ctx, input.id, 'id', errors);
  if (!programme) return refuse(errors);
  if (!checkMove('programme', programme.status, PROGRAMME_MOVES.expire, errors)) return refuse(errors);
  const expiredOn = input.expiredOn ?? todayInPoland();
  if (programme.periodStart && expiredOn < programme.periodStart) {
    errors.add('expiredOn', `Must not be before the programme's period starts (${programme.periodStart})`, UserErrorCode.OUT_OF_RANGE);
    return refuse(errors);
  }
  ctx.em.assign(programme, { status: ProgrammeStatus.EXPIRED, expiredOn });
  await ctx.em.flush();
  return ok(programme);
}
