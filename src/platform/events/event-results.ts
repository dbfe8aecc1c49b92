import { createSourceEventStream, execute, GraphQLError, type ExecutionArgs, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { selectsOnlyEventFields } from './event-selection.js';

type Result = ExecutionResult | Promise<ExecutionResult>;

/**
 * What a subscription's events become: graphql-ws's `subscribe` hook.
 *
 * An event whose selection needs only the event's own fields (selectsOnlyEventFields) is executed
 * once for every subscriber with the same document, variables and role, instead of
 * once per subscriber. That is safe because the hub has already decided who receives the event (its
 * channel, then each subscriber's own filter), and such a selection reads nothing under the
 * subscriber's rights: the result depends on the event and the operation alone. (The role is part of
 * the key all the same, so that a field guarded by role could never be shared across roles.) The
 * results are held for as long as the event itself is, in a WeakMap keyed by it.
 *
 * Any other selection is executed per subscriber and event, by `readPerEvent` (an operation of its
 * own, under the subscriber's rights).
 */
export class SubscriptionResults {
  private readonly shared = new WeakMap<object, Map<string, Result>>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly readPerEvent: (args: ExecutionArgs, event: unknown) => Promise<ExecutionResult>,
  ) {}

  /** graphql-ws's `subscribe`: the stream of results of a subscription operation. */
  async subscribe(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
    const stream = await createSourceEventStream(args);
    if (!isAsyncIterator(stream)) return stream as ExecutionResult;
    if (!selectsOnlyEventFields(this.schema, args.document)) return mapEvents(stream, (event) => this.readPerEvent(args, event));
    const role = (args.contextValue as { principal: { role: string } }).principal.role;
    const key = `${role}\u0000${args.operationName ?? ''}\u0000${JSON.stringify(args.variableValues ?? {})}\u0000${args.document.loc?.source.body ?? JSON.stringify(args.document)}`;
    return mapEvents(stream, (event) => this.sharedResult(event as object, key, args));
  }

  private sharedResult(event: object, key: string, args: ExecutionArgs): Result {
    let results = this.shared.get(event);
    if (!results) this.shared.set(event, (results = new Map()));
    let result = results.get(key);
    if (!result) {
      result = execute({ ...args, rootValue: event });
      results.set(key, result);
    }
    return result;
  }
}

const isPromise = <T>(value: T | Promise<T>): value is Promise<T> => typeof (value as Promise<T>)?.then === 'function';

function isAsyncIterator<T>(value: unknown): value is AsyncIterableIterator<T> {
  return typeof (value as AsyncIterableIterator<T>)?.[Symbol.asyncIterator] === 'function';
}

/**
 * Maps a subscription's source events to results. A source that fails (a subscriber cut off for
 * falling behind, an expired token) ends the subscription with one coded error result instead of
 * an internal failure of the socket; unsubscribing ends the source at once.
 */
export function mapEvents<T>(source: AsyncIterableIterator<T>, map: (event: T) => Result): AsyncIterableIterator<ExecutionResult> {
  let ended = false;
  return {
    async next() {
      if (ended) return { value: undefined, done: true };
      try {
        const step = await source.next();
        if (step.done) return { value: undefined, done: true };
        const mapped = map(step.value);
        return { value: isPromise(mapped) ? await mapped : mapped, done: false };
      } catch (error) {
        ended = true;
        await source.return?.();
        const reported = error instanceof GraphQLError ? error : new GraphQLError((error as Error).message, { originalError: error as Error });
        return { value: { errors: [reported] }, done: false };
      }
    },
    async return() {
      ended = true;
      await source.return?.();
      return { value: undefined, done: true };
    },
    async throw(error: unknown) {
      ended = true;
      await source.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
