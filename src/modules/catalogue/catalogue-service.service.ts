import type { RequestContext } from '../../platform/graphql/context.js';
import { uuidFromGlobalId } from '../../platform/graphql/node.js';
import { UserErrorCode, UserErrors } from '../../platform/graphql/user-error.js';
import { idToTerc, tercToId } from '../../platform/auth/principal.js';
import { toGrosze } from '../../platform/money.js';
import { FeeKind, type ServiceArea, type TargetGroup } from '../common/domain.enums.js';
import { findVisible, isCurrentVersion } from '../common/find.js';
import { blank, ok, refuse, textOrNull, type Result } from '../common/result.js';
import { checkMove, type Moves } from '../common/transitions.js';
import { checkWeeklyHours } from '../common/weekly-hours.js';
import { CusUnit } from '../cus-unit/cus-unit.entity.js';
import { cusUnitById } from '../cus-unit/cus-unit.loader.js';
import { partnerById, partnerStandingIn } from '../partner/partner.loader.js';
import { Location } from './location.entity.js';
import { locationById } from './location.loader.js';
import { ProviderKind, Service, ServiceStatus } from './service.entity.js';
import type {
  FeeRuleInput,
  ServiceCapacityInput,
  ServiceCreateInput,
  ServiceProviderInput,
  ServiceScheduleInput,
  ServiceStatusChangeInput,
  ServiceUpdateInput,
} from './service.inputs.js';
import { locationIdsOfService, schedulesOfService } from './service.loader.js';
import { ServiceLocation } from './service-location.entity.js';
import { ServiceSchedule } from './service-schedule.entity.js';

/** The columns of a service that create and update set, checked together. */
interface ServiceValues {
  gminaIds: number[];
  name: string;
  description: string | null;
  area: ServiceArea;
  targetGroups: TargetGroup[];
  providerKind: ProviderKind;
  providerPartnerId: string | null;
  providerUnitName: string | null;
  online: boolean;
  onlineUrl: string | null;
  eligibility: string | null;
  feeKind: FeeKind;
  feeAmount: string | null;
  feeUnit: string | null;
  feeDescription: string | null;
  capacityRecipients: number | null;
  capacityNote: string | null;
}

/** A schedule row to write, its place already resolved to a location id. */
type ScheduleValues = Pick<ServiceSchedule, 'locationId' | 'weekdays' | 'opensAt' | 'closesAt' | 'validFrom' | 'validTo' | 'note'>;

function checkGminy(tercs: string[], unit: CusUnit, errors: UserErrors): number[] {
  if (tercs.length === 0) errors.add('gminy', 'Name at least one gmina where the service is available', UserErrorCode.REQUIRED);
  if (new Set(tercs).size !== tercs.length) errors.add('gminy', 'A gmina is listed twice', UserErrorCode.DUPLICATE);
  tercs.forEach((terc, i) => {
    if (!unit.servedGminaIds.includes(tercToId(terc))) {
      errors.add(['gminy', String(i)], `The unit does not serve gmina ${terc}`, UserErrorCode.NOT_ALLOWED);
    }
  });
  return tercs.map(tercToId);
}

function checkTargetGroups(groups: TargetGroup[], errors: UserErrors): void {
  if (groups.length === 0) errors.add('targetGroups', 'Name at least one target group', UserErrorCode.REQUIRED);
  if (new Set(groups).size !== groups.length) errors.add('targetGroups', 'A target group is listed twice', UserErrorCode.DUPLICATE);
}

/** The provider as the input names it, the partner's global id decoded. */
interface ProviderChoice {
  kind: ProviderKind;
  partnerId: string | null;
  unitName: string | null;
}

function providerChoice(provider: ServiceProviderInput): ProviderChoice {
  return {
    kind: provider.kind,
    partnerId: blank(provider.partnerId) ? null : uuidFromGlobalId(provider.partnerId!, 'Partner', 'provider.partnerId'),
    unitName: textOrNull(provider.unitName),
  };
}

