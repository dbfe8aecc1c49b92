import { Arg, Args, Authorized, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { FilterQuery } from '@mikro-orm/core';
import { Connection, findPage, PageArgs, toConnection } from '../../platform/graphql/connection.js';
import { declareMutations } from '../common/mutation-table.js';
import { declareNodeLookup } from '../common/node-lookup.js';
import type { RequestContext } from '../../platform/graphql/context.js';
import { isUuid, registerNodeType } from '../../platform/graphql/node.js';
import { tercToId } from '../../platform/auth/principal.js';
import { GMINA_SCOPED, Role } from '../../platform/auth/roles.js';
import { todayInPoland } from '../common/dates.js';
import { Gmina } from '../gmina/gmina.entity.js';
import { gminaById, loadGminy } from '../gmina/gmina.loader.js';
import { Partner } from '../partner/partner.entity.js';
import { partnerById } from '../partner/partner.loader.js';
import { Diagnosis } from '../diagnosis/diagnosis.entity.js';
import { diagnosisById } from '../diagnosis/diagnosis.loader.js';
import { Programme } from '../programme/programme.entity.js';
import { programmeById } from '../programme/programme.loader.js';
import { Consultation } from './consultation.entity.js';
import { ConsultationSubmission } from './consultation-submission.entity.js';
import {
  ConsultationAnswerInput,
  ConsultationCancelInput,
  ConsultationFilter,
  ConsultationOpenInput,
  ConsultationPayload,
  ConsultationSubmissionPayload,
  ConsultationSubmitInput,
  ConsultationUpdateInput,
} from './consultation.inputs.js';
import {
  consultationById,
  consultationsOfDiagnosis,
  consultationsOfProgramme,
  submissionById,
  submissionCount,
  submissionsPage,
} from './consultation.loader.js';
import { answerSubmission, cancelConsultation, openConsultation, submitToConsultation, updateConsultation } from './consultation.service.js';

registerNodeType('ConsultationSubmission', async (ctx, key) => (isUuid(key) ? submissionById(ctx).load(key) : null));

const ConsultationConnection = Connection(Consultation);
const ConsultationSubmissionConnection = Connection(ConsultationSubmission);

/** Who runs consultations and answers submissions: the director and both organisers. */
export const CONSULTATION_MANAGERS = [Role.DIRECTOR, Role.SERVICES_ORGANISER, Role.COMMUNITY_ORGANISER];
/**
 * Who reads consultations and submits to them: CUS staff and gmina officials of the gmina, and partner
 * users whose organisation works there. The database decides which consultations (and a partner sees
 * only its own submissions).
 */
export const CONSULTATION_PARTICIPANTS = [...GMINA_SCOPED, Role.PARTNER];

@Resolver(() => Consultation)
export class ConsultationResolver {
  @Authorized(...CONSULTATION_PARTICIPANTS)
  @Query(() => ConsultationConnection, { description: 'Consultations the principal may see, latest start first' })
  async consultations(
    @Ctx() ctx: RequestContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => ConsultationFilter, { nullable: true }) filter?: ConsultationFilter,
  ) {
    const where: FilterQuery<Consultation> = {};
    if (filter?.gmina) where.gminaIds = { $overlap: [tercToId(filter.gmina)] };
    if (filter?.open === true || filter?.open === false) {
      const today = todayInPoland();
      const open = { cancelledAt: null, startsOn: { $lte: today }, endsOn: { $gte: today } };
      const notOpen = { $or: [{ cancelledAt: { $ne: null } }, { startsOn: { $gt: today } }, { endsOn: { $lt: today } }] };
      Object.assign(where, filter.open ? open : notOpen);
    }
    return toConnection(ConsultationConnection, await findPage(ctx.em, Consultation, where, [{ startsOn: 'desc' }, { id: 'desc' }], page));
  }

  @FieldResolver(() => Gmina)
  async gmina(@Root() consultation: Consultation, @Ctx() ctx: RequestContext): Promise<Gmina> {
    return (await gminaById(ctx).load(consultation.gminaId)) as Gmina;
  }

  @FieldResolver(() => [Gmina], { description: 'The gminy the consultation concerns: their staff, officials and partners see it' })
  gminy(@Root() consultation: Consultation, @Ctx() ctx: RequestContext): Promise<Gmina[]> {
    return loadGminy(ctx, consultation.gminaIds);
  }

  @FieldResolver(() => Diagnosis, { nullable: true, description: 'The diagnosis consulted (null when it is a programme, or out of your sight)' })
  async diagnosis(@Root() consultation: Consultation, @Ctx() ctx: RequestContext): Promise<Diagnosis | null> {
    return consultation.diagnosisId ? diagnosisById(ctx).load(consultation.diagnosisId) : null;
  }

  @FieldResolver(() => Programme, { nullable: true, description: 'The programme consulted (null when it is a diagnosis, or out of your sight)' })
  async programme(@Root() consultation: Consultation, @Ctx() ctx: RequestContext): Promise<Programme | null> {
    return consultation.programmeId ? programmeById(ctx).load(consultation.programmeId) : null;
  }

  @FieldResolver(() => ConsultationSubmissionConnection, { description: 'Submissions by date received (a partner sees only its own)' })
  async submissions(@Root() consultation: Consultation, @Ctx() ctx: RequestContext, @Args(() => PageArgs) page: PageArgs) {
    return toConnection(ConsultationSubmissionConnection, await submissionsPage(ctx, consultation.id, page));
  }

  @FieldResolver(() => Int, { description: 'Submissions you may see (a partner: its own)' })
  submissionCount(@Root() consultation: Consultation, @Ctx() ctx: RequestContext): Promise<number> {
    return submissionCount(ctx).load(consultation.id);
  }
}

