import type { RequestContext } from '../../platform/graphql/context.js';
import { UserErrorCode, UserErrors } from '../../platform/graphql/user-error.js';
import { uuidFromGlobalId } from '../../platform/graphql/node.js';
import { idToTerc, tercToId } from '../../platform/auth/principal.js';
import { Role } from '../../platform/auth/roles.js';
import { toGrosze } from '../../platform/money.js';
import { checkAddress } from '../common/address.js';
import { flushUnlessDuplicate } from '../common/duplicate.js';
import { blank, ok, refuse, type Result } from '../common/result.js';
import { Gmina, GminaKind } from '../gmina/gmina.entity.js';
import { gminaById } from '../gmina/gmina.loader.js';
import { CusCreationMode, CusUnit } from './cus-unit.entity.js';
import { FundingProject } from './funding-project.entity.js';
import { MAX_MONITORING_INTERVAL_DAYS } from '../worklist/worklist.rules.js';
import type {
  CusUnitCreateInput,
  CusUnitUpdateInput,
  FundingProjectAddInput,
  FundingProjectRemoveInput,
  GminaShareInput,
  FundingProjectUpdateInput,
  LegalActInput,
} from './cus-unit.inputs.js';

/** The act on CUS entered into force on 1 January 2020; no centre started before. */
export const EARLIEST_CUS_START = '2020-01-01';

/** The primary key of `statutory_cus` (migrations/Migration20261207000500StatutoryCusPerGmina.ts): one statutory unit per gmina. */
const STATUTORY_PER_GMINA = 'statutory_cus_pkey';

/**
 * A gmina has one statutory CUS (issue 17, item 9). For each of `gminy` already served by another
 * statutory unit, a DUPLICATE naming that unit, at the input field `fieldOf` gives. The principal
 * sees every unit serving its gminy (the administrator: all), so the unit may be named; the database
 * refuses what this check misses (two units created at once).
 */
async function checkStatutoryFree(
  ctx: RequestContext,
  gminy: number[],
  selfId: string | null,
  fieldOf: (gminaId: number) => string | string[],
  errors: UserErrors,
): Promise<void> {
  if (gminy.length === 0) return;
  const others = await ctx.em.find(
    CusUnit,
    { statutory: true, servedGminaIds: { $overlap: gminy }, ...(selfId ? { id: { $ne: selfId } } : {}) },
    { orderBy: { createdAt: 'asc', id: 'asc' } },
  );
  for (const gminaId of gminy) {
    const holder = others.find((unit) => unit.servedGminaIds.includes(gminaId));
    if (!holder) continue;
    errors.add(
      fieldOf(gminaId),
      `Gmina ${idToTerc(gminaId)} already has a statutory CUS (${holder.name}); another unit serving it is not statutory (statutory: false)`,
      UserErrorCode.DUPLICATE,
      holder.globalId,
    );
  }
}

/** Flushes a statutory unit; when a concurrent one took a gmina first, names it as checkStatutoryFree does and returns false. */
async function saveStatutory(
  ctx: RequestContext,
  gminy: number[],
  selfId: string,
  fieldOf: (gminaId: number) => string | string[],
  errors: UserErrors,
): Promise<boolean> {
  if (await flushUnlessDuplicate(ctx, STATUTORY_PER_GMINA)) return true;
  await checkStatutoryFree(ctx, gminy, selfId, fieldOf, errors);
  if (!errors.any) errors.add('statutory', 'A gmina of this unit already has a statutory CUS', UserErrorCode.DUPLICATE);
  return false;
}

function checkLegalAct(act: LegalActInput | undefined, errors: UserErrors, at: string, startDate: string): void {
  if (!act) return;
  if (blank(act.number)) errors.add(`${at}.number`, 'Number is required', UserErrorCode.REQUIRED);
  if (act.date > startDate) errors.add(`${at}.date`, 'Must not be later than the start date', UserErrorCode.OUT_OF_RANGE);
}

/** Loads the named gminy, reporting unknown codes; returns null when any is unknown. */
async function resolveServedGminy(ctx: RequestContext, tercs: string[], errors: UserErrors): Promise<Gmina[] | null> {
  if (tercs.length === 0) {
    errors.add('servedGminy', 'A CUS serves at least one gmina', UserErrorCode.REQUIRED);
    return null;
  }
  if (new Set(tercs).size !== tercs.length) errors.add('servedGminy', 'A gmina is listed twice', UserErrorCode.DUPLICATE);
  const found = await gminaById(ctx).loadMany(tercs.map(tercToId));
  let complete = true;
  found.forEach((gmina, i) => {
    if (!(gmina instanceof Gmina)) {
      complete = false;
      errors.add(['servedGminy', String(i)], `No gmina with TERYT code ${tercs[i]}`, UserErrorCode.NOT_FOUND);
    }
  });
  return complete ? (found as Gmina[]) : null;
}