/** The provider: a partner must be visible, active and work in one of the service's gminy; a gmina unit needs its name. */
async function checkProvider(ctx: RequestContext, { kind, partnerId, unitName }: ProviderChoice, gminaIds: number[], errors: UserErrors) {
  if (partnerId !== null && kind !== ProviderKind.PARTNER) errors.add('provider.partnerId', 'Only a PARTNER provider names a partner');
  if (unitName !== null && kind !== ProviderKind.GMINA_UNIT) errors.add('provider.unitName', 'Only a GMINA_UNIT provider has a unit name');
  if (kind === ProviderKind.GMINA_UNIT && unitName === null) {
    errors.add('provider.unitName', 'Name the gmina unit that gives the service', UserErrorCode.REQUIRED);
  }
  if (kind === ProviderKind.PARTNER) {
    const partner = partnerId === null ? undefined : await partnerById(ctx).load(partnerId);
    if (partner === undefined) errors.add('provider.partnerId', 'Choose the partner that gives the service', UserErrorCode.REQUIRED);
    else if (partner === null) errors.add('provider.partnerId', 'No such partner', UserErrorCode.NOT_FOUND);
    else if (gminaIds.length > 0 && !partner.gminaIds.some((g) => gminaIds.includes(g))) {
      errors.add('provider.partnerId', 'The partner works in none of the gminy of the service', UserErrorCode.NOT_ALLOWED);
    } else if (!(await partnerStandingIn(ctx, partner, gminaIds.length > 0 ? gminaIds : partner.gminaIds)).active) {
      // Active as the caller's gminy decided (partner_gmina), whatever other gminy decided.
      errors.add('provider.partnerId', 'The partner is not active', UserErrorCode.NOT_ALLOWED);
    }
  }
  return {
    providerKind: kind,
    providerPartnerId: kind === ProviderKind.PARTNER ? partnerId : null,
    providerUnitName: kind === ProviderKind.GMINA_UNIT ? unitName : null,
  };
}

/** The places: visible to the principal (others are not found), listed once, and not retired unless already the service's. */
async function checkPlaces(ctx: RequestContext, globalIds: string[], current: string[], errors: UserErrors): Promise<string[]> {
  const ids = globalIds.map((id, i) => uuidFromGlobalId(id, 'Location', `locationIds.${i}`));
  if (new Set(ids).size !== ids.length) errors.add('locationIds', 'A place is listed twice', UserErrorCode.DUPLICATE);
  const places = await locationById(ctx).loadMany(ids);
  places.forEach((place, i) => {
    if (!(place instanceof Location)) errors.add(['locationIds', String(i)], 'No such place', UserErrorCode.NOT_FOUND);
    else if (place.retiredAt && !current.includes(place.id)) errors.add(['locationIds', String(i)], `"${place.name}" is retired`, UserErrorCode.NOT_ALLOWED);
  });
  return ids;
}

function checkOnline(online: boolean, onlineUrl: string | null, urlGiven: boolean, placeCount: number, errors: UserErrors): void {
  if (!online && placeCount === 0) errors.add('locationIds', 'Name at least one place, or make the service online', UserErrorCode.REQUIRED);
  if (onlineUrl !== null) {
    if (!online && urlGiven) errors.add('onlineUrl', 'Only an online service has an online address');
    let valid = false;
    try {
      valid = ['http:', 'https:'].includes(new URL(onlineUrl).protocol);
    } catch {
      /* not a URL */
    }
    if (!valid) errors.add('onlineUrl', 'Must be an http(s) address, e.g. https://cus.example.pl/porady');
  }
}

function checkSchedules(schedules: ServiceScheduleInput[], placeIds: string[], errors: UserErrors): ScheduleValues[] {
  return schedules.map((schedule, i) => {
    checkWeeklyHours(schedule, errors, `schedules.${i}`);
    let locationId: string | null = null;
    if (!blank(schedule.locationId)) {
      locationId = uuidFromGlobalId(schedule.locationId!, 'Location', `schedules.${i}.locationId`);
      if (!placeIds.includes(locationId)) errors.add(['schedules', String(i), 'locationId'], "Must be one of the service's places");
    }
    return {
      locationId,
      weekdays: schedule.weekdays,
      opensAt: schedule.startsAt,
      closesAt: schedule.endsAt,
      validFrom: schedule.validFrom ?? null,
      validTo: schedule.validTo ?? null,
      note: textOrNull(schedule.note),
    };
  });
}

