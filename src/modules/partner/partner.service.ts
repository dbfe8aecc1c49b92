import type { RequestContext } from '../../platform/graphql/context.js';
import { UserErrorCode, UserErrors } from '../../platform/graphql/user-error.js';
import { idToTerc, tercToId } from '../../platform/auth/principal.js';
import { Role } from '../../platform/auth/roles.js';
import { todayInPoland } from '../common/dates.js';
import { addressChange, checkEmail, checkPhone, checkWebsite } from '../common/contact.js';
import { findVisible, isCurrentVersion } from '../common/find.js';
import { blank, ok, refuse, textOrNull, type Result } from '../common/result.js';
import { Gmina } from '../gmina/gmina.entity.js';
import { gminaById } from '../gmina/gmina.loader.js';
import { flushUnlessDuplicate } from '../common/duplicate.js';
import { checkIdentifier, type IdentifierKind } from './identifiers.js';
import { partnerById } from './partner.loader.js';
import { Partner, PartnerStatus } from './partner.entity.js';
import { identityRefusal } from './partner-rules.js';
import type {
  ContactInput,
  PartnerCreateInput,
  PartnerJoinInput,
  PartnerProfileUpdateInput,
  PartnerRelationshipInput,
  PartnerStatusChangeInput,
  PartnerUpdateInput,
} from './partner.inputs.js';

const NIP_UNIQUE = 'partner_nip_key';
const NIP_TAKEN = 'A partner with this NIP is already registered';

type Changes = Partial<
  Pick<
    Partner,
    'name' | 'kind' | 'krs' | 'nip' | 'regon' | 'email' | 'phone' | 'website' | 'street' | 'postalCode' | 'city' | 'description' | 'gminaId' | 'gminaIds'
  >
>;

const IDENTIFIERS: [keyof Pick<Partner, 'krs' | 'nip' | 'regon'>, IdentifierKind][] = [
  ['krs', 'KRS'],
  ['nip', 'NIP'],
  ['regon', 'REGON'],
];

/** Identifiers given in the input, as digits; a blank or null one is cleared, an absent one left out. */
function checkIdentifiers(input: Partial<Record<'krs' | 'nip' | 'regon', string | null>>, errors: UserErrors, changes: Changes): void {
  for (const [key, kind] of IDENTIFIERS) {
    const typed = input[key];
    if (typed === undefined) continue;
    if (typed === null || blank(typed)) {
      changes[key] = null;
      continue;
    }
    const checked = checkIdentifier(kind, typed.trim());
    if (checked.error !== undefined) errors.add(key, checked.error, UserErrorCode.INVALID);
    else changes[key] = checked.digits;
  }
}

function checkContact(contact: ContactInput, errors: UserErrors, changes: Changes): void {
  if (contact.email !== undefined) changes.email = checkEmail(contact.email, errors, 'contact.email');
  if (contact.phone !== undefined) changes.phone = checkPhone(contact.phone, errors, 'contact.phone');
  if (contact.website !== undefined) changes.website = checkWebsite(contact.website, errors, 'contact.website');
}

/** The profile fields both staff and the partner itself may change: name, contact, address, description. */
function checkProfile(input: PartnerProfileUpdateInput | PartnerCreateInput, errors: UserErrors, changes: Changes, creating: boolean): void {
  if (creating || input.name !== undefined) {
    if (blank(input.name)) errors.add('name', 'Name is required', UserErrorCode.REQUIRED);
    else changes.name = (input.name as string).trim();
  }
  if (input.contact) checkContact(input.contact, errors, changes);
  if (input.contact === null) Object.assign(changes, { email: null, phone: null, website: null });
  Object.assign(changes, addressChange(input.address, errors));
  if (input.description !== undefined) changes.description = textOrNull(input.description);
}

/**
 * The gminy named, as ids: at least one, none twice, each in the register and in the principal's
 * scope (staff manage partners only where they work).
 */