/** Rules that tie the creation mode to the gminy served and the agreement (DOMAIN.md, "Gminy and CUS units"). */
function checkCreationMode(mode: CusCreationMode, seat: Gmina, served: Gmina[], hasAgreement: boolean, errors: UserErrors): void {
  if (mode === CusCreationMode.INTERMUNICIPAL_AGREEMENT) {
    if (served.length < 2) errors.add('servedGminy', 'A unit under an inter-municipal agreement serves two or more gminy', UserErrorCode.OUT_OF_RANGE);
    if (!hasAgreement) errors.add('agreement', 'The inter-municipal agreement (number and date) is required', UserErrorCode.REQUIRED);
  } else if (served.length !== 1) {
    errors.add('servedGminy', 'Only a unit under an inter-municipal agreement serves several gminy', UserErrorCode.OUT_OF_RANGE);
  }
  if (mode === CusCreationMode.ADDITIONAL_LARGE_CITY && seat.kind !== GminaKind.URBAN) {
    errors.add('creationMode', 'An additional unit beside the OPS is possible only in a city (gmina miejska)', UserErrorCode.NOT_ALLOWED);
  }
}

export async function createCusUnit(ctx: RequestContext, input: CusUnitCreateInput): Promise<Result<CusUnit>> {
  const errors = new UserErrors();
  if (blank(input.name)) errors.add('name', 'Name is required', UserErrorCode.REQUIRED);
  checkAddress(input.seatAddress, errors, 'seatAddress');
  if (input.startDate < EARLIEST_CUS_START) errors.add('startDate', `A CUS cannot start before ${EARLIEST_CUS_START}`, UserErrorCode.OUT_OF_RANGE);
  checkLegalAct(input.foundingResolution, errors, 'foundingResolution', input.startDate);
  checkLegalAct(input.agreement, errors, 'agreement', input.startDate);
  const tercs = input.servedGminy ?? [input.seatGmina];
  if (!tercs.includes(input.seatGmina)) errors.add('servedGminy', 'The seat gmina must be among the gminy served');
  const served = await resolveServedGminy(ctx, tercs, errors);
  const seat = served?.find((g) => g.terc === input.seatGmina);
  if (served && seat) checkCreationMode(input.creationMode, seat, served, !!input.agreement, errors);
  const gminy = tercs.map(tercToId);
  const fieldOf = (gminaId: number) => (input.servedGminy ? ['servedGminy', String(gminy.indexOf(gminaId))] : 'seatGmina');
  if (!errors.any && input.statutory) await checkStatutoryFree(ctx, gminy, null, fieldOf, errors);
  if (errors.any) return refuse(errors);

  const unit = ctx.em.create(CusUnit, {
    gminaId: tercToId(input.seatGmina),
    servedGminaIds: tercs.map(tercToId),
    name: input.name.trim(),
    seatStreet: input.seatAddress.street.trim(),
    seatPostalCode: input.seatAddress.postalCode,
    seatCity: input.seatAddress.city.trim(),
    creationMode: input.creationMode,
    resolutionNumber: input.foundingResolution?.number.trim() ?? null,
    resolutionDate: input.foundingResolution?.date ?? null,
    agreementNumber: input.agreement?.number.trim() ?? null,
    agreementDate: input.agreement?.date ?? null,
    startDate: input.startDate,
    statutory: input.statutory,
  });
  return (await saveStatutory(ctx, input.statutory ? gminy : [], unit.id, fieldOf, errors)) ? ok(unit) : refuse(errors);
}

/** A unit the principal can see, by its global id, or a NOT_FOUND user error (another gmina's unit is not found). */
async function findUnit(ctx: RequestContext, globalId: string, field: string, errors: UserErrors): Promise<CusUnit | null> {
  const id = uuidFromGlobalId(globalId, 'CusUnit', field);
  const unit = await ctx.em.findOne(CusUnit, { id });
  if (!unit) errors.add(field, 'No such CUS unit', UserErrorCode.NOT_FOUND);
  return unit;
}

