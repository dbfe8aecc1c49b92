import http from 'node:http';
import { inspect } from 'node:util';
import type pg from 'pg';
import WebSocket from 'ws';
import { createClient, type ExecutionResult } from 'graphql-ws';
import { ALLOWED_CLOSE_CODES, errorViolations, httpViolations, mutationAccepted, operationTypeOf } from './checks.js';
import { changedTables, dataFingerprint, type Fingerprint } from './fingerprint.js';
import { describeCase, type FuzzCase, type RoleKey } from './cases.js';
import { INIT_WITH_TOKEN, type RawRequest } from './raw.js';
import type { GeneratedOperation } from './operations.js';
import { Watchdog } from './watchdog.js';

/**
 * Sends fuzz cases to a running server and checks each answer; `FuzzSession.check` is the property
 * both tests/fuzz.test.ts and the long campaign (scripts/fuzz-campaign.ts) run.
 */
export interface FuzzTarget {
  /** http://host:port (no path). */
  origin: string;
  tokens: Record<RoleKey, string | null>;
}

export interface Outcome {
  /** What came back, in one line (status, error codes). */
  summary: string;
  violations: string[];
  /** True when some mutation went through: the data may then change. */
  mayChangeData: boolean;
}

/** A case that gets no complete answer in this time is a hang. */
const ANSWER_TIMEOUT_MS = 20_000;
/** How long a subscription is listened to before it is ended. */
const SUBSCRIPTION_LISTEN_MS = 100;
/** A case still running after this long has hung the server (or its event loop): the watchdog ends the run. */
const HANG_LIMIT_MS = 90_000;
/** Quiet time after a raw socket's last frame before it is closed by the client. */
const SOCKET_SETTLE_MS = 100;

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

/** One HTTP request, sent exactly as given (method, path, headers, bytes). */
function send(origin: string, method: string, path: string, headers: Record<string, string>, body?: string | Uint8Array): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const url = new URL(origin);
    const request = http.request({ host: url.hostname, port: url.port, method, path, headers, agent, timeout: ANSWER_TIMEOUT_MS }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          contentType: String(response.headers['content-type'] ?? ''),
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`no answer in ${ANSWER_TIMEOUT_MS} ms`)));
    request.on('error', reject);
    request.end(body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body));
  });
}

/**
 * A request past what the server reads (a body over its 1 MB limit, a request line or headers over
 * Node's 16 kB) may be answered 413/431 and cut off while it is still being sent; the client then sees
 * the connection reset. That is the refusal, not a failure.
 */
async function sendOrCutOff(origin: string, method: string, path: string, headers: Record<string, string>, body?: string | Uint8Array): Promise<Answer | null> {
  try {
    return await send(origin, method, path, headers, body);
  } catch (error) {
    const bodySize = body === undefined ? 0 : typeof body === 'string' ? Buffer.byteLength(body) : body.length;
    const headSize = path.length + Object.entries(headers).reduce((sum, [k, v]) => sum + k.length + v.length, 0);
    if ((bodySize > 1_000_000 || headSize > http.maxHeaderSize) && /EPIPE|ECONNRESET|socket hang up/.test(String(error))) return null;
    throw error;
  }
}

const bearer = (token: string | null): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});
/** Per kind of case: how many, and their mean time in ms. */
export function describeStats(stats: SessionStats): string {
  return Object.entries(stats.byKind)
    .sort()
    .map(([kind, n]) => `${kind} ${n} (${Math.round((stats.msByKind[kind] ?? 0) / n)} ms)`)
    .join(', ');
}

/** The distinct error codes of a body, e.g. "BAD_USER_INPUT,FORBIDDEN". */
const codesOf = (body: Record<string, unknown> | undefined) =>
  Array.isArray(body?.errors) ? [...new Set((body.errors as { extensions?: { code?: string } }[]).map((e) => e.extensions?.code ?? '?'))].sort().join(',') : '';

