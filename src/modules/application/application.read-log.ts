import type { GraphQLResolveInfo } from 'graphql';
import type { RequestContext } from '../../platform/graphql/context.js';
import { noteResidentRead } from '../resident/access-log.js';
import type { Application } from './application.entity.js';
import { applicationById } from './application.loader.js';
import type { NeedsAssessment } from './needs-assessment.entity.js';

/*
 * An application and its assessments are part of the resident's record (DOMAIN.md, "Personal
 * data"): every path that hands one to a client goes through these, so the read is logged.
 */

/** Logs the reads of the residents whose applications are shown; returns what it was given. */
export function showApplications<T extends Application | null | (Application | null)[]>(ctx: RequestContext, info: GraphQLResolveInfo, shown: T): T {
  const list = (Array.isArray(shown) ? shown : [shown]).filter((a): a is Application => a !== null);
  noteResidentRead(ctx, list.map((a) => ({ id: a.residentId, gminaId: a.gminaId })), info);
  return shown;
}

/** Logs the reads of the residents whose assessments are shown (their applications come through the batched loader). */
export async function showAssessments<T extends NeedsAssessment | null | (NeedsAssessment | null)[]>(
  ctx: RequestContext, info: GraphQLResolveInfo, shown: T,
): Promise<T> {
  const list = (Array.isArray(shown) ? shown : [shown]).filter((a): a is NeedsAssessment => a !== null);
  const applications = await applicationById(ctx).loadMany(list.map((a) => a.applicationId));
  showApplications(ctx, info, applications.filter((a): a is Application => a !== null && !(a instanceof Error)));
  return shown;
}