async function checkGminy(ctx: RequestContext, tercs: string[], errors: UserErrors, emptyMessage: string): Promise<number[] | null> {
  if (tercs.length === 0) {
    errors.add('gminy', emptyMessage, UserErrorCode.REQUIRED);
    return null;
  }
  let usable = true;
  if (new Set(tercs).size !== tercs.length) {
    errors.add('gminy', 'A gmina is listed twice', UserErrorCode.DUPLICATE);
    usable = false;
  }
  const ids = tercs.map(tercToId);
  const found = await gminaById(ctx).loadMany(ids);
  ids.forEach((id, i) => {
    if (!ctx.principal.gminy.includes(id)) {
      errors.add(['gminy', String(i)], `Gmina ${tercs[i]} is outside your scope`, UserErrorCode.NOT_ALLOWED);
      usable = false;
    } else if (!(found[i] instanceof Gmina)) {
      errors.add(['gminy', String(i)], `No gmina with TERYT code ${tercs[i]}`, UserErrorCode.NOT_FOUND);
      usable = false;
    }
  });
  return usable ? ids : null;
}

/** The NIP must not belong to another partner the principal can see (the unique index catches the ones it cannot). */
async function checkNipFree(ctx: RequestContext, nip: string | null | undefined, selfId: string | null, errors: UserErrors): Promise<void> {
  if (!nip) return;
  const other = await ctx.em.findOne(Partner, { nip, ...(selfId ? { id: { $ne: selfId } } : {}) });
  if (other) errors.add('nip', NIP_TAKEN, UserErrorCode.DUPLICATE);
}

/** Writes the changes, or reports a NIP another gmina registered (invisible to this principal) as a duplicate. */
async function save(ctx: RequestContext, partner: Partner, errors: UserErrors): Promise<Result<Partner>> {
  if (await flushUnlessDuplicate(ctx, NIP_UNIQUE)) return ok(partner);
  errors.add('nip', NIP_TAKEN, UserErrorCode.DUPLICATE);
  return refuse(errors);
}

export async function createPartner(ctx: RequestContext, input: PartnerCreateInput): Promise<Result<Partner>> {
  const errors = new UserErrors();
  const changes: Changes = {};
  checkProfile(input, errors, changes, true);
  checkIdentifiers(input, errors, changes);
  const tercs = input.gminy ?? ctx.principal.gminy.map(idToTerc);
  const gminaIds = await checkGminy(ctx, tercs, errors, 'Name at least one gmina the partner works in');
  await checkNipFree(ctx, changes.nip, null, errors);
  if (errors.any || !gminaIds) return refuse(errors);

  const partner = ctx.em.create(Partner, { ...changes, kind: input.kind, gminaId: gminaIds[0], gminaIds });
  return save(ctx, partner, errors);
}

/** Inputs of partnerUpdate that change the shared identity (IDENTITY_COLUMNS), in the order errors are reported. */
const IDENTITY_INPUTS = ['name', 'kind', 'krs', 'nip', 'regon', 'contact', 'address', 'description'] as const;

/** The relationship fields given, checked; the keys are partner_gmina's columns. */
function checkRelationship(input: PartnerRelationshipInput, errors: UserErrors): Record<string, string | null> {
  const changes: Record<string, string | null> = {};
  const at = (name: string) => ['relationship', name];
  if (input.contactName !== undefined) changes.contact_name = textOrNull(input.contactName);
  if (input.contactEmail !== undefined) changes.contact_email = checkEmail(input.contactEmail, errors, at('contactEmail'));
  if (input.contactPhone !== undefined) changes.contact_phone = checkPhone(input.contactPhone, errors, at('contactPhone'));
  if (input.notes !== undefined) changes.notes = textOrNull(input.notes);
  return changes;
}

const NO_RELATIONSHIP = 'The platform administrator keeps no relationship with partners; a centre keeps its own';

/**
 * Changes a partner: its shared identity (only the centre that registered it while unclaimed, or the
 * platform administrator: identityRefusal), and the caller's own relationships (which of its gminy,
 * local contact, notes). A refusal of any part refuses the whole change.
 */
