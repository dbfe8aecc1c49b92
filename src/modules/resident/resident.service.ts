import type { RequestContext } from '../../platform/graphql/context.js';
import { UserErrorCode, UserErrors } from '../../platform/graphql/user-error.js';
import { idToTerc, tercToId } from '../../platform/auth/principal.js';
import { toGlobalId } from '../../platform/graphql/node.js';
import { addressChange, checkEmail, checkPhone } from '../common/contact.js';
import { todayInPoland } from '../common/dates.js';
import { flushCatchingDuplicate } from '../common/duplicate.js';
import { findVisible, isCurrentVersion } from '../common/find.js';
import { blank, ok, refuse, textOrNull, type Result } from '../common/result.js';
import { Gmina } from '../gmina/gmina.entity.js';
import { gminaById } from '../gmina/gmina.loader.js';
import { checkPesel } from './pesel.js';
import { centreGminy, possibleDuplicates } from './resident-duplicates.js';
import { PESEL_IN_CENTRE, PESEL_UNIQUE } from './resident-rules.js';
import { ResidentSensitive } from './resident-sensitive.entity.js';
import { Resident, type Sex } from './resident.entity.js';
import type { ResidentContactInput, ResidentCreateInput, ResidentSensitiveInput, ResidentSensitiveSetInput, ResidentUpdateInput } from './resident.inputs.js';

const PESEL_TAKEN = 'A resident with this PESEL is already registered in this gmina';
const PESEL_ELSEWHERE =
  'A resident with this PESEL is already registered elsewhere in this centre, in a record you do not read: ' +
  'one person, one record per centre (the staff serving that gmina keep it)';
const POSSIBLE_DUPLICATE =
  'A record of this centre has the same birth date and a similar name and no PESEL tells them apart: ' +
  'if it is the same person, keep one record (possibleDuplicates; the director merges them with residentMerge)';

type Changes = Partial<
  Pick<Resident, 'firstName' | 'lastName' | 'pesel' | 'birthDate' | 'sex' | 'street' | 'postalCode' | 'city' | 'phone' | 'email' | 'householdNotes'>
>;

interface Identity {
  pesel: string | null;
  birthDate: string | null;
  sex: Sex | null;
}

/**
 * PESEL, birth date and sex together: a PESEL must be valid, and a birth date or sex given beside
 * it must agree with what it encodes. Returns the identity with the birth date taken from the PESEL
 * when none was given.
 */
export function checkIdentity(given: Identity, errors: UserErrors): Identity {
  const today = todayInPoland();
  if (given.pesel === null) {
    if (given.birthDate !== null && given.birthDate > today) {
      errors.add('birthDate', 'Birth date must not be in the future', UserErrorCode.OUT_OF_RANGE);
    }
    return given;
  }
  const checked = checkPesel(given.pesel, today);
  if ('problems' in checked) {
    for (const problem of checked.problems) errors.add('pesel', problem, UserErrorCode.INVALID);
    return given;
  }
  const { facts } = checked;
  if (given.birthDate !== null && given.birthDate !== facts.birthDate) {
    errors.add('birthDate', `Birth date ${given.birthDate} does not match the PESEL (${facts.birthDate})`, UserErrorCode.INVALID);
  }
  if (given.sex !== null && given.sex !== facts.sex) {
    errors.add('sex', `Sex ${given.sex} does not match the PESEL (${facts.sex})`, UserErrorCode.INVALID);
  }
  return { ...given, birthDate: given.birthDate ?? facts.birthDate };
}

/** A PESEL as typed: spaces dropped, blank means none. */
function peselOf(typed: string | null | undefined): string | null {
  return blank(typed) ? null : (typed as string).replace(/\s+/g, '');
}

function checkNames(input: { firstName?: string | null; lastName?: string | null }, errors: UserErrors, changes: Changes, creating: boolean): void {
  for (const key of ['firstName', 'lastName'] as const) {
    if (!creating && input[key] === undefined) continue;
    if (blank(input[key])) errors.add(key, `${key === 'firstName' ? 'First' : 'Last'} name is required`, UserErrorCode.REQUIRED);
    else changes[key] = (input[key] as string).trim();
  }
}

function checkContact(contact: ResidentContactInput | null | undefined, errors: UserErrors, changes: Changes): void {
  if (contact === undefined) return;
  if (contact === null) {
    Object.assign(changes, { phone: null, email: null });
    return;
  }
  if (contact.email !== undefined) changes.email = checkEmail(contact.email, errors, 'contact.email');
  if (contact.phone !== undefined) changes.phone = checkPhone(contact.phone, errors, 'contact.phone');
}