async function httpOperation(target: FuzzTarget, path: string, token: string | null, method: 'GET' | 'POST', op: GeneratedOperation): Promise<Outcome> {
  let answer: Answer;
  if (method === 'GET') {
    const params = new URLSearchParams({ query: op.document });
    if (op.variables !== undefined) params.set('variables', op.variables);
    if (op.operationName !== undefined) params.set('operationName', op.operationName);
    const answered = await sendOrCutOff(target.origin, 'GET', `${path}?${params}`, { ...bearer(token), 'apollo-require-preflight': 'true' });
    if (!answered) return { summary: 'cut off (too large)', violations: [], mayChangeData: false };
    answer = answered;
  } else {
    const fields = [`"query":${JSON.stringify(op.document)}`];
    if (op.variables !== undefined) fields.push(`"variables":${op.variables}`);
    if (op.operationName !== undefined) fields.push(`"operationName":${JSON.stringify(op.operationName)}`);
    const answered = await sendOrCutOff(target.origin, 'POST', path, { ...bearer(token), 'content-type': 'application/json' }, `{${fields.join(',')}}`);
    if (!answered) return { summary: 'cut off (too large)', violations: [], mayChangeData: false };
    answer = answered;
  }
  const { violations, body } = httpViolations(method, path, undefined, answer);
  return {
    summary: `${answer.status} ${codesOf(body)}`,
    violations,
    mayChangeData: mutationAccepted(op.document, op.operationName, body),
  };
}

async function rawHttp(target: FuzzTarget, who: RoleKey, request: RawRequest): Promise<Outcome> {
  const headers = { ...request.headers };
  if (request.auth.kind === 'role') Object.assign(headers, bearer(target.tokens[who]));
  if (request.auth.kind === 'header') headers.authorization = request.auth.value;
  const answer = await sendOrCutOff(target.origin, request.method, request.path, headers, request.body);
  if (!answer) return { summary: 'cut off (too large)', violations: [], mayChangeData: false };
  const { violations, body } = httpViolations(request.method, request.path, headers.accept, answer);
  // A raw request may carry a well-formed mutation; if the server says it went through, the data may change.
  let document: string | undefined;
  let operationName: string | undefined;
  try {
    const sent =
      request.method === 'POST' && typeof request.body === 'string'
        ? JSON.parse(request.body)
        : Object.fromEntries(new URL(request.path, 'http://x').searchParams);
    document = typeof sent?.query === 'string' ? sent.query : undefined;
    operationName = typeof sent?.operationName === 'string' ? sent.operationName : undefined;
  } catch {
    document = undefined;
  }
  const accepted = body && 'data' in body && !('errors' in body) ? (document ? mutationAccepted(document, operationName, body) : true) : false;
  return { summary: `${answer.status} ${codesOf(body)}`, violations, mayChangeData: accepted };
}