export async function updatePartner(ctx: RequestContext, input: PartnerUpdateInput): Promise<Result<Partner>> {
  const errors = new UserErrors();
  const partner = await findVisible(ctx, Partner, input.id, 'id', errors, 'partner');
  if (!partner || !isCurrentVersion(partner, input.version, errors, 'partner')) return refuse(errors);
  const changes: Changes = {};
  const identityGiven = IDENTITY_INPUTS.filter((key) => input[key] !== undefined);
  const refusal = identityGiven.length > 0 ? identityRefusal(ctx.principal, partner) : null;
  if (refusal) for (const key of identityGiven) errors.add(key, refusal, UserErrorCode.NOT_ALLOWED);
  else {
    checkProfile(input, errors, changes, false);
    if (input.kind) changes.kind = input.kind;
    checkIdentifiers(input, errors, changes);
    if (changes.nip !== undefined && changes.nip !== partner.nip) await checkNipFree(ctx, changes.nip, partner.id, errors);
  }
  const admin = ctx.principal.role === Role.PLATFORM_ADMIN;
  let added: number[] = [];
  let removed: number[] = [];
  if (input.gminy && admin) errors.add('gminy', NO_RELATIONSHIP, UserErrorCode.NOT_ALLOWED);
  else if (input.gminy) {
    const given = await checkGminy(ctx, input.gminy, errors, 'A partner must keep at least one of your gminy');
    if (given) {
      // Staff change only their own part of the list: gminy outside their scope stay as they are.
      added = given.filter((id) => !partner.gminaIds.includes(id));
      removed = partner.gminaIds.filter((id) => ctx.principal.gminy.includes(id) && !given.includes(id));
    }
  }
  let relationship: Record<string, string | null> = {};
  if (input.relationship && admin) errors.add('relationship', NO_RELATIONSHIP, UserErrorCode.NOT_ALLOWED);
  else if (input.relationship) relationship = checkRelationship(input.relationship, errors);
  if (errors.any) return refuse(errors);

  // New relationships first, so the registering gmina can move to one of them (app.partner_mirror_relationships).
  if (added.length > 0)
    await ctx.em.execute('insert into partner_gmina (partner_id, gmina_id) select ?, unnest(?::int[])', [partner.id, `{${added.join(',')}}`]);
  if (removed.length > 0)
    await ctx.em.execute('delete from partner_gmina where partner_id = ? and gmina_id = any (?::int[])', [partner.id, `{${removed.join(',')}}`]);
  const columns = Object.keys(relationship);
  if (columns.length > 0) {
    await ctx.em.execute(
      `update partner_gmina set ${columns.map((c) => `${c} = ?`).join(', ')}, updated_at = now() where partner_id = ? and gmina_id = any (?::int[])`,
      [...columns.map((c) => relationship[c]), partner.id, `{${ctx.principal.gminy.join(',')}}`],
    );
  }
  ctx.em.assign(partner, changes);
  // A change of the caller's relationships is a change of the partner as the caller reads it.
  if (added.length + removed.length + columns.length > 0) partner.updatedAt = new Date();
  const saved = await save(ctx, partner, errors);
  if (saved.value) await ctx.em.refresh(partner);
  return saved;
}

/**
 * Retires or reactivates the partner in the caller's gminy only (their relationships); other
 * gminy's relationships, and so their registers and public catalogues, stay as they are.
 */
