import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { G } from '../seeds/demo/catalogue.js';
import { codes, Role, startTestApp, type TestApp } from './support/app.js';
// After the app: the server's modules load reflect-metadata, which type-graphql's decorators here need.
import { toGlobalId } from '../src/platform/graphql/node.js';
import { staff } from './support/fixtures.js';

/**
 * The one batched page-per-parent helper (src/platform/graphql/parent-pages.ts): pages of a nested list
 * asked for under many parents, each with its own first and after, come from one statement, and a bad
 * cursor fails its own field only. Reads the demo community plan of Wiązowna, which nothing changes.
 */
const DEMO_PLAN = toGlobalId('CommunityPlan', '0193a000-0000-7000-802d-000000000001');
const director = staff(Role.DIRECTOR, String(G.wiazowna).padStart(7, '0'));
const PAGE = 'edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage endCursor }';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
});

const activityStatements = () => app.statements.filter((sql) => /from community_activity/i.test(sql));

describe('pages of many parents', () => {
  test('three pages of one list, each its own first and after, in one statement, the slices of the whole list', async () => {
    const all = await app.gql(director, `query($id: ID!) { communityPlan(id: $id) { activities(first: 100) { ${PAGE} } } }`, { id: DEMO_PLAN });
    const edges = all.body.data.communityPlan.activities.edges as { cursor: string; node: { id: string } }[];
    expect(edges.length).toBeGreaterThanOrEqual(4);
    app.statements.length = 0;
    const res = await app.gql(
      director,
      `query($id: ID!, $a: String, $b: String) {
      p: communityPlan(id: $id) { activities(first: 2) { ${PAGE} } }
      q: communityPlan(id: $id) { activities(first: 2, after: $a) { ${PAGE} } }
      r: communityPlan(id: $id) { activities(first: 1, after: $b) { ${PAGE} } } }`,
      { id: DEMO_PLAN, a: edges[1].cursor, b: edges[2].cursor },
    );
    expect(res.body.errors).toBeUndefined();
    expect(activityStatements()).toHaveLength(1);
    const ids = (alias: string) => res.body.data[alias].activities.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(ids('p')).toEqual(edges.slice(0, 2).map((e) => e.node.id));
    expect(ids('q')).toEqual(edges.slice(2, 4).map((e) => e.node.id));
    expect(ids('r')).toEqual(edges.slice(3, 4).map((e) => e.node.id));
    expect(res.body.data.p.activities.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false, endCursor: edges[1].cursor });
    expect(res.body.data.q.activities.pageInfo).toMatchObject({ hasNextPage: edges.length > 4, hasPreviousPage: true, endCursor: edges[3].cursor });
  });

  test('a cursor of another list, or a forged one, is BAD_USER_INPUT on its own field; the others are served', async () => {
    const gminy = await app.gql(director, '{ gminy(first: 1, orderBy: NAME) { pageInfo { endCursor } } }');
    const foreign = gminy.body.data.gminy.pageInfo.endCursor as string;
    const forged = Buffer.from(JSON.stringify(['2020-01-01', "x' or true --"])).toString('base64url');
    for (const bad of [foreign, forged, 'not a cursor']) {
      const res = await app.gql(
        director,
        `query($id: ID!, $bad: String) {
        good: communityPlan(id: $id) { activities(first: 2) { ${PAGE} } }
        bad: communityPlan(id: $id) { activities(first: 2, after: $bad) { ${PAGE} } } }`,
        { id: DEMO_PLAN, bad },
      );
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.body.errors?.[0].message).toBe('after is not a cursor of this list');
      expect(res.body.errors?.[0].path).toEqual(['bad', 'activities']);
      expect(res.body.data.good.activities.edges).toHaveLength(2);
    }
  });
});
