import { buildClientSchema, getIntrospectionQuery, type GraphQLSchema, type IntrospectionQuery } from 'graphql';
import { harvestIds, type IdPool } from './id-pool.js';
import type { FuzzSchemas, RoleKey } from './cases.js';
import type { FuzzTarget } from './runner.js';

/** Before a run: the public survey schema (read by introspection, as a client would) and the pool of real ids. */
export async function prepareFuzz(target: FuzzTarget, main: GraphQLSchema): Promise<{ schemas: FuzzSchemas; ids: IdPool }> {
  const post = async (path: string, token: string | null, query: string) => {
    const response = await fetch(`${target.origin}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query }),
    });
    return (await response.json()) as { data?: unknown };
  };
  const readers: RoleKey[] = ['director', 'coordinator', 'partner', 'admin', 'ministry'];
  const ids = await harvestIds(
    main,
    readers.map((who) => (query: string) => post('/graphql', target.tokens[who], query)),
  );
  const introspection = await post('/public/graphql', null, getIntrospectionQuery());
  const publicSchema = introspection.data ? buildClientSchema(introspection.data as IntrospectionQuery) : undefined;
  return { schemas: { main, public: publicSchema }, ids };
}