type SensitiveValues = Pick<ResidentSensitive, 'disabilityLevel' | 'disabilityCertificateValidUntil' | 'healthNotes'>;

function checkSensitive(input: ResidentSensitiveInput, errors: UserErrors, at: string): SensitiveValues {
  const values: SensitiveValues = {
    disabilityLevel: input.disabilityLevel ?? null,
    disabilityCertificateValidUntil: input.disabilityCertificateValidUntil ?? null,
    healthNotes: textOrNull(input.healthNotes),
  };
  if (values.disabilityCertificateValidUntil !== null && values.disabilityLevel === null) {
    errors.add(`${at}disabilityLevel`, 'A certificate validity date needs the disability level it certifies', UserErrorCode.REQUIRED);
  }
  return values;
}

/** The gmina to register the resident in: the one named, which must be in the principal's scope, or their first. */
async function checkGmina(ctx: RequestContext, terc: string | null | undefined, errors: UserErrors): Promise<number | null> {
  const id = terc ? tercToId(terc) : ctx.principal.gminy[0];
  if (id === undefined || !ctx.principal.gminy.includes(id)) {
    errors.add('gmina', `Gmina ${terc} is outside your scope`, UserErrorCode.NOT_ALLOWED);
    return null;
  }
  if (!((await gminaById(ctx).load(id)) instanceof Gmina)) {
    errors.add('gmina', `No gmina with TERYT code ${idToTerc(id)}`, UserErrorCode.NOT_FOUND);
    return null;
  }
  return id;
}

/**
 * Writes the resident. A PESEL is one live record in the whole centre, whichever of its gminy holds it:
 * the database checks it (migrations/Migration20261207000510OnePersonPerCentre.ts), also against
 * records the writer cannot read and two registrations at once.
 *
 * The refusal tells the writer the person is a resident of the centre, so it is a read of the record
 * that holds the PESEL: logged in that record's gmina, where its director sees who learned it
 * (app.log_pesel_refusal, since the writer's own policies cover only its gminy). It names the record
 * (id, and gmina when another) only when the writer may read it; otherwise it says "elsewhere in this
 * centre", and the writer asks the staff of the centre's other gminy.
 */
async function save(ctx: RequestContext, resident: Resident, errors: UserErrors, rootField: 'residentCreate' | 'residentUpdate'): Promise<boolean> {
  const { gminaId, pesel, id } = resident;
  const refused = await flushCatchingDuplicate(ctx, [PESEL_IN_CENTRE, PESEL_UNIQUE]);
  if (refused === null) return true;
  ctx.operation.record(async (em) => {
    await em.execute('select app.log_pesel_refusal(?, ?, ?)', [pesel, gminaId, rootField]);
  });
  // Under row-level security: only a record the writer reads is found.
  const holder = await ctx.em.findOne(
    Resident,
    {
      pesel,
      mergedInto: null,
      id: { $ne: id },
      gminaId: { $in: await centreGminy(ctx, gminaId) },
    },
    { orderBy: { createdAt: 'asc', id: 'asc' } },
  );
  if (!holder) {
    errors.add('pesel', PESEL_ELSEWHERE, UserErrorCode.DUPLICATE);
    return false;
  }
  const message =
    holder.gminaId === gminaId
      ? PESEL_TAKEN
      : `A resident with this PESEL is already registered in gmina ${idToTerc(holder.gminaId)} of this centre: use that record (one person, one record per centre)`;
  errors.add('pesel', message, UserErrorCode.DUPLICATE, toGlobalId('Resident', holder.id));
  return false;
}

/**
 * A resident by global id, as findVisible finds one, where the id of a merged record gives the record
 * it was merged into: both ids lead to the person.
 */
export async function findResident(ctx: RequestContext, globalId: string, field: string, errors: UserErrors): Promise<Resident | null> {
  const found = await findVisible(ctx, Resident, globalId, field, errors, 'resident');
  if (!found?.mergedInto) return found;
  const survivor = await ctx.em.findOne(Resident, { id: found.mergedInto });
  if (!survivor) errors.add(field, 'No such resident', UserErrorCode.NOT_FOUND);
  return survivor;
}

/** A record written, and the records of the centre it may duplicate (each comes with a warning). */
export interface ResidentWritten extends Result<Resident> {
  possibleDuplicates: Resident[];
  warnings: string[];
}

