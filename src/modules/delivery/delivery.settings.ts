import type { MikroORM } from '@mikro-orm/postgresql';

/** DELIVERY_MAX_MINUTES_PER_DAY when a server registered none (README, Configuration). */
export const DEFAULT_MAX_MINUTES_PER_DAY = 720;

/**
 * DELIVERY_MAX_MINUTES_PER_DAY of each running server, by the ORM its requests use (a test process
 * runs several servers with settings of their own); registered when the server starts (src/app.ts).
 */
const maxMinutesPerDay = new WeakMap<MikroORM, number>();

export function registerDeliverySettings(orm: MikroORM, settings: { maxMinutesPerDay: number }): void {
  maxMinutesPerDay.set(orm, settings.maxMinutesPerDay);
}

/** The most delivered minutes one person receives on one day, across all providers. */
export function deliveryMaxMinutesPerDay(orm: MikroORM): number {
  return maxMinutesPerDay.get(orm) ?? DEFAULT_MAX_MINUTES_PER_DAY;
}
