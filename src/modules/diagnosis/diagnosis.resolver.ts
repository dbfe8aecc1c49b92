import { Arg, Args, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { FilterQuery } from '@mikro-orm/core';
import { Connection, findPage, PageArgs, toConnection } from '../../platform/graphql/connection.js';
import { declareMutations } from '../common/mutation-table.js';
import { declareNodeLookup } from '../common/node-lookup.js';
import type { Result } from '../common/result.js';
import type { RequestContext } from '../../platform/graphql/context.js';
import { isUuid, registerNodeType, uuidFromGlobalId } from '../../platform/graphql/node.js';
import { GMINA_SCOPED, Role } from '../../platform/auth/roles.js';
import { CusUnit } from '../cus-unit/cus-unit.entity.js';
import { cusUnitById } from '../cus-unit/cus-unit.loader.js';
import { Gmina } from '../gmina/gmina.entity.js';
import { loadGminy } from '../gmina/gmina.loader.js';
import { Partner } from '../partner/partner.entity.js';
import { partnerById } from '../partner/partner.loader.js';
import { Diagnosis } from './diagnosis.entity.js';
import { DiagnosisStage } from './diagnosis-stage.entity.js';
import { ResearchActivity } from './research-activity.entity.js';
import { DiagnosisNeed } from './diagnosis-need.entity.js';
import { DiagnosisResource } from './diagnosis-resource.entity.js';
import {
  DiagnosisCreateInput,
  DiagnosisFilter,
  DiagnosisIdInput,
  DiagnosisItemRemoveInput,
  DiagnosisItemRemovePayload,
  DiagnosisNeedAddInput,
  DiagnosisNeedPayload,
  DiagnosisNeedUpdateInput,
  DiagnosisPayload,
  DiagnosisResourceAddInput,
  DiagnosisResourcePayload,
  DiagnosisResourceUpdateInput,
  DiagnosisStagePayload,
  DiagnosisStageSetInput,
  DiagnosisUpdateInput,
  ResearchActivityAddInput,
  ResearchActivityPayload,
  ResearchActivityUpdateInput,
} from './diagnosis.inputs.js';
import {
  diagnosisById,
  diagnosisNeedById,
  diagnosisResourceById,
  needsOfDiagnosis,
  researchActivitiesOfDiagnosis,
  researchActivityById,
  resourcesOfDiagnosis,
  stagesOfDiagnosis,
} from './diagnosis.loader.js';
import { archiveDiagnosis, completeDiagnosis, createDiagnosis, setStage, updateDiagnosis } from './diagnosis.service.js';
import {
  addNeed,
  addResearchActivity,
  addResource,
  removeNeed,
  removeResearchActivity,
  removeResource,
  updateNeed,
  updateResearchActivity,
  updateResource,
} from './diagnosis-findings.service.js';

registerNodeType('ResearchActivity', async (ctx, key) => (isUuid(key) ? researchActivityById(ctx).load(key) : null));
registerNodeType('DiagnosisNeed', async (ctx, key) => (isUuid(key) ? diagnosisNeedById(ctx).load(key) : null));
registerNodeType('DiagnosisResource', async (ctx, key) => (isUuid(key) ? diagnosisResourceById(ctx).load(key) : null));

const DiagnosisConnection = Connection(Diagnosis);

/** A removal as its payload reads it: the removed item's id, and beside it the diagnosis it belonged to. */
function removal(remove: (ctx: RequestContext, input: DiagnosisItemRemoveInput) => Promise<Result<{ removedId: string; diagnosis: Diagnosis }>>) {
  return async (ctx: RequestContext, input: DiagnosisItemRemoveInput) => {
    const { value, userErrors } = await remove(ctx, input);
    return { value: value?.removedId ?? null, diagnosis: value?.diagnosis ?? null, userErrors };
  };
}

/** Who runs the diagnosis: the director and both organisers (OUS, OSL). */
export const DIAGNOSIS_MANAGERS = [Role.DIRECTOR, Role.SERVICES_ORGANISER, Role.COMMUNITY_ORGANISER];
/** CUS staff and gmina officials read it; which rows is up to the database (their gminy). */
export const DIAGNOSIS_READERS = [...GMINA_SCOPED];

@Resolver(() => Diagnosis)
export class DiagnosisResolver {
  @Authorized(...DIAGNOSIS_READERS)
  @Query(() => DiagnosisConnection, { description: 'Diagnoses the principal may see, latest period first' })
  async diagnoses(
    @Ctx() ctx: RequestContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => DiagnosisFilter, { nullable: true }) filter?: DiagnosisFilter,
  ) {
    const where: FilterQuery<Diagnosis> = {};
    if (filter?.cusUnitId) where.cusUnitId = uuidFromGlobalId(filter.cusUnitId, 'CusUnit', 'filter.cusUnitId');
    if (filter?.status) where.status = filter.status;
    return toConnection(DiagnosisConnection, await findPage(ctx.em, Diagnosis, where, [{ periodStart: 'desc' }, { id: 'desc' }], page));
  }

  @FieldResolver(() => CusUnit, { nullable: true, description: 'The CUS preparing the diagnosis' })
  cusUnit(@Root() diagnosis: Diagnosis, @Ctx() ctx: RequestContext): Promise<CusUnit | null> {
    return cusUnitById(ctx).load(diagnosis.cusUnitId);
  }

  @FieldResolver(() => [Gmina], { description: 'The gminy the diagnosis concerns: their staff and officials read it' })
  gminy(@Root() diagnosis: Diagnosis, @Ctx() ctx: RequestContext): Promise<Gmina[]> {
    return loadGminy(ctx, diagnosis.gminaIds);
  }

  @FieldResolver(() => [DiagnosisStage], { description: 'Stages recorded so far, in the order they are worked through' })
  stages(@Root() diagnosis: Diagnosis, @Ctx() ctx: RequestContext): Promise<DiagnosisStage[]> {
    return stagesOfDiagnosis(ctx).load(diagnosis.id);
  }

  @FieldResolver(() => [ResearchActivity], { description: 'Research activities, by start date' })
  researchActivities(@Root() diagnosis: Diagnosis, @Ctx() ctx: RequestContext): Promise<ResearchActivity[]> {
    return researchActivitiesOfDiagnosis(ctx).load(diagnosis.id);
  }

  @FieldResolver(() => [DiagnosisNeed], { description: 'Needs found, highest priority first, then by area in the order of the act' })
  needs(@Root() diagnosis: Diagnosis, @Ctx() ctx: RequestContext): Promise<DiagnosisNeed[]> {
    return needsOfDiagnosis(ctx).load(diagnosis.id);
  }

  @FieldResolver(() => [DiagnosisResource], { description: 'Potential found: resources of institutions, NGOs and residents' })
  resources(@Root() diagnosis: Diagnosis, @Ctx() ctx: RequestContext): Promise<DiagnosisResource[]> {
    return resourcesOfDiagnosis(ctx).load(diagnosis.id);
  }

  @Authorized(...DIAGNOSIS_MANAGERS)
  @Mutation(() => DiagnosisStagePayload, { description: 'Set the dates, state and notes of one stage (created the first time)' })
  async diagnosisStageSet(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => DiagnosisStageSetInput) input: DiagnosisStageSetInput,
  ): Promise<DiagnosisStagePayload> {
    const { value, userErrors } = await setStage(ctx, input);
    return { diagnosisStage: value?.stage ?? null, diagnosis: value?.diagnosis ?? null, userErrors };
  }
}