export async function updateCusUnit(ctx: RequestContext, input: CusUnitUpdateInput): Promise<Result<CusUnit>> {
  const errors = new UserErrors();
  const unit = await findUnit(ctx, input.id, 'id', errors);
  if (!unit) return refuse(errors);
  if (unit.version !== input.version) {
    errors.add('version', `The unit was changed meanwhile (now version ${unit.version}); read it again`, UserErrorCode.CONFLICT);
    return refuse(errors);
  }
  if (input.servedGminy && ctx.principal.role !== Role.PLATFORM_ADMIN) {
    errors.add('servedGminy', 'Only a platform administrator changes the gminy a unit serves', UserErrorCode.NOT_ALLOWED);
  }
  if (input.name !== undefined && input.name !== null && blank(input.name)) errors.add('name', 'Name must not be blank', UserErrorCode.REQUIRED);
  if (input.seatAddress) checkAddress(input.seatAddress, errors, 'seatAddress');
  const monitoring = input.monitoringIntervalDays ?? unit.monitoringIntervalDays;
  if (!Number.isInteger(monitoring) || monitoring < 1 || monitoring > MAX_MONITORING_INTERVAL_DAYS) {
    errors.add('monitoringIntervalDays', `The monitoring interval is 1 to ${MAX_MONITORING_INTERVAL_DAYS} days`, UserErrorCode.OUT_OF_RANGE);
  }
  const startDate = input.startDate ?? unit.startDate;
  if (startDate < EARLIEST_CUS_START) errors.add('startDate', `A CUS cannot start before ${EARLIEST_CUS_START}`, UserErrorCode.OUT_OF_RANGE);
  const resolution = input.foundingResolution ?? unit.foundingResolution ?? undefined;
  const agreement = input.agreement ?? unit.agreement ?? undefined;
  checkLegalAct(resolution, errors, 'foundingResolution', startDate);
  checkLegalAct(agreement, errors, 'agreement', startDate);
  const tercs = input.servedGminy ?? unit.servedGminaIds.map(idToTerc);
  const served = await resolveServedGminy(ctx, tercs, errors);
  const seat = served?.find((g) => g.id === unit.gminaId);
  if (served && !seat) errors.add('servedGminy', 'The seat gmina must stay among the gminy served');
  if (served && seat) checkCreationMode(unit.creationMode, seat, served, !!agreement, errors);
  // Becoming statutory, every gmina served is checked; staying statutory, the gminy it newly serves.
  const statutory = input.statutory ?? unit.statutory;
  const gminy = tercs.map(tercToId);
  const checked = !statutory ? [] : unit.statutory ? gminy.filter((id) => !unit.servedGminaIds.includes(id)) : gminy;
  const fieldOf = (gminaId: number) =>
    input.servedGminy && !unit.servedGminaIds.includes(gminaId) ? ['servedGminy', String(gminy.indexOf(gminaId))] : 'statutory';
  if (!errors.any) await checkStatutoryFree(ctx, checked, unit.id, fieldOf, errors);
  const shares = input.gminaShares ? checkShares(ctx, unit, input.gminaShares, gminy, errors) : input.servedGminy ? null : unit.shares;
  if (errors.any) return refuse(errors);

  ctx.em.assign(unit, {
    name: input.name?.trim() ?? unit.name,
    seatStreet: input.seatAddress?.street.trim() ?? unit.seatStreet,
    seatPostalCode: input.seatAddress?.postalCode ?? unit.seatPostalCode,
    seatCity: input.seatAddress?.city.trim() ?? unit.seatCity,
    resolutionNumber: resolution?.number.trim() ?? null,
    resolutionDate: resolution?.date ?? null,
    agreementNumber: agreement?.number.trim() ?? null,
    agreementDate: agreement?.date ?? null,
    startDate,
    statutory,
    servedGminaIds: gminy,
    shares,
    monitoringIntervalDays: monitoring,
  });
  return (await saveStatutory(ctx, checked, unit.id, fieldOf, errors)) ? ok(unit) : refuse(errors);
}

/** Shares of a joint budget (issue 18): every served gmina once, each above 0, 100 % in all; [] for equal (null). */
function checkShares(ctx: RequestContext, unit: CusUnit, given: GminaShareInput[], served: number[], errors: UserErrors): Record<string, number> | null {
  if (ctx.principal.role !== Role.PLATFORM_ADMIN) {
    errors.add('gminaShares', 'Only a platform administrator records the shares of an agreement', UserErrorCode.NOT_ALLOWED);
    return null;
  }
  if (given.length === 0) return null;
  if (unit.creationMode !== CusCreationMode.INTERMUNICIPAL_AGREEMENT) {
    errors.add('gminaShares', 'Only an inter-municipal unit (INTERMUNICIPAL_AGREEMENT) has a joint budget to share', UserErrorCode.INVALID);
    return null;
  }
  const shares: Record<string, number> = {};
  given.forEach((s, i) => {
    const id = tercToId(s.gmina);
    if (!served.includes(id)) errors.add(['gminaShares', String(i), 'gmina'], `Gmina ${s.gmina} is not served by the unit`, UserErrorCode.INVALID);
    else if (String(id) in shares) errors.add(['gminaShares', String(i), 'gmina'], `Gmina ${s.gmina} is given twice`, UserErrorCode.DUPLICATE);
    if (!(Number.isFinite(s.share) && s.share > 0 && s.share <= 100))
      errors.add(['gminaShares', String(i), 'share'], 'A share is a percent above 0 and at most 100', UserErrorCode.OUT_OF_RANGE);
    shares[String(id)] = s.share;
  });
  const missing = served.filter((id) => !(String(id) in shares));
  if (missing.length > 0) errors.add('gminaShares', `Every gmina served needs a share; missing: ${missing.map(idToTerc).join(', ')}`, UserErrorCode.REQUIRED);
  const sum = Object.values(shares).reduce((a, b) => a + b, 0);
  if (missing.length === 0 && Math.abs(sum - 100) > 0.01) errors.add('gminaShares', `The shares add up to ${sum}, not 100`, UserErrorCode.INVALID);
  return shares;
}

