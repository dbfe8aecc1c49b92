import { createHash } from 'node:crypto';

/**
 * Stable ids for HSDS objects that have no row of their own (a location's address, a service's
 * attributes and cost option, an online service's virtual place, our taxonomy terms). HSDS wants a
 * UUID on every object, and a consumer that syncs the export must see the same id on every call.
 *
 * The id is the MD5 of `hsds:<kind>:<key>` shaped as a name-based (version 3) UUID. `derivedIdSql`
 * computes the same value in PostgreSQL, so rows can be looked up by a derived id in one statement.
 */
export function derivedId(kind: string, key: string): string {
  return asUuid(createHash('md5').update(`hsds:${kind}:${key}`).digest('hex'));
}

/** `derivedId(kind, <value of keyExpression>)` as a SQL expression; `kind` is one of our own constants. */
export function derivedIdSql(kind: string, keyExpression: string): string {
  return `overlay(overlay(md5('hsds:${kind}:' || (${keyExpression})::text) placing '3' from 13) placing '8' from 17)::uuid`;
}

/** 32 hex digits with the version (3) and variant (RFC 4122) digits set, in 8-4-4-4-12 form. */
function asUuid(hex: string): string {
  const h = `${hex.slice(0, 12)}3${hex.slice(13, 16)}8${hex.slice(17, 32)}`;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