/** An operation over graphql-ws, as a client library sends it. */
async function socketOperation(target: FuzzTarget, token: string | null, op: GeneratedOperation): Promise<Outcome> {
  const violations: string[] = [];
  let closeCode: number | undefined;
  let connected = false;
  const client = createClient({
    url: `${target.origin.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    lazy: true,
    retryAttempts: 0,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    on: {
      connected: () => {
        connected = true;
      },
      closed: (event) => {
        closeCode = (event as { code?: number }).code;
      },
    },
  });
  const results: ExecutionResult[] = [];
  let ended = '';
  let variables: Record<string, unknown> | undefined;
  // The client library refuses variables that are not an object before sending; malformed payloads go out as raw frames instead.
  try {
    const parsed: unknown = op.variables === undefined ? undefined : JSON.parse(op.variables);
    variables = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    variables = undefined;
  }
  try {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(
        () => {
          if (op.type === 'subscription') {
            ended = 'listened';
          } else {
            violations.push(`WebSocket: no answer to a ${op.type} in ${ANSWER_TIMEOUT_MS} ms`);
            ended = 'hang';
          }
          unsubscribe();
          resolve();
        },
        op.type === 'subscription' ? SUBSCRIPTION_LISTEN_MS : ANSWER_TIMEOUT_MS,
      );
      const unsubscribe = client.subscribe(
        { query: op.document, variables: variables, operationName: op.operationName },
        {
          next: (result) => {
            results.push(result as ExecutionResult);
          },
          error: (error) => {
            clearTimeout(timer);
            if (Array.isArray(error)) {
              ended = 'error';
              violations.push(...errorViolations(error, 'WebSocket error message'));
            } else {
              ended = `closed ${(error as { code?: number }).code ?? ''}`;
              const code = (error as { code?: number }).code;
              if (typeof code !== 'number' || !ALLOWED_CLOSE_CODES.has(code))
                violations.push(`WebSocket: closed with ${code ?? String(error)} (${String((error as { reason?: string }).reason ?? error)})`);
            }
            resolve();
          },
          complete: () => {
            clearTimeout(timer);
            ended ||= 'complete';
            resolve();
          },
        },
      );
    });
  } finally {
    // dispose() rethrows the close event of a connection that never opened (a refused token): already seen above.
    await Promise.resolve(client.dispose()).catch(() => undefined);
  }
  for (const result of results) {
    if (!result || typeof result !== 'object' || (!('data' in result) && !('errors' in result)))
      violations.push(`WebSocket: a result with neither data nor errors: ${JSON.stringify(result)}`);
    else if (result.errors) violations.push(...errorViolations(result.errors, 'WebSocket next'));
  }
  if (closeCode !== undefined && closeCode !== 1000 && !ALLOWED_CLOSE_CODES.has(closeCode)) violations.push(`WebSocket: closed with ${closeCode}`);
  // A mutation sent on an acknowledged connection whose answer never came (the socket closed first) may have gone through all the same.
  const unanswered = op.type === 'mutation' && connected && results.length === 0 && ended !== 'error';
  const accepted = op.type === 'mutation' && results.some((r) => mutationAccepted(op.document, op.operationName, r as Record<string, unknown>));
  return { summary: `ws ${ended} ${results.length} results`, violations, mayChangeData: accepted || unanswered };
}

/** A raw graphql-ws conversation, frame by frame, whatever the frames say. */
async function rawSocket(target: FuzzTarget, token: string | null, c: Extract<FuzzCase, { kind: 'raw-ws' }>): Promise<Outcome> {
  const violations: string[] = [];
  const url = `${target.origin.replace(/^http/, 'ws')}/graphql`;
  const socket = c.script.protocol === null ? new WebSocket(url) : new WebSocket(url, c.script.protocol);
  const messages: string[] = [];
  let serverClose: { code: number; reason: string } | undefined;
  let clientClosing = false;
  const closed = new Promise<void>((resolve) =>
    socket.on('close', (code, reason) => {
      if (!clientClosing) serverClose = { code, reason: String(reason) };
      resolve();
    }),
  );
  socket.on('message', (data) => messages.push(String(data)));
  const opened = await new Promise<string | null>((resolve) => {
    socket.once('open', () => resolve(null));
    socket.once('unexpected-response', (_req, res) => resolve(`upgrade answered ${res.statusCode}`));
    socket.once('error', (error) => resolve(String(error)));
  });
  if (opened !== null) {
    if (/ \b5\d\d\b/.test(opened)) violations.push(`WebSocket: ${opened}`);
    socket.terminate();
    return { summary: opened, violations, mayChangeData: false };
  }
  // Which subscribe ids carried which documents, to tell whether a result was a mutation that went through.
  const documents: { id: string; query: string; operationName?: string }[] = [];
  for (const frame of c.script.frames) {
    if (socket.readyState !== WebSocket.OPEN) break;
    if (frame === INIT_WITH_TOKEN) {
      socket.send(JSON.stringify({ type: 'connection_init', payload: token ? { authorization: `Bearer ${token}` } : {} }));
    } else {
      socket.send(frame);
      if (typeof frame === 'string') {
        try {
          const message = JSON.parse(frame);
          if (message?.type === 'subscribe' && typeof message.payload?.query === 'string') {
            documents.push({ id: String(message.id), query: message.payload.query, operationName: message.payload.operationName ?? undefined });
          }
        } catch {
          // not JSON: nothing to remember
        }
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, SOCKET_SETTLE_MS))]);
  clientClosing = true;
  if (socket.readyState === WebSocket.OPEN) socket.close(1000);
  await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 2_000))]);
  socket.terminate();

  let accepted = false;
  const answered = new Set<string>();
  for (const text of messages) {
    let message: { type?: string; id?: string; payload?: unknown };
    try {
      message = JSON.parse(text);
    } catch {
      violations.push(`WebSocket: a message that is not JSON: ${text.slice(0, 200)}`);
      continue;
    }
    if (message.type === 'error' || message.type === 'next') answered.add(String(message.id));
    if (message.type === 'error') violations.push(...errorViolations(message.payload, 'WebSocket error message'));
    if (message.type === 'next') {
      const payload = message.payload as Record<string, unknown> | undefined;
      if (!payload || (!('data' in payload) && !('errors' in payload))) violations.push(`WebSocket: next without data or errors: ${text.slice(0, 200)}`);
      else if ('errors' in payload) violations.push(...errorViolations(payload.errors, 'WebSocket next'));
      for (const sent of documents.filter((d) => d.id === String(message.id))) {
        if (operationTypeOf(sent.query, sent.operationName) === 'mutation' && mutationAccepted(sent.query, sent.operationName, payload)) accepted = true;
      }
    }
  }
  if (serverClose && !ALLOWED_CLOSE_CODES.has(serverClose.code))
    violations.push(`WebSocket: the server closed with ${serverClose.code} (${serverClose.reason})`);
  // A mutation without an answer (the socket closed first, or the id was reused) may have gone through all the same.
  const acknowledged = messages.some((text) => text.includes('"connection_ack"'));
  const unanswered = acknowledged && documents.some((sent) => !answered.has(sent.id) && operationTypeOf(sent.query, sent.operationName) === 'mutation');
  return {
    summary: `ws ${messages.length} messages, ${serverClose ? `closed ${serverClose.code}` : 'open'}`,
    violations,
    mayChangeData: accepted || unanswered,
  };
}

export async function runCase(target: FuzzTarget, c: FuzzCase): Promise<Outcome> {
  switch (c.kind) {
    case 'http':
      return httpOperation(target, '/graphql', target.tokens[c.who], c.method, c.operation);
    case 'public':
      return httpOperation(target, '/public/graphql', null, 'POST', c.operation);
    case 'ws':
      return socketOperation(target, target.tokens[c.who], c.operation);
    case 'raw-http':
      return rawHttp(target, c.who, c.request);
    case 'raw-ws':
      return rawSocket(target, target.tokens[c.who], c);
  }
}

export interface SessionStats {
  cases: number;
  byKind: Record<string, number>;
  /** Milliseconds spent per kind of case, fingerprints included. */
  msByKind: Record<string, number>;
  accepted: number;
  /** Root fields of the operations that went through (over HTTP and WebSocket), by name. */
  acceptedFields: Record<string, number>;
  /** Answers by HTTP status or WebSocket outcome, and top-level error codes. */
  outcomes: Record<string, number>;
}

/**
 * Runs cases one at a time against a server and a database nothing else writes to, and fails a case
 * that breaks a property: a violation in the answer, an unhandled rejection in this process, or a
 * change to the data by a case whose operations were all refused.
 */
export class FuzzSession {
  private baseline: Fingerprint | undefined;
  private readonly rejections: string[] = [];
  private readonly onRejection = (reason: unknown) => {
    this.rejections.push(reason instanceof Error ? `${reason.message}\n${reason.stack ?? ''}` : inspect(reason, { depth: 2 }).slice(0, 2_000));
  };
  readonly stats: SessionStats = { cases: 0, byKind: {}, msByKind: {}, accepted: 0, acceptedFields: {}, outcomes: {} };
  private readonly watchdog = new Watchdog(HANG_LIMIT_MS);

  constructor(
    private readonly target: FuzzTarget,
    private readonly owner: pg.Client,
    private readonly tables: string[],
  ) {
    process.on('unhandledRejection', this.onRejection);
  }

  async stop(): Promise<void> {
    process.off('unhandledRejection', this.onRejection);
    await this.watchdog.stop();
  }

  async check(c: FuzzCase): Promise<void> {
    this.watchdog.started(describeCase(c));
    const started = performance.now();
    try {
      this.baseline ??= await dataFingerprint(this.owner, this.tables);
      const outcome = await runCase(this.target, c);
      const after = await dataFingerprint(this.owner, this.tables);
      const violations = [...outcome.violations];
      if (!outcome.mayChangeData) {
        const changed = changedTables(this.baseline, after);
        if (changed.length > 0) violations.push(`the data changed although nothing was accepted: ${changed.join(', ')}`);
      }
      this.baseline = after;
      // Let a rejection the case caused surface before it is counted.
      await new Promise((resolve) => setImmediate(resolve));
      if (this.rejections.length > 0) violations.push(`unhandled rejection: ${this.rejections.splice(0).join('\n')}`);
      this.count(c, outcome, performance.now() - started);
      if (violations.length > 0) throw new Error(`${violations.join('\n')}\nanswer: ${outcome.summary}\ncase: ${describeCase(c)}`);
    } catch (error) {
      this.baseline = undefined;
      throw error;
    } finally {
      this.watchdog.ended();
    }
  }

  private count(c: FuzzCase, outcome: Outcome, ms: number): void {
    this.stats.cases += 1;
    this.stats.byKind[c.kind] = (this.stats.byKind[c.kind] ?? 0) + 1;
    this.stats.msByKind[c.kind] = (this.stats.msByKind[c.kind] ?? 0) + ms;
    if (outcome.mayChangeData) {
      this.stats.accepted += 1;
      if ('operation' in c) for (const field of c.operation.rootFields) this.stats.acceptedFields[field] = (this.stats.acceptedFields[field] ?? 0) + 1;
    }
    const key = outcome.summary.split(' ').slice(0, 2).join(' ').trim();
    this.stats.outcomes[key] = (this.stats.outcomes[key] ?? 0) + 1;
  }
}
