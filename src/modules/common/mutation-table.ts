import { Arg, Authorized, Ctx, Mutation, type ClassType } from 'type-graphql';
import type { Role } from '../../platform/auth/roles.js';
import type { RequestContext } from '../../platform/graphql/context.js';
import type { PayloadClass } from './payload.js';
import type { Result } from './result.js';

/**
 * One mutation of a table: what it does, its input type, and the service that runs it. `roles` and
 * `payload` default to the table's (declareMutations' arguments).
 */
export interface MutationRow<I extends object> {
  description?: string;
  deprecationReason?: string;
  input: ClassType<I>;
  run: (ctx: RequestContext, input: I) => Promise<Result<unknown>>;
  roles?: readonly Role[];
  payload?: PayloadClass;
}

/**
 * Declares a resolver's mutations from a table, each as if written
 * `@Authorized(...roles) @Mutation(() => Payload, { description }) async name(@Ctx() ctx, @Arg('input', () => Input) input)`
 * returning the service's result under the payload's key, with whatever else the result carries (a plan's
 * warnings): the scaffolding was the same for every one.
 * A mutation that does more than call its service stays a method of the class.
 */
export function declareMutations<Inputs extends Record<string, object>>(
  resolver: ClassType,
  roles: readonly Role[],
  payload: PayloadClass,
  rows: { [Name in keyof Inputs]: MutationRow<Inputs[Name]> },
): void {
  const prototype = resolver.prototype as Record<string, unknown>;
  for (const [name, row] of Object.entries(rows) as [string, MutationRow<object>][]) {
    if (name in prototype) throw new Error(`${resolver.name}.${name} is declared twice`);
    prototype[name] = async (ctx: RequestContext, input: object) => {
      const { value, ...rest } = await row.run(ctx, input);
      return { [(row.payload ?? payload).resultKey]: value, ...rest };
    };
    const descriptor = Object.getOwnPropertyDescriptor(prototype, name) as PropertyDescriptor;
    Ctx()(prototype, name, 0);
    Arg('input', () => row.input)(prototype, name, 1);
    Mutation(() => row.payload ?? payload, { description: row.description, deprecationReason: row.deprecationReason })(prototype, name, descriptor);
    Authorized(...(row.roles ?? roles))(prototype, name, descriptor);
  }
}
