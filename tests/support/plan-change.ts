import type { TestApp, Who } from './app.js';
import { mutate, today } from './fixtures.js';

/**
 * A material change of an ACTIVE plan, taken all the way (README, "Changing an active plan, and ending
 * one"): proposed by the coordinator with a reason, approved by the director, agreed by the resident
 * (recorded by the coordinator). Returns the last payload, selected as `selection` (which must select
 * `ipus { revision }`).
 */
export async function changeActivePlan(
  app: TestApp,
  people: { coordinator: Who; director: Who },
  plan: { id: string; revision: number },
  change: Record<string, unknown>,
  selection: string,
) {
  const proposed = await mutate(app, people.coordinator, 'ipusChangePropose', 'IpusChangeProposeInput', 'ipus { revision }', {
    id: plan.id,
    revision: plan.revision,
    reason: 'Zmiana potrzeb mieszkańca',
    ...change,
  });
  const approved = await mutate(app, people.director, 'ipusChangeApprove', 'IpusRevisionInput', 'ipus { revision }', {
    id: plan.id,
    revision: proposed.ipus.revision,
  });
  return mutate(app, people.coordinator, 'ipusChangeAgree', 'IpusActivateInput', selection, {
    id: plan.id,
    revision: approved.ipus.revision,
    agreedOn: today(),
    agreementHow: 'IN_WRITING',
  });
}
