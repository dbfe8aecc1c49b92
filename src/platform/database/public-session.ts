import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { publicActor, runAs } from '../auth/run-as.js';

/** What an unauthenticated request may name: the gmina whose public catalogue it reads, or a survey link. */
export interface PublicScope {
  gminy?: number[];
  surveyToken?: string;
}

/**
 * Runs `work` in one transaction as the PUBLIC principal (runAs): `app.role` is PUBLIC, which no
 * token can carry, and the policies grant it only what is published (active services, open survey
 * links). Reads run READ ONLY; writes commit only if `work` resolves.
 */
export function publicSession<T>(orm: MikroORM, scope: PublicScope, kind: 'read' | 'write', work: (em: EntityManager) => Promise<T>): Promise<T> {
  return runAs(orm, publicActor(scope), kind, work);
}
