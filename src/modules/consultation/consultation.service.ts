import type { RequestContext } from '../../platform/graphql/context.js';
import { UserErrorCode, UserErrors } from '../../platform/graphql/user-error.js';
import { CUS_STAFF, Role } from '../../platform/auth/roles.js';
import { blank, ok, refuse, textOrNull, type Result } from '../common/result.js';
import { todayInPoland } from '../common/dates.js';
import { findVisible, isCurrentVersion } from '../common/find.js';
import { DIAGNOSIS_MOVES, findDiagnosis } from '../diagnosis/diagnosis.service.js';
import { diagnosisById } from '../diagnosis/diagnosis.loader.js';
import { findProgramme, PROGRAMME_MOVES } from '../programme/programme.service.js';
import { checkMove } from '../common/transitions.js';
import { documentGminy } from '../common/document-gminy.js';
import { Consultation, ConsultationChannel } from './consultation.entity.js';
import { ConsultationSubmission } from './consultation-submission.entity.js';
import type {
  ConsultationAnswerInput,
  ConsultationCancelInput,
  ConsultationOpenInput,
  ConsultationSubmitInput,
  ConsultationUpdateInput,
} from './consultation.inputs.js';

/** Channels through which CUS staff record submissions that reached the office earlier. */
const RECORDED_CHANNELS: readonly ConsultationChannel[] = [ConsultationChannel.PAPER, ConsultationChannel.EMAIL];

const findConsultation = (ctx: RequestContext, globalId: string, field: string, errors: UserErrors): Promise<Consultation | null> =>
  findVisible(ctx, Consultation, globalId, field, errors, 'consultation');

interface ConsultationValues {
  title: string;
  startsOn: string;
  endsOn: string;
  channels: ConsultationChannel[];
}

function checkValues(values: ConsultationValues, errors: UserErrors): void {
  if (blank(values.title)) errors.add('title', 'Title is required', UserErrorCode.REQUIRED);
  if (values.endsOn < values.startsOn) {
    errors.add('endsOn', `The consultation must not end (${values.endsOn}) before it starts (${values.startsOn})`, UserErrorCode.OUT_OF_RANGE);
  }
  if (values.channels.length === 0) errors.add('channels', 'Name at least one channel for submissions', UserErrorCode.REQUIRED);
  if (new Set(values.channels).size !== values.channels.length) errors.add('channels', 'A channel is listed twice', UserErrorCode.DUPLICATE);
}

/** Opens a consultation of a draft: a diagnosis in progress, or a programme in DRAFT or IN_CONSULTATION. */
export async function openConsultation(ctx: RequestContext, input: ConsultationOpenInput): Promise<Result<Consultation>> {
  const errors = new UserErrors();
  let gminaId: number | null = null;
  let draftGminy: number[] = [];
  let diagnosisId: string | null = null;
  let programmeId: string | null = null;
  if (input.diagnosisId && input.programmeId) {
    errors.add('programmeId', 'A consultation is of one draft: give diagnosisId or programmeId, not both');
  } else if (input.diagnosisId) {
    const diagnosis = await findDiagnosis(ctx, input.diagnosisId, 'diagnosisId', errors);
    if (diagnosis) checkMove('diagnosis', diagnosis.status, DIAGNOSIS_MOVES.consult, errors, 'diagnosisId');
    gminaId = diagnosis?.gminaId ?? null;
    draftGminy = diagnosis?.gminaIds ?? [];
    diagnosisId = diagnosis?.id ?? null;
  } else if (input.programmeId) {
    const programme = await findProgramme(ctx, input.programmeId, 'programmeId', errors);
    if (programme) checkMove('programme', programme.status, PROGRAMME_MOVES.consult, errors, 'programmeId');
    gminaId = programme?.gminaId ?? null;
    draftGminy = programme ? [programme.gminaId] : [];
    programmeId = programme?.id ?? null;
  } else {
    errors.add('diagnosisId', 'Name the draft consulted: diagnosisId or programmeId', UserErrorCode.REQUIRED);
  }
  const values = { title: input.title?.trim(), startsOn: input.startsOn, endsOn: input.endsOn, channels: input.channels ?? [] };
  checkValues(values, errors);
  const gminaIds = gminaId === null ? null : documentGminy(ctx, input.gminy, draftGminy, 'the consulted draft concerns', errors);
  if (gminaId === null || !gminaIds || errors.any) return refuse(errors);
  const consultation = ctx.em.create(Consultation, {
    ...values,
    gminaId,
    gminaIds,
    diagnosisId,
    programmeId,
    description: textOrNull(input.description),
  });
  await ctx.em.flush();
  return ok(consultation);
}

export async function updateConsultation(ctx: RequestContext, input: ConsultationUpdateInput): Promise<Result<Consultation>> {
  const errors = new UserErrors();
  const consultation = await findConsultation(ctx, input.id, 'id', errors);
  if (!consultation || !isCurrentVersion(consultation, input.version, errors, 'consultation')) return refuse(errors);
  if (consultation.cancelledAt) errors.add('id', 'The consultation was cancelled', UserErrorCode.NOT_ALLOWED);
  const values = {
    title: input.title?.trim() ?? consultation.title,
    startsOn: input.startsOn ?? consultation.startsOn,
    endsOn: input.endsOn ?? consultation.endsOn,
    channels: input.channels ?? consultation.channels,
  };
  checkValues(values, errors);
  const gminaIds = input.gminy
    ? documentGminy(ctx, input.gminy, await draftGminyOf(ctx, consultation), 'the consulted draft concerns', errors)
    : consultation.gminaIds;
  // Submissions already received stay inside the consultation's dates.
  const [earliest] = await ctx.em.find(ConsultationSubmission, { consultationId: consultation.id }, { orderBy: { receivedOn: 'asc' }, limit: 1 });
  const [latest] = await ctx.em.find(ConsultationSubmission, { consultationId: consultation.id }, { orderBy: { receivedOn: 'desc' }, limit: 1 });
  if (latest && values.endsOn < latest.receivedOn) {
    errors.add('endsOn', `A submission was received on ${latest.receivedOn}; the consultation cannot end before that`, UserErrorCode.OUT_OF_RANGE);
  }
  if (earliest && values.startsOn > earliest.receivedOn) {
    errors.add('startsOn', `A submission was received on ${earliest.receivedOn}; the consultation cannot start after that`, UserErrorCode.OUT_OF_RANGE);
  }
  if (errors.any) return refuse(errors);
  ctx.em.assign(consultation, {
    ...values,
    description: input.description === undefined ? consultation.description : textOrNull(input.description),
    gminaIds,
  });
  await ctx.em.flush();
  return ok(consultation);
}