/** A Money string with both decimal places, as the numeric(12, 2) column gives it back ("10" -> "10.00"). */
function money(amount: string): string {
  const grosze = toGrosze(amount);
  return `${grosze / 100n}.${String(grosze % 100n).padStart(2, '0')}`;
}

function checkFee(fee: FeeRuleInput, errors: UserErrors) {
  if (fee.kind === FeeKind.FIXED && blank(fee.amount)) errors.add('fee.amount', 'A fixed fee needs its amount', UserErrorCode.REQUIRED);
  if (fee.kind !== FeeKind.FIXED && !blank(fee.amount)) errors.add('fee.amount', 'Only a FIXED fee has an amount');
  if (fee.kind === FeeKind.INCOME_DEPENDENT && blank(fee.description)) {
    errors.add('fee.description', 'Say how the income-dependent fee is set (as the programme of social services does)', UserErrorCode.REQUIRED);
  }
  return {
    feeKind: fee.kind,
    feeAmount: fee.kind === FeeKind.FIXED && !blank(fee.amount) ? money(fee.amount!) : null,
    feeUnit: textOrNull(fee.unit),
    feeDescription: textOrNull(fee.description),
  };
}

function checkCapacity(capacity: ServiceCapacityInput | null | undefined, errors: UserErrors) {
  const recipients = capacity?.recipients ?? null;
  if (recipients !== null && recipients < 1) errors.add('capacity.recipients', 'Capacity is at least 1 resident', UserErrorCode.OUT_OF_RANGE);
  return { capacityRecipients: recipients, capacityNote: textOrNull(capacity?.note) };
}

/** A unit the principal can see; its catalogue is kept by staff of its seat gmina (the service's tenant gmina). */
async function findUnit(ctx: RequestContext, globalId: string, errors: UserErrors): Promise<CusUnit | null> {
  const unit = await cusUnitById(ctx).load(uuidFromGlobalId(globalId, 'CusUnit', 'cusUnitId'));
  if (!unit) {
    errors.add('cusUnitId', 'No such CUS unit', UserErrorCode.NOT_FOUND);
    return null;
  }
  if (!ctx.principal.gminy.includes(unit.gminaId)) {
    errors.add('cusUnitId', `The catalogue of this unit is kept by the staff of its seat gmina ${idToTerc(unit.gminaId)}`, UserErrorCode.NOT_ALLOWED);
    return null;
  }
  return unit;
}

function writeChildren(ctx: RequestContext, service: Service, placeIds: string[], schedules: ScheduleValues[]): void {
  for (const locationId of placeIds) ctx.em.create(ServiceLocation, { gminaId: service.gminaId, serviceId: service.id, locationId } as never);
  for (const schedule of schedules) ctx.em.create(ServiceSchedule, { ...schedule, gminaId: service.gminaId, serviceId: service.id } as never);
}