declareNodeLookup(DiagnosisResolver, 'diagnosis', { type: Diagnosis, roles: DIAGNOSIS_READERS, byId: diagnosisById });

declareMutations(DiagnosisResolver, DIAGNOSIS_MANAGERS, DiagnosisPayload, {
  diagnosisCreate: { description: 'Start a diagnosis of needs and potential for a CUS', input: DiagnosisCreateInput, run: createDiagnosis },
  diagnosisUpdate: { description: 'Change the title, period or summary of a diagnosis in progress', input: DiagnosisUpdateInput, run: updateDiagnosis },
  diagnosisComplete: {
    description: 'IN_PROGRESS -> COMPLETED; needs at least one research activity and one need',
    input: DiagnosisIdInput,
    run: completeDiagnosis,
  },
  diagnosisArchive: { description: 'Retire a diagnosis; it stays readable as history', input: DiagnosisIdInput, run: archiveDiagnosis },
  researchActivityAdd: { input: ResearchActivityAddInput, run: addResearchActivity, payload: ResearchActivityPayload },
  researchActivityUpdate: { input: ResearchActivityUpdateInput, run: updateResearchActivity, payload: ResearchActivityPayload },
  diagnosisNeedAdd: { input: DiagnosisNeedAddInput, run: addNeed, payload: DiagnosisNeedPayload },
  diagnosisNeedUpdate: { input: DiagnosisNeedUpdateInput, run: updateNeed, payload: DiagnosisNeedPayload },
  diagnosisResourceAdd: { input: DiagnosisResourceAddInput, run: addResource, payload: DiagnosisResourcePayload },
  diagnosisResourceUpdate: { input: DiagnosisResourceUpdateInput, run: updateResource, payload: DiagnosisResourcePayload },
  researchActivityRemove: { input: DiagnosisItemRemoveInput, run: removal(removeResearchActivity), payload: DiagnosisItemRemovePayload },
  diagnosisNeedRemove: { input: DiagnosisItemRemoveInput, run: removal(removeNeed), payload: DiagnosisItemRemovePayload },
  diagnosisResourceRemove: { input: DiagnosisItemRemoveInput, run: removal(removeResource), payload: DiagnosisItemRemovePayload },
});

@Resolver(() => ResearchActivity)
export class ResearchActivityResolver {
  @FieldResolver(() => Diagnosis, { nullable: true })
  diagnosis(@Root() activity: ResearchActivity, @Ctx() ctx: RequestContext): Promise<Diagnosis | null> {
    return diagnosisById(ctx).load(activity.diagnosisId);
  }
}

@Resolver(() => DiagnosisNeed)
export class DiagnosisNeedResolver {
  @FieldResolver(() => Diagnosis, { nullable: true })
  diagnosis(@Root() need: DiagnosisNeed, @Ctx() ctx: RequestContext): Promise<Diagnosis | null> {
    return diagnosisById(ctx).load(need.diagnosisId);
  }
}

@Resolver(() => DiagnosisResource)
export class DiagnosisResourceResolver {
  @FieldResolver(() => Diagnosis, { nullable: true })
  diagnosis(@Root() resource: DiagnosisResource, @Ctx() ctx: RequestContext): Promise<Diagnosis | null> {
    return diagnosisById(ctx).load(resource.diagnosisId);
  }

  @FieldResolver(() => Partner, { nullable: true, description: 'The partner holding the resource, if it is one' })
  async partner(@Root() resource: DiagnosisResource, @Ctx() ctx: RequestContext): Promise<Partner | null> {
    return resource.partnerId ? partnerById(ctx).load(resource.partnerId) : null;
  }
}
