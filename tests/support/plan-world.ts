import { expect } from 'vitest';
import { Role, type TestApp, type Who } from './app.js';
import { createUnit, addDays, mutate, staff, today } from './fixtures.js';
import { addProgrammeService, adoptProgramme, createProgramme, createService } from './programme-fixtures.js';

/**
 * A gmina ready for plans, built through the API: a CUS unit, an active service listed in an adopted
 * programme, and a second gmina with its own unit to try to cross over from; residents and their
 * applications through the API too, as a coordinator files, assesses and qualifies them.
 */
export interface PlanRef {
  id: string;
  revision: number;
  goalIds: string[];
}

export interface PlanWorld {
  gmina: string;
  otherGmina: string;
  coordinator: Who;
  director: Who;
  organiser: Who;
  otherCoordinator: Who;
  otherDirector: Who;
  /** Roles that may not read plans at all. */
  outsiders: Who[];
  unitId: string;
  serviceId: string;
  /** A resident with a QUALIFIED application filed `daysAgo` days ago; returns the application's id. */
  application(daysAgo?: number): Promise<{ applicationId: string; residentId: string; filedOn: string }>;
  /** The input of a valid draft for `applicationId`. */
  draftInput(applicationId: string): Record<string, unknown>;
  draft(): Promise<PlanRef>;
  activePlan(): Promise<PlanRef>;
  /** Adds a monitoring note to an active plan; returns the new revision. */
  note(plan: PlanRef): Promise<number>;
  /** Takes a new plan from draft to completion; returns its id and the kind of each change, in order. */
  planThroughLifecycle(): Promise<{ id: string; kinds: string[] }>;
}

const PLAN = 'ipus { id revision status goals { id } }';

export async function planWorld(app: TestApp, gmina: string, otherGmina: string): Promise<PlanWorld> {
  const director = staff(Role.DIRECTOR, gmina);
  const coordinator = staff(Role.COORDINATOR, gmina);
  const { unit } = await createUnit(app, gmina);
  const { unit: otherUnit } = await createUnit(app, otherGmina);
  const service = await createService(app, director, unit.id, {
    name: 'Usługi opiekuńcze w domu',
    description: 'Pomoc w codziennych czynnościach w domu osoby starszej',
  });
  await mutate(app, director, 'serviceActivate', 'ServiceStatusChangeInput', 'service { id status }', { id: service.id, version: service.version });
  const programme = await createProgramme(app, director, unit.id, gmina);
  await addProgrammeService(app, director, programme.id, service.id);
  const start = `${today().slice(0, 4)}-01-01`;
  await adoptProgramme(app, director, programme.id, start, addDays(start, 3 * 365));
  expect(otherUnit.id).toBeTruthy();

  const world: PlanWorld = {
    gmina,
    otherGmina,
    coordinator,
    director,
    organiser: staff(Role.SERVICES_ORGANISER, gmina),
    otherCoordinator: staff(Role.COORDINATOR, otherGmina),
    otherDirector: staff(Role.DIRECTOR, otherGmina),
    outsiders: [
      staff(Role.GMINA_OFFICIAL, gmina),
      staff(Role.COMMUNITY_ORGANISER, gmina),
      { role: Role.PARTNER, partner: '0193a000-0000-7000-8000-0000000000aa' },
      { role: Role.MINISTRY },
      { role: Role.PLATFORM_ADMIN },
    ],
    unitId: unit.id,
    serviceId: service.id,

    application: (daysAgo = 5) => qualifiedApplication(app, gmina, daysAgo),

    draftInput(applicationId) {
      const periodStart = today();
      return {
        applicationId,
        periodStart,
        periodEnd: addDays(periodStart, 180),
        coordinatorName: 'Anna Koordynatorka',
        goals: [{ description: 'Samodzielne funkcjonowanie w domu' }, { description: 'Kontakt z sąsiadami' }],
        items: [
          {
            goal: 1,
            serviceId: service.id,
            provider: 'CUS',
            place: 'RESIDENT_HOME',
            weekly: { weekdays: ['TU', 'TH'], startsAt: '10:00', endsAt: '12:00' },
            startOn: periodStart,
            endOn: addDays(periodStart, 90),
            quantity: 4,
            quantityUnit: 'HOURS',
          },
        ],
        supportingActions: [{ description: 'Zakupy raz w tygodniu', giverKind: 'NEIGHBOUR', giverName: 'Pani Zofia' }],
      };
    },

    async draft() {
      const { applicationId } = await world.application();
      const created = await mutate(app, coordinator, 'ipusCreate', 'IpusCreateInput', `${PLAN} warnings`, world.draftInput(applicationId));
      return { id: created.ipus.id, revision: created.ipus.revision, goalIds: created.ipus.goals.map((g: { id: string }) => g.id) };
    },

    async activePlan() {
      const plan = await world.draft();
      const active = await activatePlan<{ status: string; revision: number }>(app, world, plan, PLAN);
      expect(active.status).toBe('ACTIVE');
      return { ...plan, revision: active.revision };
    },

    async note(plan) {
      const noted = await mutate(app, coordinator, 'ipusMonitoringNoteAdd', 'IpusNoteInput', PLAN, {
        id: plan.id,
        revision: plan.revision,
        note: `Wizyta monitorująca ${plan.revision}`,
      });
      plan.revision = noted.ipus.revision;
      return plan.revision;
    },

    async planThroughLifecycle() {
      const kinds = ['CREATED', 'EDITED', 'SUBMITTED', 'APPROVED', 'ACTIVATED', 'UPDATED', 'NOTE_ADDED', 'COMPLETED'];
      const plan = await world.draft();
      const step = async (who: Who, field: string, inputType: string, input: Record<string, unknown>) => {
        const payload = await mutate(app, who, field, inputType, PLAN, { id: plan.id, revision: plan.revision, ...input });
        plan.revision = payload.ipus.revision;
      };
      await step(coordinator, 'ipusUpdate', 'IpusUpdateInput', { coordinatorName: 'Anna Nowak' });
      await step(coordinator, 'ipusSubmit', 'IpusRevisionInput', {});
      await step(director, 'ipusApprove', 'IpusRevisionInput', {});
      await step(coordinator, 'ipusActivate', 'IpusActivateInput', { agreedOn: today(), agreementHow: 'ORALLY_IN_PERSON' });
      await step(coordinator, 'ipusUpdate', 'IpusUpdateInput', { supportingActions: [{ description: 'Spacer z wolontariuszem', giverKind: 'VOLUNTEER' }] });
      await world.note(plan);
      await step(coordinator, 'ipusComplete', 'IpusCompleteInput', {
        closingConversationOn: today(),
        goals: plan.goalIds.map((goalId) => ({ goalId, outcome: 'ACHIEVED', summary: 'Cel osiągnięty' })),
      });
      return { id: plan.id, kinds };
    },
  };
  return world;
}

