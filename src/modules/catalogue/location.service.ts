import type { RequestContext } from '../../platform/graphql/context.js';
import { UserErrorCode, UserErrors } from '../../platform/graphql/user-error.js';
import { tercToId } from '../../platform/auth/principal.js';
import { checkAddress } from '../common/address.js';
import { findVisible, isCurrentVersion } from '../common/find.js';
import { blank, ok, refuse, textOrNull, type Result } from '../common/result.js';
import { Location } from './location.entity.js';
import type { LocationCreateInput, LocationRetireInput, LocationUpdateInput } from './location.inputs.js';

/** Coordinates as the numeric(9, 6) columns store them; both or neither, each within its range. */
function coordinates(latitude: number | null | undefined, longitude: number | null | undefined, errors: UserErrors) {
  const lat = latitude ?? null;
  const lon = longitude ?? null;
  if ((lat === null) !== (lon === null)) {
    errors.add(lat === null ? 'latitude' : 'longitude', 'Give both coordinates or neither', UserErrorCode.REQUIRED);
  }
  if (lat !== null && !(Number.isFinite(lat) && lat >= -90 && lat <= 90)) errors.add('latitude', 'Latitude is between -90 and 90', UserErrorCode.OUT_OF_RANGE);
  if (lon !== null && !(Number.isFinite(lon) && lon >= -180 && lon <= 180))
    errors.add('longitude', 'Longitude is between -180 and 180', UserErrorCode.OUT_OF_RANGE);
  return { latitudeText: lat === null ? null : lat.toFixed(6), longitudeText: lon === null ? null : lon.toFixed(6) };
}

export async function createLocation(ctx: RequestContext, input: LocationCreateInput): Promise<Result<Location>> {
  const errors = new UserErrors();
  if (blank(input.name)) errors.add('name', 'Name is required', UserErrorCode.REQUIRED);
  checkAddress(input.address, errors, 'address');
  const gminaId = input.gmina ? tercToId(input.gmina) : ctx.principal.gminy[0];
  if (!ctx.principal.gminy.includes(gminaId)) errors.add('gmina', `Gmina ${input.gmina} is not one of the gminy you work for`, UserErrorCode.NOT_ALLOWED);
  const coords = coordinates(input.latitude, input.longitude, errors);
  if (errors.any) return refuse(errors);

  const location = ctx.em.create(Location, {
    gminaId,
    name: input.name.trim(),
    kind: input.kind,
    street: input.address.street.trim(),
    postalCode: input.address.postalCode,
    city: input.address.city.trim(),
    ...coords,
    accessibility: textOrNull(input.accessibility),
    description: textOrNull(input.description),
  });
  await ctx.em.flush();
  return ok(location);
}

/** A place the principal can see, at the version last read, and not retired; otherwise user errors. */
async function findCurrentLocation(ctx: RequestContext, globalId: string, version: number, errors: UserErrors): Promise<Location | null> {
  const location = await findVisible(ctx, Location, globalId, 'id', errors, 'place');
  if (!location || !isCurrentVersion(location, version, errors, 'place')) return null;
  if (location.retiredAt) {
    errors.add('id', 'The place is retired', UserErrorCode.NOT_ALLOWED);
    return null;
  }
  return location;
}

export async function updateLocation(ctx: RequestContext, input: LocationUpdateInput): Promise<Result<Location>> {
  const errors = new UserErrors();
  const location = await findCurrentLocation(ctx, input.id, input.version, errors);
  if (!location) return refuse(errors);
  if (input.name !== undefined && blank(input.name)) errors.add('name', 'Name must not be blank', UserErrorCode.REQUIRED);
  if (input.address) checkAddress(input.address, errors, 'address');
  const coords = coordinates(
    input.latitude === undefined ? location.latitude : input.latitude,
    input.longitude === undefined ? location.longitude : input.longitude,
    errors,
  );
  if (errors.any) return refuse(errors);

  ctx.em.assign(location, {
    name: input.name?.trim() ?? location.name,
    kind: input.kind ?? location.kind,
    street: input.address?.street.trim() ?? location.street,
    postalCode: input.address?.postalCode ?? location.postalCode,
    city: input.address?.city.trim() ?? location.city,
    ...coords,
    accessibility: input.accessibility === undefined ? location.accessibility : textOrNull(input.accessibility),
    description: input.description === undefined ? location.description : textOrNull(input.description),
  });
  await ctx.em.flush();
  return ok(location);
}

/** Retired places stay on the services already given there (history), but take no new ones. */
export async function retireLocation(ctx: RequestContext, input: LocationRetireInput): Promise<Result<Location>> {
  const errors = new UserErrors();
  const location = await findCurrentLocation(ctx, input.id, input.version, errors);
  if (!location) return refuse(errors);
  location.retiredAt = new Date();
  await ctx.em.flush();
  return ok(location);
}