export async function createService(ctx: RequestContext, input: ServiceCreateInput): Promise<Result<Service>> {
  const errors = new UserErrors();
  const unit = await findUnit(ctx, input.cusUnitId, errors);
  const gminaIds = unit ? checkGminy(input.gminy ?? unit.servedGminaIds.map(idToTerc), unit, errors) : [];
  if (blank(input.name)) errors.add('name', 'Name is required', UserErrorCode.REQUIRED);
  checkTargetGroups(input.targetGroups, errors);
  const provider = await checkProvider(ctx, providerChoice(input.provider), gminaIds, errors);
  const placeIds = await checkPlaces(ctx, input.locationIds, [], errors);
  const onlineUrl = textOrNull(input.onlineUrl);
  checkOnline(input.online, onlineUrl, onlineUrl !== null, placeIds.length, errors);
  const schedules = checkSchedules(input.schedules, placeIds, errors);
  const fee = checkFee(input.fee ?? { kind: FeeKind.FREE }, errors);
  const capacity = checkCapacity(input.capacity, errors);
  if (!unit || errors.any) return refuse(errors);

  const values: ServiceValues = {
    gminaIds,
    name: input.name.trim(),
    description: textOrNull(input.description),
    area: input.area,
    targetGroups: input.targetGroups,
    ...provider,
    online: input.online,
    onlineUrl,
    eligibility: textOrNull(input.eligibility),
    ...fee,
    ...capacity,
  };
  const service = ctx.em.create(Service, { ...values, gminaId: unit.gminaId, cusUnitId: unit.id, status: ServiceStatus.PLANNED });
  // Children refer to the service by plain id columns, so the unit of work cannot order the inserts itself.
  await ctx.em.flush();
  writeChildren(ctx, service, placeIds, schedules);
  await ctx.em.flush();
  return ok(service);
}

/** A service the principal can see, at the version last read; another gmina's service is not found. */
async function findService(ctx: RequestContext, input: { id: string; version: number }, errors: UserErrors): Promise<Service | null> {
  const service = await findVisible(ctx, Service, input.id, 'id', errors, 'service');
  return service && isCurrentVersion(service, input.version, errors, 'service') ? service : null;
}

const given = <T>(value: T | null | undefined): value is T => value !== undefined && value !== null;

/**
 * The places and schedules an update leaves: lists given replace the current ones (schedules null:
 * kept as they are), and a kept schedule must not stay at a place the update removes.
 */
async function checkPlaceChanges(ctx: RequestContext, service: Service, input: ServiceUpdateInput, errors: UserErrors) {
  const currentPlaces = await locationIdsOfService(ctx).load(service.id);
  const placeIds = given(input.locationIds) ? await checkPlaces(ctx, input.locationIds, currentPlaces, errors) : currentPlaces;
  if (given(input.schedules)) return { currentPlaces, placeIds, schedules: checkSchedules(input.schedules, placeIds, errors) };
  if (given(input.locationIds)) {
    const kept = await schedulesOfService(ctx).load(service.id);
    if (kept.some((s) => s.locationId !== null && !placeIds.includes(s.locationId))) {
      errors.add('locationIds', 'A schedule is at a place you removed; send the schedules too', UserErrorCode.NOT_ALLOWED);
    }
  }
  return { currentPlaces, placeIds, schedules: null };
}

