import { AppError, ErrorCode } from '../graphql/errors.js';

/**
 * A push-to-pull buffer between the event hub and one subscriber: the hub pushes without waiting,
 * the subscription pulls with `for await`. A subscriber that falls too far behind is ended with an
 * error instead of growing the server's memory; it can resume from the last event id it received.
 */
export class EventQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | null = null;
  private failWaiting: ((error: Error) => void) | null = null;
  private failure: Error | null = null;
  private closed = false;

  constructor(
    private readonly limit: number,
    private readonly onClose: () => void,
  ) {}

  push(item: T): void {
    if (this.closed) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = this.failWaiting = null;
      resolve({ value: item, done: false });
      return;
    }
    this.items.push(item);
    if (this.items.length > this.limit) {
      this.fail(
        new AppError(
          ErrorCode.SERVICE_UNAVAILABLE,
          `The subscriber fell more than ${this.limit} events behind; subscribe again with the last eventId received`,
        ),
      );
    }
  }

  /** Ends the stream with an error, after nothing more: queued items are dropped, since the subscriber will resume. */
  fail(error: Error): void {
    if (this.closed) return;
    this.items.length = 0;
    this.failure = error;
    this.close();
    if (this.failWaiting) {
      const reject = this.failWaiting;
      this.waiting = this.failWaiting = null;
      reject(error);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
    if (this.waiting && !this.failure) {
      const resolve = this.waiting;
      this.waiting = this.failWaiting = null;
      resolve({ value: undefined, done: true });
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.items.length > 0) return Promise.resolve({ value: this.items.shift() as T, done: false });
    if (this.failure) {
      const error = this.failure;
      this.failure = null;
      return Promise.reject(error);
    }
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failWaiting = reject;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
