import type { RequestContext } from '../../platform/graphql/context.js';
import { UserErrorCode, UserErrors } from '../../platform/graphql/user-error.js';
import { findVisible, isCurrentVersion } from '../common/find.js';
import { ok, refuse, textOrNull, type Result } from '../common/result.js';
import { canMove } from '../common/transitions.js';
import { type Application, ApplicationStatus } from './application.entity.js';
import type { AssessedNeedInput, NeedsAssessmentRecordInput, NeedsAssessmentUpdateInput } from './application.inputs.js';
import { applicationById } from './application.loader.js';
import { APPLICATION_MOVES, checkDay, findApplication, lockApplication } from './application.service.js';
import { AssessedNeed, AssessmentPlace, NeedsAssessment } from './needs-assessment.entity.js';

/**
 * Needs are assessed before the outcome, or after a qualification (to prepare the plan); a
 * refused or forwarded application is closed here, its needs are handled elsewhere or not at all.
 */
function checkAssessable(application: Application, errors: UserErrors, field: string): void {
  if (!canMove(application.status, APPLICATION_MOVES.assessNeeds)) {
    errors.add(
      field,
      `The application was ${application.status.toLowerCase()} on ${application.decidedOn}; its needs are no longer assessed here`,
      UserErrorCode.NOT_ALLOWED,
    );
  }
}

function checkPlace(place: AssessmentPlace, placeNote: string | null, errors: UserErrors): void {
  if (place === AssessmentPlace.OTHER && placeNote === null) errors.add('placeNote', 'Say where the conversation took place', UserErrorCode.REQUIRED);
}

function checkNeeds(needs: AssessedNeedInput[], errors: UserErrors): { area: AssessedNeedInput['area']; description: string }[] {
  if (needs.length === 0) errors.add('needs', 'Record at least one need found', UserErrorCode.REQUIRED);
  return needs.map((need, i) => {
    const description = textOrNull(need.description);
    if (description === null) errors.add(['needs', String(i), 'description'], 'Describe the need', UserErrorCode.REQUIRED);
    return { area: need.area, description: description ?? '' };
  });
}

function addNeeds(ctx: RequestContext, assessment: NeedsAssessment, needs: { area: AssessedNeedInput['area']; description: string }[]): void {
  for (const need of needs) ctx.em.create(AssessedNeed, { ...need, gminaId: assessment.gminaId, assessmentId: assessment.id });
}

export async function recordNeedsAssessment(ctx: RequestContext, input: NeedsAssessmentRecordInput): Promise<Result<NeedsAssessment>> {
  const errors = new UserErrors();
  const application = await findApplication(ctx, input.applicationId, 'applicationId', errors);
  if (application) {
    checkAssessable(application, errors, 'applicationId');
    checkDay(input.conversationOn, application.filedOn, errors, 'conversationOn', 'The conversation date');
  }
  const placeNote = textOrNull(input.placeNote);
  checkPlace(input.place, placeNote, errors);
  const coordinatorName = textOrNull(input.coordinatorName) ?? ctx.principal.subject;
  const needs = checkNeeds(input.needs, errors);
  if (!application || errors.any) return refuse(errors);

  const assessment = ctx.em.create(NeedsAssessment, {
    gminaId: application.gminaId,
    applicationId: application.id,
    conversationOn: input.conversationOn,
    place: input.place,
    placeNote,
    coordinatorSubject: ctx.principal.subject,
    coordinatorName,
    notes: textOrNull(input.notes),
  });
  // The needs' foreign key needs the assessment written first.
  await ctx.em.flush();
  addNeeds(ctx, assessment, needs);
  await ctx.em.flush();
  return ok(assessment);
}

/**
 * Qualification rests on an assessment held by the decision day. Moving this one's conversation past that day is
 * refused when no other assessment of the application was held by then; a follow-up assessment held after the
 * qualification (to prepare the plan) keeps its later day and may be edited freely. The application's row is
 * locked first and read as it is then, so a qualification or another move cannot slip in between (each takes it too).
 */
async function movesQualificationGround(ctx: RequestContext, assessment: NeedsAssessment, conversationOn: string): Promise<string | null> {
  if (conversationOn === assessment.conversationOn) return null;
  const application = await lockApplication(ctx, assessment.applicationId);
  const decidedOn = application.status === ApplicationStatus.QUALIFIED ? application.decidedOn : null;
  if (!decidedOn || assessment.conversationOn > decidedOn || conversationOn <= decidedOn) return null;
  const others = await ctx.em.count(NeedsAssessment, {
    applicationId: assessment.applicationId,
    conversationOn: { $lte: decidedOn },
    id: { $ne: assessment.id },
  });
  return others === 0 ? decidedOn : null;
}

export async function updateNeedsAssessment(ctx: RequestContext, input: NeedsAssessmentUpdateInput): Promise<Result<NeedsAssessment>> {
  const errors = new UserErrors();
  const assessment = await findVisible(ctx, NeedsAssessment, input.id, 'id', errors, 'needs assessment');
  if (!assessment || !isCurrentVersion(assessment, input.version, errors, 'needs assessment')) return refuse(errors);
  const application = (await applicationById(ctx).load(assessment.applicationId)) as Application;
  checkAssessable(application, errors, 'id');
  if (errors.any) return refuse(errors);
  const conversationOn = input.conversationOn ?? assessment.conversationOn;
  if (conversationOn !== assessment.conversationOn) checkDay(conversationOn, application.filedOn, errors, 'conversationOn', 'The conversation date');
  const groundOf = await movesQualificationGround(ctx, assessment, conversationOn);
  if (groundOf) {
    errors.add('conversationOn', `The application was qualified on ${groundOf} on this assessment: its conversation was not later`, UserErrorCode.OUT_OF_RANGE);
  }
  const place = input.place ?? assessment.place;
  const placeNote = input.placeNote === undefined ? assessment.placeNote : textOrNull(input.placeNote);
  checkPlace(place, placeNote, errors);
  if (input.coordinatorName !== undefined && textOrNull(input.coordinatorName) === null) {
    errors.add('coordinatorName', 'Name the coordinator who held the conversation', UserErrorCode.REQUIRED);
  }
  const needs = input.needs ? checkNeeds(input.needs, errors) : null;
  if (errors.any) return refuse(errors);

  ctx.em.assign(assessment, {
    conversationOn,
    place,
    placeNote,
    coordinatorName: textOrNull(input.coordinatorName) ?? assessment.coordinatorName,
    notes: input.notes === undefined ? assessment.notes : textOrNull(input.notes),
    // Replacing only the needs changes the assessment too: a new updatedAt makes it dirty, so its version moves on.
    updatedAt: new Date(),
  });
  if (needs) {
    const held = await ctx.em.find(AssessedNeed, { assessmentId: assessment.id });
    for (const need of held) ctx.em.remove(need);
    addNeeds(ctx, assessment, needs);
  }
  await ctx.em.flush();
  return ok(assessment);
}
