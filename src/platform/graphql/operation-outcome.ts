import { ErrorCode } from './errors.js';

/** An error of a result as the transports see it: where it arose, and its client code. */
export interface ResultError {
  path?: readonly (string | number)[];
  code: string | undefined;
}

/**
 * Whether a result's errors fail its operation, which is then rolled back (over HTTP and WebSocket
 * alike). A field of the result that the principal may not read (FORBIDDEN below the operation's root
 * field: `@Authorized` on a field, such as a delivery's note for a services organiser) withholds that
 * field alone: the write the mutation was allowed to make, and checked, stands, so the rest of its
 * payload (the id, the version) describes what was saved, and the resident access log ties the reads
 * to rows that exist. Any other error, a refused root field among them, rolls the operation back.
 */
export function failsOperation(errors: readonly ResultError[]): boolean {
  return errors.some((error) => !(error.code === ErrorCode.FORBIDDEN && (error.path?.length ?? 0) > 1));
}