interface FundingValues {
  programme: string;
  action: string | null;
  title: string;
  periodStart: string;
  periodEnd: string;
  totalValue: string;
  euShare: string | null;
  nationalShare: string | null;
  coFinancingRate: string | null;
}

function checkFunding(values: FundingValues, errors: UserErrors): void {
  if (blank(values.programme)) errors.add('programme', 'Programme is required', UserErrorCode.REQUIRED);
  if (blank(values.title)) errors.add('title', 'Title is required', UserErrorCode.REQUIRED);
  if (values.periodEnd < values.periodStart) errors.add('periodEnd', 'The period must not end before it starts', UserErrorCode.OUT_OF_RANGE);
  const shares = toGrosze(values.euShare ?? '0') + toGrosze(values.nationalShare ?? '0');
  if (shares > toGrosze(values.totalValue)) {
    errors.add('totalValue', 'EU and national shares add up to more than the total value', UserErrorCode.OUT_OF_RANGE);
  }
  if (values.coFinancingRate !== null) {
    const rate = Number(values.coFinancingRate);
    if (!(rate > 0 && rate <= 100)) errors.add('coFinancingPercent', 'Co-financing is a percentage above 0 and at most 100', UserErrorCode.OUT_OF_RANGE);
  }
}

function rateText(percent: number | undefined | null): string | null | undefined {
  if (percent === undefined) return undefined;
  return percent === null ? null : percent.toFixed(2);
}

export async function addFundingProject(ctx: RequestContext, input: FundingProjectAddInput): Promise<Result<FundingProject>> {
  const errors = new UserErrors();
  const unit = await findUnit(ctx, input.cusUnitId, 'cusUnitId', errors);
  const values: FundingValues = {
    programme: input.programme?.trim(),
    action: input.action?.trim() || null,
    title: input.title?.trim(),
    periodStart: input.periodStart,
    periodEnd: input.periodEnd,
    totalValue: input.totalValue,
    euShare: input.euShare ?? null,
    nationalShare: input.nationalShare ?? null,
    coFinancingRate: rateText(input.coFinancingPercent) ?? null,
  };
  checkFunding(values, errors);
  if (!unit || errors.any) return refuse(errors);
  const project = ctx.em.create(FundingProject, { ...values, gminaId: unit.gminaId, cusUnitId: unit.id });
  await ctx.em.flush();
  return ok(project);
}

async function findProject(ctx: RequestContext, globalId: string, errors: UserErrors): Promise<FundingProject | null> {
  const id = uuidFromGlobalId(globalId, 'FundingProject', 'id');
  const project = await ctx.em.findOne(FundingProject, { id });
  if (!project) errors.add('id', 'No such funding project', UserErrorCode.NOT_FOUND);
  return project;
}

export async function updateFundingProject(ctx: RequestContext, input: FundingProjectUpdateInput): Promise<Result<FundingProject>> {
  const errors = new UserErrors();
  const project = await findProject(ctx, input.id, errors);
  if (!project) return refuse(errors);
  const rate = rateText(input.coFinancingPercent);
  const values: FundingValues = {
    programme: input.programme?.trim() ?? project.programme,
    action: input.action === undefined ? project.action : input.action?.trim() || null,
    title: input.title?.trim() ?? project.title,
    periodStart: input.periodStart ?? project.periodStart,
    periodEnd: input.periodEnd ?? project.periodEnd,
    totalValue: input.totalValue ?? project.totalValue,
    euShare: input.euShare === undefined ? project.euShare : input.euShare,
    nationalShare: input.nationalShare === undefined ? project.nationalShare : input.nationalShare,
    coFinancingRate: rate === undefined ? project.coFinancingRate : rate,
  };
  checkFunding(values, errors);
  if (errors.any) return refuse(errors);
  ctx.em.assign(project, values);
  await ctx.em.flush();
  return ok(project);
}

export async function removeFundingProject(ctx: RequestContext, input: FundingProjectRemoveInput): Promise<Result<string>> {
  const errors = new UserErrors();
  const project = await findProject(ctx, input.id, errors);
  if (!project) return refuse(errors);
  ctx.em.remove(project);
  await ctx.em.flush();
  return ok(project.globalId);
}
