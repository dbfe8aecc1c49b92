import type { GraphQLResolveInfo } from 'graphql';
import { Field, ID, InterfaceType } from 'type-graphql';
import { badInput } from './errors.js';
import type { RequestContext } from './context.js';

/** Relay's Node: every major object has an opaque, globally unique id that `node(id:)` resolves. */
@InterfaceType({ description: 'An object with a globally unique, opaque id' })
export abstract class Node {
  /** The key of the row; every node type keys its rows by `id`. */
  abstract id: string | number;

  /**
   * Set on a historic copy of a row (a plan's goal as it stood at revision 3): the copy's global id
   * names the revision too. Client caches key objects by type and id, so a copy with the live row's id
   * overwrote the live row's fields in them.
   */
  declare asOf?: number;

  /** The GraphQL type name is the class name, so the global id is derived, never stored. */
  @Field(() => ID, { name: 'id', description: 'Opaque global id; pass it to node(id:) or to mutations' })
  get globalId(): string {
    return toGlobalId(this.constructor.name, keyAsOf(this.id, this.asOf));
  }
}

/** The key of a row, or of its copy as of a revision: `<key>@<revision>`. */
export const keyAsOf = (key: string | number, asOf: number | undefined): string | number => (asOf === undefined ? key : `${key}@${asOf}`);

/** Splits a key made by keyAsOf; a key without a revision is the live row's. */
export function splitKeyAsOf(key: string): { key: string; asOf?: number } {
  const at = key.lastIndexOf('@');
  if (at < 0) return { key };
  const asOf = Number(key.slice(at + 1));
  return Number.isSafeInteger(asOf) && asOf > 0 && String(asOf) === key.slice(at + 1) ? { key: key.slice(0, at), asOf } : { key: '' };
}

/** Encodes a global id: base64url of "Type:key". Opaque to clients, decodable by us. */
export function toGlobalId(type: string, key: string | number): string {
  return Buffer.from(`${type}:${key}`, 'utf8').toString('base64url');
}

export function fromGlobalId(globalId: string): { type: string; key: string } {
  const decoded = Buffer.from(globalId, 'base64url').toString('utf8');
  const at = decoded.indexOf(':');
  if (at <= 0 || at === decoded.length - 1 || toGlobalId(decoded.slice(0, at), decoded.slice(at + 1)) !== globalId) {
    throw badInput(`"${globalId.slice(0, 40)}" is not a valid id`);
  }
  return { type: decoded.slice(0, at), key: decoded.slice(at + 1) };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (key: string): boolean => UUID.test(key);

/** Decodes a global id that must name an object of `type` with a UUID key. */
export function uuidFromGlobalId(globalId: string, type: string, field = 'id'): string {
  const { type: actual, key } = fromGlobalId(globalId);
  if (actual !== type || !UUID.test(key)) throw badInput(`${field} must be the id of a ${type}`);
  return key;
}

/** `info` lets a fetcher note what the operation shows (residents' records are logged per read). */
type NodeFetcher = (ctx: RequestContext, key: string, info: GraphQLResolveInfo) => Promise<object | null>;
const fetchers = new Map<string, NodeFetcher>();

/** Each module registers how to load its node types by key (through the request's loaders, so scope applies). */
export function registerNodeType(type: string, fetch: NodeFetcher): void {
  fetchers.set(type, fetch);
}

export async function fetchNode(ctx: RequestContext, globalId: string, info: GraphQLResolveInfo): Promise<object | null> {
  const { type, key } = fromGlobalId(globalId);
  const fetch = fetchers.get(type);
  return fetch ? fetch(ctx, key, info) : null;
}