export async function updateService(ctx: RequestContext, input: ServiceUpdateInput): Promise<Result<Service>> {
  const errors = new UserErrors();
  const service = await findService(ctx, input, errors);
  if (!service) return refuse(errors);
  if (!checkMove('service', service.status, SERVICE_MOVES.edit, errors)) return refuse(errors);
  let gminaIds = service.gminaIds;
  if (given(input.gminy)) {
    const unit = await cusUnitById(ctx).load(service.cusUnitId);
    if (unit) gminaIds = checkGminy(input.gminy, unit, errors);
    else errors.add('gminy', 'The unit of the service is out of your scope', UserErrorCode.NOT_ALLOWED);
  }
  if (input.name !== undefined && blank(input.name)) errors.add('name', 'Name must not be blank', UserErrorCode.REQUIRED);
  const description = input.description === undefined ? service.description : textOrNull(input.description);
  if (description === null && service.status === ServiceStatus.ACTIVE) {
    errors.add('description', 'An active service needs a description', UserErrorCode.REQUIRED);
  }
  if (input.targetGroups !== undefined) checkTargetGroups(input.targetGroups ?? [], errors);

  // The provider rule also depends on the gminy, so it is checked again when either changes.
  const current: ProviderChoice = { kind: service.providerKind, partnerId: service.providerPartnerId, unitName: service.providerUnitName };
  const provider =
    given(input.provider) || given(input.gminy)
      ? await checkProvider(ctx, given(input.provider) ? providerChoice(input.provider) : current, gminaIds, errors)
      : { providerKind: current.kind, providerPartnerId: current.partnerId, providerUnitName: current.unitName };

  const { currentPlaces, placeIds, schedules } = await checkPlaceChanges(ctx, service, input, errors);
  const online = input.online ?? service.online;
  const urlGiven = input.onlineUrl !== undefined;
  const onlineUrl = urlGiven ? textOrNull(input.onlineUrl) : online ? service.onlineUrl : null;
  checkOnline(online, onlineUrl, urlGiven, placeIds.length, errors);
  const fee = given(input.fee) ? checkFee(input.fee, errors) : null;
  const capacity = input.capacity !== undefined ? checkCapacity(input.capacity, errors) : null;
  if (errors.any) return refuse(errors);

  const values: Partial<ServiceValues> = {
    gminaIds,
    name: input.name?.trim() ?? service.name,
    description,
    area: input.area ?? service.area,
    targetGroups: input.targetGroups ?? service.targetGroups,
    ...provider,
    online,
    onlineUrl,
    eligibility: input.eligibility === undefined ? service.eligibility : textOrNull(input.eligibility),
    ...fee,
    ...capacity,
  };
  // Places and schedules are part of the service: changing only them still moves its version on.
  ctx.em.assign(service, { ...values, updatedAt: new Date() });
  if (given(input.locationIds)) {
    await ctx.em.nativeDelete(ServiceLocation, { serviceId: service.id, locationId: { $nin: placeIds } });
    writeChildren(
      ctx,
      service,
      placeIds.filter((id) => !currentPlaces.includes(id)),
      [],
    );
  }
  if (schedules) {
    await ctx.em.nativeDelete(ServiceSchedule, { serviceId: service.id });
    writeChildren(ctx, service, [], schedules);
  }
  await ctx.em.flush();
  // The payload reads places and schedules through the same loaders, which cached the old lists.
  locationIdsOfService(ctx).clear(service.id);
  schedulesOfService(ctx).clear(service.id);
  return ok(service);
}

const { PLANNED, ACTIVE, SUSPENDED, CLOSED } = ServiceStatus;

/** What a service may do in which status: a CLOSED one no longer changes. */
const SERVICE_MOVES = {
  edit: { from: [PLANNED, ACTIVE, SUSPENDED], what: 'editing' },
  activate: { from: [PLANNED, SUSPENDED], to: ACTIVE, what: 'activation' },
  suspend: { from: [ACTIVE], to: SUSPENDED, what: 'suspension' },
  close: { from: [PLANNED, ACTIVE, SUSPENDED], to: CLOSED, what: 'closing' },
} satisfies Moves<ServiceStatus>;

export type ServiceTransition = Exclude<keyof typeof SERVICE_MOVES, 'edit'>;

/** Residents must be able to find an active service: somewhere to go (a place in use) or online, and a description. */
async function checkReadyToActivate(ctx: RequestContext, service: Service, errors: UserErrors): Promise<void> {
  if (blank(service.description)) errors.add('id', 'Add a description before activating the service', UserErrorCode.REQUIRED);
  const places = await locationById(ctx).loadMany(await locationIdsOfService(ctx).load(service.id));
  const inUse = places.filter((p) => p instanceof Location && !p.retiredAt);
  if (!service.online && inUse.length === 0) {
    errors.add('id', 'The service needs a place that is not retired, or to be online, before it is activated', UserErrorCode.NOT_ALLOWED);
  }
}

export async function changeServiceStatus(ctx: RequestContext, input: ServiceStatusChangeInput, transition: ServiceTransition): Promise<Result<Service>> {
  const errors = new UserErrors();
  const service = await findService(ctx, input, errors);
  if (!service) return refuse(errors);
  const move = SERVICE_MOVES[transition];
  if (!checkMove('service', service.status, move, errors)) return refuse(errors);
  const { to } = move;
  if (to === ServiceStatus.ACTIVE) await checkReadyToActivate(ctx, service, errors);
  if (errors.any) return refuse(errors);
  service.status = to;
  await ctx.em.flush();
  return ok(service);
}
