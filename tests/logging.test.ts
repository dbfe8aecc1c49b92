import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Role, startTestApp, type TestApp } from './support/app.js';
import { redact } from '../src/platform/logger.js';

/**
 * Structured logs (issue 8, "Observability"): one JSON line per operation with the request id,
 * operation name, role and gminy; never a PESEL, health data or a token, wherever they travel.
 */
let app: TestApp;
const lines: string[] = [];
const PESEL = '50061404569';
const COORDINATOR = { role: Role.COORDINATOR, gminy: ['1417052'] };

beforeAll(async () => {
  const write = process.stderr.write.bind(process.stderr);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: any, ...rest: any[]) => {
    lines.push(String(chunk));
    return write(chunk, ...rest);
  });
  // Debug level: every SQL statement, parameters included, goes through the logger too.
  app = await startTestApp({ LOG_LEVEL: 'debug' });
});
afterAll(async () => {
  await app.close();
  vi.restoreAllMocks();
});

describe('logs', () => {
  it('log each operation with its request id, name, role and gminy, and echo the id to the client', async () => {
    const token = await app.token(COORDINATOR);
    const response = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': 'trace-abc-123' },
      body: JSON.stringify({ query: 'query WhoAmI { viewer { role } }' }),
    });
    expect(response.headers.get('x-request-id')).toBe('trace-abc-123');
    const entry = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'graphql operation' && l.requestId === 'trace-abc-123');
    expect(entry).toMatchObject({ level: 'info', operation: 'WhoAmI', type: 'query', role: 'COORDINATOR', gminy: ['1417052'], errors: [] });
    const made = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: '{"query":"{ viewer { role } }"}',
    });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('never carry a PESEL, health notes or a token, even when an operation with them fails', async () => {
    const token = await app.token(COORDINATOR);
    const create = `mutation($input: ResidentCreateInput!) { residentCreate(input: $input) { resident { id } userErrors { code } } }`;
    const input = { firstName: 'Krystyna', lastName: 'Logowa', gmina: '1417052', pesel: PESEL, sensitive: { healthNotes: 'cukrzyca typu 2' } };
    await app.gql(token, create, { input });
    await app.gql(token, create, { input }); // the second is a duplicate
    await app.gql(token, `{ residents(first: 5, filter: { nameContains: "${PESEL}" }) { nodes { id } } }`);
    await app.gql(token, `{ residents(first: 5, filter: { nameContains: 1${PESEL} }) { nodes { id } } }`); // refused: a number where text goes
    const text = lines.join('');
    expect(text).toContain('graphql operation');
    // The statements that stored and searched for it were logged (debug level), and it is in none of them.
    expect(text).toMatch(/"msg":"sql".*insert into \\"resident\\"/);
    expect(text).not.toContain(PESEL);
    expect(text).not.toContain('cukrzyca');
    expect(text).not.toContain(token);
    expect(text).not.toContain(token.split('.')[1]);
  });

  it('mask what slips into free text: a PESEL inside SQL or a message, a token in a header, secret fields by name', () => {
    expect(redact({ message: `select * from resident where pesel = '${PESEL}'` })).toEqual({ message: "select * from resident where pesel = '[redacted]'" });
    expect(redact({ headers: { authorization: 'Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl' } })).toEqual({
      headers: { authorization: '[redacted]' },
    });
    expect(redact({ error: 'token eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl expired' })).toEqual({ error: 'token [redacted] expired' });
    expect(redact({ input: { pesel: '123', healthNotes: 'x', disabilityLevel: 'SEVERE', name: 'Jan' } })).toEqual({
      input: { pesel: '[redacted]', healthNotes: '[redacted]', disabilityLevel: '[redacted]', name: 'Jan' },
    });
    // A filing number or an amount is not a PESEL: only exactly 11 digits are masked.
    expect(redact({ n: '123456789012', amount: '3124999.65' })).toEqual({ n: '123456789012', amount: '3124999.65' });
  });
});
