import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { OperationTransaction } from '../graphql/context.js';

/** What an unauthenticated request may name: the gmina whose public catalogue it reads, or a survey link. */
export interface PublicScope {
  gminy?: number[];
  surveyToken?: string;
}

/**
 * Runs `work` in one transaction as the PUBLIC principal: `app.role` is PUBLIC, which no token can
 * carry, and the policies grant it only what is published (active services, open survey links).
 * Reads run READ ONLY; writes commit only if `work` resolves.
 */
export async function publicSession<T>(orm: MikroORM, scope: PublicScope, kind: 'read' | 'write', work: (em: EntityManager) => Promise<T>): Promise<T> {
  const variables = {
    'app.role': 'PUBLIC',
    'app.gminy': (scope.gminy ?? []).join(','),
    'app.partner_id': '',
    'app.user_id': '',
    'app.survey_token': scope.surveyToken ?? '',
  };
  const em = orm.em.fork({ session: { variables } }) as EntityManager;
  const transaction = new OperationTransaction(em);
  await transaction.begin(kind === 'read' ? 'query' : 'mutation');
  let result: T;
  try {
    result = await work(em);
  } catch (error) {
    await transaction.end(false).catch(() => undefined);
    throw error;
  }
  await transaction.end(true);
  return result;
}
