import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createOrm } from '../src/app.js';
import { findRows } from '../src/platform/database/orm-extension/read-rows.js';
import { createRequestContext, inOperation, type RequestContext } from '../src/platform/graphql/context.js';
import { createLogger } from '../src/platform/logger.js';
import { Role } from '../src/platform/auth/roles.js';
import type { Principal } from '../src/platform/auth/principal.js';
import type { EventHub } from '../src/platform/events/event-hub.js';
import { entities } from '../src/modules/entities.js';

/**
 * Loaders read through findRows (src/platform/database/orm-extension/read-rows.ts): in a read-only operation, plain
 * instances of the entity classes built from SQL of its own, outside the identity map; in a mutation, MikroORM's managed
 * entities. Both must hold the same values as em.find gives, property by property and type by type
 * (dates as text, decimals as text, bigints as numbers, arrays as arrays), for every entity with rows.
 */
let orm: MikroORM;
let director: Principal;

beforeAll(async () => {
  orm = await createOrm(inject('appUrl'));
  const owner = new pg.Client({ connectionString: inject('ownerUrl') });
  await owner.connect();
  try {
    // The demo's centres and everything under them: the director of every demo gmina at once.
    const { rows } = await owner.query<{ id: number }>('select distinct unnest(served_gmina_ids) as id from cus_unit');
    director = { subject: 'read-rows-test', role: Role.DIRECTOR, gminy: rows.map((r) => r.id), partnerId: null, expiresAt: 0 };
  } finally {
    await owner.end();
  }
});
afterAll(async () => {
  await orm.close();
});

const settings = { deliveryMaxMinutesPerDay: 720, settlementBudgetWarningShare: 0.8, surveyMinResponses: 5 };
const context = () => createRequestContext(orm, director, createLogger('silent'), {} as EventHub, 0, settings);

describe('findRows', () => {
  test('reads in a query what em.find reads, for every entity with rows, and managed entities in a mutation', async () => {
    const compared: string[] = [];
    for (const entity of entities) {
      const meta = orm.getMetadata().get(entity);
      if (meta.embeddable || meta.virtual || meta.primaryKeys.length !== 1) continue;
      const key = meta.primaryKeys[0];
      const order = { [key]: 'asc' as const };
      const ctx: RequestContext = context();
      const reference = await inOperation(ctx, 'query', () => ctx.em.find(entity, {}, { limit: 30, orderBy: [order] }));
      const ids = reference.map((row) => (row as Record<string, unknown>)[key]);
      const reading = context();
      const plain = await inOperation(reading, 'query', async () => {
        const rows = await findRows(reading, entity, { [key]: { $in: ids } }, { orderBy: order });
        // Not managed: the operation's identity map holds none of them.
        for (const id of ids) expect(reading.em.getUnitOfWork().getById(entity, id as string)).toBeUndefined();
        return rows;
      });
      if (reference.length === 0) continue;
      compared.push(entity.name);
      expect(plain).toHaveLength(reference.length);
      for (const [i, row] of plain.entries()) {
        expect(row).toBeInstanceOf(entity);
        for (const prop of meta.props.filter((p) => p.persist !== false)) {
          const [ours, theirs] = [(row as Record<string, unknown>)[prop.name], (reference[i] as Record<string, unknown>)[prop.name]];
          expect({ entity: entity.name, property: prop.name, value: ours }).toEqual({ entity: entity.name, property: prop.name, value: theirs });
        }
      }
      // In a mutation the same call gives the entities of the operation's identity map, which a flush would save.
      const writing = context();
      await inOperation(
        writing,
        'mutation',
        async () => {
          const id = (reference[0] as Record<string, unknown>)[key];
          const [managed] = await findRows(writing, entity, { [key]: { $in: [id] } });
          expect(writing.em.getUnitOfWork().getById(entity, id as string)).toBe(managed);
        },
        () => true,
      );
    }
    // The demo seed fills most tables; a handful would mean the comparison lost its data.
    expect(compared.length).toBeGreaterThanOrEqual(15);
  }, 60_000);
});