declareNodeLookup(ConsultationResolver, 'consultation', { type: Consultation, roles: CONSULTATION_PARTICIPANTS, byId: consultationById });

declareMutations(ConsultationResolver, CONSULTATION_MANAGERS, ConsultationPayload, {
  consultationOpen: { description: 'Open a public consultation of a draft diagnosis or programme', input: ConsultationOpenInput, run: openConsultation },
  consultationUpdate: {
    description: 'Change a consultation; its dates must keep every submission received',
    input: ConsultationUpdateInput,
    run: updateConsultation,
  },
  consultationCancel: { description: 'Cancel a consultation that has not ended', input: ConsultationCancelInput, run: cancelConsultation },
  consultationSubmit: {
    description: 'Submit a remark to a consultation of your gmina, while it is open',
    input: ConsultationSubmitInput,
    run: submitToConsultation,
    roles: CONSULTATION_PARTICIPANTS,
    payload: ConsultationSubmissionPayload,
  },
  consultationAnswer: {
    description: 'Answer a submission (dated today)',
    input: ConsultationAnswerInput,
    run: answerSubmission,
    payload: ConsultationSubmissionPayload,
  },
});

@Resolver(() => ConsultationSubmission)
export class ConsultationSubmissionResolver {
  @FieldResolver(() => Consultation, { nullable: true })
  consultation(@Root() submission: ConsultationSubmission, @Ctx() ctx: RequestContext): Promise<Consultation | null> {
    return consultationById(ctx).load(submission.consultationId);
  }

  @FieldResolver(() => Partner, { nullable: true, description: 'The partner organisation that submitted it, if one did' })
  async submittedByPartner(@Root() submission: ConsultationSubmission, @Ctx() ctx: RequestContext): Promise<Partner | null> {
    return submission.submittedByPartnerId ? partnerById(ctx).load(submission.submittedByPartnerId) : null;
  }
}

/** Programme.consultations and Diagnosis.consultations live here, beside the consultation loaders. */
@Resolver(() => Programme)
export class ProgrammeConsultationsResolver {
  @FieldResolver(() => [Consultation], { description: 'Consultations of this programme, by start date' })
  consultations(@Root() programme: Programme, @Ctx() ctx: RequestContext): Promise<Consultation[]> {
    return consultationsOfProgramme(ctx).load(programme.id);
  }
}

@Resolver(() => Diagnosis)
export class DiagnosisConsultationsResolver {
  @FieldResolver(() => [Consultation], { description: 'Consultations of this diagnosis, by start date' })
  consultations(@Root() diagnosis: Diagnosis, @Ctx() ctx: RequestContext): Promise<Consultation[]> {
    return consultationsOfDiagnosis(ctx).load(diagnosis.id);
  }
}