const refusedWrite = (errors: UserErrors): ResidentWritten => ({ ...refuse<Resident>(errors), possibleDuplicates: [], warnings: [] });

/** The written record, with the records of the centre it may now duplicate. */
async function written(ctx: RequestContext, resident: Resident): Promise<ResidentWritten> {
  const duplicates = await possibleDuplicates(ctx, resident);
  return { ...ok(resident), possibleDuplicates: duplicates, warnings: duplicates.length > 0 ? [POSSIBLE_DUPLICATE] : [] };
}

/** What tells one person from another: a change to any of it may make the record look like another. */
const IDENTITY_FIELDS = ['firstName', 'lastName', 'pesel', 'birthDate', 'sex'] as const;

export async function createResident(ctx: RequestContext, input: ResidentCreateInput): Promise<ResidentWritten> {
  const errors = new UserErrors();
  const changes: Changes = {};
  checkNames(input, errors, changes, true);
  const identity = checkIdentity({ pesel: peselOf(input.pesel), birthDate: input.birthDate ?? null, sex: input.sex ?? null }, errors);
  Object.assign(changes, addressChange(input.address, errors));
  checkContact(input.contact, errors, changes);
  const sensitive = input.sensitive ? checkSensitive(input.sensitive, errors, 'sensitive.') : null;
  const gminaId = await checkGmina(ctx, input.gmina, errors);
  if (errors.any || gminaId === null) return refusedWrite(errors);

  const resident = ctx.em.create(Resident, {
    ...changes,
    ...identity,
    gminaId,
    householdNotes: textOrNull(input.householdNotes),
  });
  if (!(await save(ctx, resident, errors, 'residentCreate'))) return refusedWrite(errors);
  // A second flush: the sensitive row's foreign key needs the resident written first.
  if (sensitive) {
    ctx.em.create(ResidentSensitive, { ...sensitive, residentId: resident.id, gminaId } as never);
    await ctx.em.flush();
  }
  return written(ctx, resident);
}

/** Changes a record; one whose names, birth date, PESEL or sex changed is compared with the centre's records as a new one is. */
export async function updateResident(ctx: RequestContext, input: ResidentUpdateInput): Promise<ResidentWritten> {
  const errors = new UserErrors();
  const resident = await findResident(ctx, input.id, 'id', errors);
  if (!resident || !isCurrentVersion(resident, input.version, errors, 'resident')) return refusedWrite(errors);
  const changes: Changes = {};
  checkNames(input, errors, changes, false);
  const pesel = input.pesel === undefined ? resident.pesel : peselOf(input.pesel);
  const peselReplaced = pesel !== null && resident.pesel !== null && pesel !== resident.pesel;
  // A birth date that came with a replaced PESEL goes with it, unless the client sends one (removing the PESEL keeps it).
  const birthDate = input.birthDate !== undefined ? input.birthDate : peselReplaced ? null : resident.birthDate;
  const identity = checkIdentity({ pesel, birthDate, sex: input.sex !== undefined ? input.sex : resident.sex }, errors);
  Object.assign(changes, addressChange(input.address, errors));
  checkContact(input.contact, errors, changes);
  if (input.householdNotes !== undefined) changes.householdNotes = textOrNull(input.householdNotes);
  if (errors.any) return refusedWrite(errors);

  const before = IDENTITY_FIELDS.map((key) => resident[key]);
  ctx.em.assign(resident, { ...changes, ...identity });
  if (!(await save(ctx, resident, errors, 'residentUpdate'))) return refusedWrite(errors);
  const identityChanged = IDENTITY_FIELDS.some((key, i) => resident[key] !== before[i]);
  return identityChanged ? written(ctx, resident) : { ...ok(resident), possibleDuplicates: [], warnings: [] };
}

export async function setResidentSensitive(ctx: RequestContext, input: ResidentSensitiveSetInput): Promise<Result<Resident>> {
  const errors = new UserErrors();
  const resident = await findResident(ctx, input.residentId, 'residentId', errors);
  const values = checkSensitive(input, errors, '');
  if (!resident || errors.any) return refuse(errors);
  const held = await ctx.em.findOne(ResidentSensitive, { residentId: resident.id });
  if (held) ctx.em.assign(held, values);
  else ctx.em.create(ResidentSensitive, { ...values, residentId: resident.id, gminaId: resident.gminaId } as never);
  await ctx.em.flush();
  return ok(resident);
}