/**
 * Takes a draft through submission (the coordinator), approval (the director) and the resident's
 * agreement today, in writing; returns the ACTIVE plan as `selection` (an `ipus { … }` selection) reads it.
 */
export async function activatePlan<T = Record<string, unknown>>(
  app: TestApp,
  world: Pick<PlanWorld, 'coordinator' | 'director'>,
  draft: { id: string; revision: number },
  selection: string,
): Promise<T> {
  const submitted = await mutate(app, world.coordinator, 'ipusSubmit', 'IpusRevisionInput', selection, { id: draft.id, revision: draft.revision });
  const approved = await mutate(app, world.director, 'ipusApprove', 'IpusRevisionInput', selection, { id: draft.id, revision: submitted.ipus.revision });
  const active = await mutate(app, world.coordinator, 'ipusActivate', 'IpusActivateInput', selection, {
    id: draft.id,
    revision: approved.ipus.revision,
    agreedOn: today(),
    agreementHow: 'IN_WRITING',
  });
  return active.ipus as T;
}

/** A new resident of `gmina` with a QUALIFIED application filed `daysAgo` days ago, the way a centre's coordinator does it through the API. */
export async function qualifiedApplication(app: TestApp, gmina: string, daysAgo = 5): Promise<{ applicationId: string; residentId: string; filedOn: string }> {
  const coordinator = staff(Role.COORDINATOR, gmina);
  const filedOn = addDays(today(), -daysAgo);
  const resident = await mutate(app, coordinator, 'residentCreate', 'ResidentCreateInput', 'resident { id }', {
    firstName: 'Helena',
    lastName: 'Planowa',
    gmina,
    address: { street: 'ul. Polna 3', postalCode: '42-290', city: 'Blachownia' },
  });
  const residentId = resident.resident.id;
  const filed = await mutate(app, coordinator, 'applicationFile', 'ApplicationFileInput', 'application { id version }', {
    residentId,
    filedOn,
    channel: 'IN_PERSON',
    filedBy: 'PERSON',
    requestedAreas: ['SOCIAL_ASSISTANCE'],
    requestText: 'Pomoc w domu',
  });
  const applicationId = filed.application.id;
  await mutate(app, coordinator, 'needsAssessmentRecord', 'NeedsAssessmentRecordInput', 'needsAssessment { id }', {
    applicationId,
    conversationOn: filedOn,
    place: 'RESIDENT_HOME',
    coordinatorName: 'Anna Koordynatorka',
    needs: [{ area: 'SOCIAL_ASSISTANCE', description: 'Pomoc w codziennych czynnościach' }],
  });
  await mutate(app, coordinator, 'applicationQualify', 'ApplicationQualifyInput', 'application { status }', {
    id: applicationId,
    version: filed.application.version,
    decidedOn: filedOn,
  });
  return { applicationId, residentId, filedOn };
}