async function changeStatus(ctx: RequestContext, input: PartnerStatusChangeInput, status: PartnerStatus): Promise<Result<Partner>> {
  const errors = new UserErrors();
  const partner = await findVisible(ctx, Partner, input.id, 'id', errors, 'partner');
  if (!partner || !isCurrentVersion(partner, input.version, errors, 'partner')) return refuse(errors);
  const retiredOn = status === PartnerStatus.INACTIVE ? todayInPoland() : null;
  const changed = await ctx.em.execute<{ gmina_id: number }[]>(
    `update partner_gmina set status = ?, retired_on = ?, updated_at = now()
     where partner_id = ? and gmina_id = any (?::int[]) and status <> ? returning gmina_id`,
    [status, retiredOn, partner.id, `{${ctx.principal.gminy.join(',')}}`, status],
  );
  if (changed.length === 0) {
    errors.add('id', status === PartnerStatus.INACTIVE ? 'The partner is already retired' : 'The partner is already active');
    return refuse(errors);
  }
  partner.updatedAt = new Date();
  await ctx.em.flush();
  await ctx.em.refresh(partner);
  return ok(partner);
}

export const retirePartner = (ctx: RequestContext, input: PartnerStatusChangeInput) => changeStatus(ctx, input, PartnerStatus.INACTIVE);
export const reactivatePartner = (ctx: RequestContext, input: PartnerStatusChangeInput) => changeStatus(ctx, input, PartnerStatus.ACTIVE);

/**
 * A PARTNER principal edits its own organisation's profile; what the CUS decides is not in the input (and a trigger guards it).
 * Its first edit claims the profile: from then on the centre that registered it no longer changes its identity.
 */
export async function updateOwnProfile(ctx: RequestContext, input: PartnerProfileUpdateInput): Promise<Result<Partner>> {
  const errors = new UserErrors();
  const partner = ctx.principal.partnerId ? await ctx.em.findOne(Partner, { id: ctx.principal.partnerId }) : null;
  if (!partner) {
    errors.add([], 'Your organisation is not in the register of partners', UserErrorCode.NOT_FOUND);
    return refuse(errors);
  }
  if (!isCurrentVersion(partner, input.version, errors, 'partner')) return refuse(errors);
  const changes: Changes = {};
  checkProfile(input, errors, changes, false);
  if (errors.any) return refuse(errors);
  ctx.em.assign(partner, changes);
  partner.claimedAt ??= new Date();
  await ctx.em.flush();
  return ok(partner);
}

/**
 * The platform administrator records that the partner has users of its own (its accounts were set
 * up), so its profile is its own; or releases it (its users are gone) back to the registering centre.
 */
export async function setClaimed(ctx: RequestContext, input: PartnerStatusChangeInput, claimed: boolean): Promise<Result<Partner>> {
  const errors = new UserErrors();
  const partner = await findVisible(ctx, Partner, input.id, 'id', errors, 'partner');
  if (!partner || !isCurrentVersion(partner, input.version, errors, 'partner')) return refuse(errors);
  if ((partner.claimedAt !== null) === claimed) {
    errors.add('id', claimed ? 'The partner already keeps its own profile' : 'The partner has not claimed its profile');
    return refuse(errors);
  }
  partner.claimedAt = claimed ? new Date() : null;
  await ctx.em.flush();
  return ok(partner);
}

/**
 * Adds gminy of the principal's scope to a partner registered by another centre, found by its NIP
 * (a public identifier). The database function does it (migrations: app.partner_join), as the row is
 * invisible to the principal until then; it changes nothing but the gminy.
 */
export async function joinPartner(ctx: RequestContext, input: PartnerJoinInput): Promise<Result<Partner>> {
  const errors = new UserErrors();
  const nip = checkIdentifier('NIP', input.nip);
  if (nip.error) errors.add('nip', nip.error);
  const gminaIds = await checkGminy(ctx, input.gminy ?? ctx.principal.gminy.map(idToTerc), errors, 'Name at least one gmina');
  if (errors.any || !gminaIds || !nip.digits) return refuse(errors);
  const [row] = await ctx.em.execute<{ id: string | null }[]>('select app.partner_join(?, ?::int[]) as id', [nip.digits, `{${gminaIds.join(',')}}`]);
  if (!row?.id) {
    errors.add('nip', 'No active partner with this NIP is registered', UserErrorCode.NOT_FOUND);
    return refuse(errors);
  }
  return ok((await partnerById(ctx).load(row.id)) as Partner);
}
