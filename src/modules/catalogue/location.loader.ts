import { type RequestContext } from '../../platform/graphql/context.js';
import { rowByKey } from '../../platform/graphql/row-loaders.js';
import { Location } from './location.entity.js';

/** Places by id, batched per request; a place out of the principal's scope loads as null (RLS). */
export function locationById(ctx: RequestContext) {
  return rowByKey(ctx, 'catalogue.locationById', Location, 'id');
}