/** The gminy of the draft a consultation consults: the diagnosis's, or the programme's one. */
async function draftGminyOf(ctx: RequestContext, consultation: Consultation): Promise<number[]> {
  if (consultation.programmeId) return [consultation.gminaId];
  const diagnosis = consultation.diagnosisId ? await diagnosisById(ctx).load(consultation.diagnosisId) : null;
  return diagnosis?.gminaIds ?? [];
}

/** Retires a consultation that has not ended; a finished one is a record of what residents said. */
export async function cancelConsultation(ctx: RequestContext, input: ConsultationCancelInput): Promise<Result<Consultation>> {
  const errors = new UserErrors();
  const consultation = await findConsultation(ctx, input.id, 'id', errors);
  if (!consultation) return refuse(errors);
  if (consultation.cancelledAt) errors.add('id', 'The consultation is already cancelled', UserErrorCode.NOT_ALLOWED);
  else if (todayInPoland() > consultation.endsOn) {
    errors.add('id', `The consultation ended on ${consultation.endsOn}; only one that has not ended can be cancelled`, UserErrorCode.NOT_ALLOWED);
  }
  if (errors.any) return refuse(errors);
  consultation.cancelledAt = new Date();
  await ctx.em.flush();
  return ok(consultation);
}

/**
 * A submission from anyone authenticated for the consultation's gmina (the database checks that too).
 * It is received today in Poland; CUS staff recording a paper or e-mail submission may date it when it
 * reached the office. Nothing is accepted outside the consultation's dates (a trigger repeats that check).
 */
export async function submitToConsultation(ctx: RequestContext, input: ConsultationSubmitInput): Promise<Result<ConsultationSubmission>> {
  const errors = new UserErrors();
  const consultation = await findConsultation(ctx, input.consultationId, 'consultationId', errors);
  if (!consultation) return refuse(errors);
  if (consultation.cancelledAt) {
    errors.add('consultationId', 'The consultation was cancelled; submissions are not accepted', UserErrorCode.NOT_ALLOWED);
    return refuse(errors);
  }
  if (blank(input.text)) errors.add('text', 'Text is required', UserErrorCode.REQUIRED);
  if (!consultation.channels.includes(input.channel)) {
    errors.add('channel', `This consultation takes submissions by ${consultation.channels.join(', ')}`);
  }
  const today = todayInPoland();
  const receivedOn = input.receivedOn ?? today;
  if (receivedOn !== today) {
    if (!CUS_STAFF.includes(ctx.principal.role)) {
      errors.add('receivedOn', `A submission is received today (${today}); only CUS staff record earlier ones`, UserErrorCode.NOT_ALLOWED);
    } else if (!RECORDED_CHANNELS.includes(input.channel)) {
      errors.add('receivedOn', 'Only paper and e-mail submissions are recorded with an earlier date', UserErrorCode.NOT_ALLOWED);
    } else if (receivedOn > today) {
      errors.add('receivedOn', `A submission cannot be received after today (${today})`, UserErrorCode.OUT_OF_RANGE);
    }
  }
  if (receivedOn > consultation.endsOn) {
    errors.add('receivedOn', `The consultation ended on ${consultation.endsOn}; submissions are no longer accepted`, UserErrorCode.OUT_OF_RANGE);
  } else if (receivedOn < consultation.startsOn) {
    errors.add(
      'receivedOn',
      `The consultation opens on ${consultation.startsOn}; submissions are accepted from then until ${consultation.endsOn}`,
      UserErrorCode.OUT_OF_RANGE,
    );
  }
  if (errors.any) return refuse(errors);
  const submission = ctx.em.create(ConsultationSubmission, {
    gminaId: consultation.gminaId,
    consultationId: consultation.id,
    text: input.text.trim(),
    channel: input.channel,
    receivedOn,
    authorName: textOrNull(input.authorName),
    submittedBy: ctx.principal.subject,
    submittedByPartnerId: ctx.principal.role === Role.PARTNER ? ctx.principal.partnerId : null,
  });
  await ctx.em.flush();
  return ok(submission);
}

/** Staff answer a submission (again, if the answer changes); the answer is dated today. */
export async function answerSubmission(ctx: RequestContext, input: ConsultationAnswerInput): Promise<Result<ConsultationSubmission>> {
  const errors = new UserErrors();
  const submission = await findVisible(ctx, ConsultationSubmission, input.submissionId, 'submissionId', errors, 'submission');
  if (blank(input.response)) errors.add('response', 'Response is required', UserErrorCode.REQUIRED);
  if (!submission || errors.any) return refuse(errors);
  ctx.em.assign(submission, { response: input.response.trim(), respondedOn: todayInPoland(), respondedBy: ctx.principal.subject });
  await ctx.em.flush();
  return ok(submission);
}
