import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawAsOwner, Role, startTestApp, type TestApp, type Who } from './support/app.js';
import { today } from './support/fixtures.js';
import { GMINA_KIND_LABELS, PARTNER_KIND_LABELS } from '../src/modules/report/report.labels.js';
import { AREA_LABELS, TARGET_GROUP_LABELS } from '../src/modules/common/domain.labels.js';
import { CSV_SELECTION, csvField } from '../src/modules/report/report-csv.js';

/**
 * Reports as an analyst reads them (issue 18): every dimension value named in Polish, and every report
 * also as CSV from /graphql (Accept: text/csv), with the same token, the same protection and the same
 * figures as its JSON answer.
 */
let app: TestApp;
const MINISTRY: Who = { role: Role.MINISTRY };
const ADMIN: Who = { role: Role.PLATFORM_ADMIN };
const YEAR = String(Number(today().slice(0, 4)) - 1);
const PERIOD = `from: "${YEAR}-01-01", to: "${YEAR}-12-31"`;
const KEYS = 'cells { keys { dimension code label } value suppressed }';

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
});

const labels = async (args: string) => {
  const res = await app.gql(MINISTRY, `{ ministryReport(${args}) { ${KEYS} } }`);
  expect(res.body.errors).toBeUndefined();
  return new Map<string, string>(res.body.data.ministryReport.cells.map((c: any) => [c.keys[0].code, c.keys[0].label]));
};

describe('labels', () => {
  it('name areas, target groups, kinds of gmina and partner, creation modes and months in Polish', async () => {
    expect(Object.fromEntries(await labels(`measure: DELIVERIES, groupBy: [AREA], ${PERIOD}`))).toEqual(AREA_LABELS);
    expect(Object.fromEntries(await labels('measure: SERVICES, groupBy: [TARGET_GROUP]'))).toEqual(TARGET_GROUP_LABELS);
    expect(Object.fromEntries(await labels(`measure: APPLICATIONS_RECEIVED, groupBy: [GMINA_KIND], ${PERIOD}`))).toEqual(GMINA_KIND_LABELS);
    expect(Object.fromEntries(await labels('measure: PARTNERS, groupBy: [PARTNER_KIND]'))).toEqual(PARTNER_KIND_LABELS);
    const modes = await labels('measure: CUS_UNITS, groupBy: [CREATION_MODE]');
    expect(modes.get('INTERMUNICIPAL_AGREEMENT')).toBe('porozumienie międzygminne');
    const months = await labels(`measure: PLANS_PREPARED, groupBy: [MONTH], ${PERIOD}`);
    expect(months.get(`${YEAR}-01`)).toBe(`styczeń ${YEAR}`);
    expect(months.get(`${YEAR}-09`)).toBe(`wrzesień ${YEAR}`);
  });

  it('name gminy as TERYT does, with their kind, and regions by their names', async () => {
    const gminy = await labels(`measure: APPLICATIONS_RECEIVED, groupBy: [GMINA], ${PERIOD}`);
    expect(gminy.get('1417082')).toBe('Wiązowna (gmina wiejska)');
    expect(gminy.get('0201011')).toBe('Bolesławiec (gmina miejska)');
    expect(gminy.get('0201043')).toBe('Nowogrodziec (gmina miejsko-wiejska)');
    expect((await labels(`measure: APPLICATIONS_RECEIVED, groupBy: [WOJEWODZTWO], ${PERIOD}`)).get('14')).toBe('mazowieckie');
    for (const [code, label] of gminy) expect(label, code).not.toBe(code);
  });
});

/** Splits RFC 4180 text (no quoted line breaks in these reports). */
const parseCsv = (text: string) =>
  text
    .replace(/\r\n$/, '')
    .split('\r\n')
    .map((line) => {
      const fields: string[] = [];
      for (const m of line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)) {
        if (m.index === line.length && m[0] === '' && fields.length > 0) break;
        fields.push(m[1].startsWith('"') ? m[1].slice(1, -1).replace(/""/g, '"') : m[1]);
      }
      return fields;
    });

describe('CSV', () => {
  const query = `query Table { ministryReport(measure: APPLICATIONS_RECEIVED, groupBy: [WOJEWODZTWO, GMINA_KIND], ${PERIOD}) { ${CSV_SELECTION} } }`;
  const csvPost = async (who: Who | null, body: Record<string, unknown>, accept = 'text/csv') =>
    fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept, ...(who ? { authorization: `Bearer ${await app.token(who)}` } : {}) },
      body: JSON.stringify(body),
    });

  it('gives the report as its JSON answer has it, one line per cell and per total, in UTF-8 with Polish names', async () => {
    const json = await app.gql(MINISTRY, query);
    expect(json.body.errors).toBeUndefined();
    const report = json.body.data.ministryReport;
    const res = await csvPost(MINISTRY, { query });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="applications_received-wojewodztwo-gmina_kind.csv"');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(new TextDecoder().decode(bytes.slice(3)));
    expect(rows[0]).toEqual(['województwo (kod)', 'województwo', 'rodzaj gminy (kod)', 'rodzaj gminy', 'wartość', 'ukryta']);
    const body = rows.slice(1);
    expect(body).toHaveLength(report.cells.length + report.rowTotals.length + report.columnTotals.length + 1);
    const asRow = (cell: any, keys: (any | null)[]) => [
      ...keys.flatMap((k) => (k ? [k.code, k.label] : ['', 'razem'])),
      cell.suppressed ? '' : String(cell.value),
      cell.suppressed ? 'tak' : 'nie',
    ];
    expect(body).toEqual([
      ...report.cells.map((c: any) => asRow(c, c.keys)),
      ...report.rowTotals.map((c: any) => asRow(c, [c.keys[0], null])),
      ...report.columnTotals.map((c: any) => asRow(c, [null, c.keys[0]])),
      asRow(report.total, [null, null]),
    ]);
    expect(body).toContainEqual(expect.arrayContaining(['14', 'mazowieckie', 'RURAL', 'gmina wiejska']));
  });

  it('writes a text a spreadsheet would take for a formula as text (a partner names itself), numbers as they are', () => {
    expect(csvField('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    for (const text of ['+48 600', '-cmd', '@SUM(A1)', '\tx']) expect(csvField(text)).toBe(`'${text}`);
    expect(csvField('-3')).toBe('-3');
    expect(csvField('12.5')).toBe('12.5');
    expect(csvField('Fundacja „Razem”, Wiązowna')).toBe('"Fundacja „Razem”, Wiązowna"');
  });

  it('is the same by GET, with the token as for any GET of /graphql', async () => {
    const url = new URL(app.url);
    url.searchParams.set('query', query);
    const get = await fetch(url, { headers: { accept: 'text/csv', authorization: `Bearer ${await app.token(MINISTRY)}`, 'apollo-require-preflight': 'true' } });
    expect(get.status).toBe(200);
    const post = await csvPost(MINISTRY, { query });
    expect(await get.text()).toBe(await post.text());
  });

  it('is refused without a token, as /graphql refuses it', async () => {
    const res = await csvPost(null, { query });
    expect(res.status).toBe(401);
  });

  it('gives a GraphQL error as JSON, and refuses a query that is not one report with a clear code', async () => {
    const staffOnly = await csvPost(MINISTRY, { query: '{ gminaReport(measure: APPLICATIONS_RECEIVED) { total { value } } }' });
    expect(staffOnly.headers.get('content-type')).toMatch(/json/);
    expect((await staffOnly.json()).errors.length).toBeGreaterThan(0);
    const notAReport = await csvPost(MINISTRY, { query: '{ __typename }' });
    expect(notAReport.status).toBe(406);
    expect((await notAReport.json()).errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('refuses a mutation before it runs, so nothing changes', async () => {
    const [before] = await rawAsOwner<{ refreshed_at: string | null }>('select refreshed_at::text from report_config');
    const res = await csvPost(ADMIN, { query: 'mutation { reportsRefresh { refreshedAt } }' });
    expect(res.status).toBe(406);
    expect((await res.json()).errors[0]).toMatchObject({ extensions: { code: 'BAD_REQUEST' } });
    const [after] = await rawAsOwner<{ refreshed_at: string | null }>('select refreshed_at::text from report_config');
    expect(after.refreshed_at).toBe(before.refreshed_at);
  });

  it('answers a client that accepts JSON too with JSON, as before', async () => {
    const res = await csvPost(MINISTRY, { query }, 'application/json, text/csv;q=0.5');
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
  });
});
