/**
 * One load-side process of bench/subscribers.ts: it holds a share of the dashboards' WebSocket
 * connections and notes, for each, every event that arrives and when. It speaks graphql-transport-ws
 * itself over a bare `ws` socket (connection_init with the token, one subscribe, answering pings)
 * and does nothing else per message than note the arrival time and the event id, so that its own
 * work stays small next to the server's; its event-loop delay and CPU time are reported with the
 * figures, so a busy client is seen rather than blamed on the server.
 *
 * Run by `fork()` only; it talks to its parent over IPC (see ClientCommand and ClientReply).
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { wallClock, wallClockDrift } from './wall-clock.js';

export interface SubscriberSpec {
  index: number;
  token: string;
  query: string;
  variables: Record<string, unknown>;
}

export type ClientCommand =
  { type: 'start'; wsUrl: string; subscribers: SubscriberSpec[]; connectConcurrency: number } | { type: 'count' } | { type: 'report' } | { type: 'close' };

export interface SubscriberReceipts {
  index: number;
  /** Event ids received, in arrival order (repeats kept: they are duplicates). */
  eventIds: string[];
  /** Arrival of each, in ms since the epoch (bench/wall-clock.ts). */
  arrivedAt: number[];
  /** Codes of the errors the subscription ended with (FORBIDDEN for those who may not follow plans). */
  errorCodes: string[];
  /** Messages that were neither an event nor an error. */
  other: number;
  connected: boolean;
}

export type ClientReply =
  | { type: 'ready'; connected: number; failed: number; failures: string[]; connectMs: number }
  | { type: 'count'; received: number; errors: number }
  | {
      type: 'report';
      subscribers: SubscriberReceipts[];
      /** Event-loop delay of this process while it received, in ms. */
      loopDelayMs: { p50: number; p99: number; max: number };
      /** CPU time this process used since it started connecting, in ms. */
      cpuMs: number;
      wallMs: number;
      /** How far this process's clock drifted from Date.now() between calibration and the report. */
      clockDriftMs: number;
    };

interface Connection {
  spec: SubscriberSpec;
  socket: WebSocket | null;
  receipts: SubscriberReceipts;
}

/** A `next` message carrying an event: graphql-ws writes id, type, then payload, and our events start with eventId. */
const NEXT_EVENT = /^\{"id":"1","type":"next","payload":\{"data":\{"\w+":\{"eventId":"(\d+)"/;

const connections: Connection[] = [];
let received = 0;
let errors = 0;
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
let cpuAtStart = process.cpuUsage();
let wallAtStart = performance.now();

const send = (reply: ClientReply) => process.send?.(reply);

/** Opens one connection and subscribes; resolves when acknowledged and subscribed, or when refused. */
function open(wsUrl: string, connection: Connection): Promise<string | null> {
  const { spec, receipts } = connection;
  return new Promise((resolve) => {
    let settled = false;
    const settle = (failure: string | null) => {
      if (settled) return;
      settled = true;
      resolve(failure);
    };
    const socket = new WebSocket(wsUrl, 'graphql-transport-ws', { perMessageDeflate: false });
    connection.socket = socket;
    socket.on('open', () => {
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${spec.token}` } }));
    });
    socket.on('message', (data: Buffer) => {
      const arrived = wallClock();
      const text = data.toString();
      // The common case, an event, without parsing the whole message: what the client does per message
      // is taken from the core the server shares with it.
      const fast = NEXT_EVENT.exec(text);
      if (fast) {
        receipts.eventIds.push(fast[1]);
        receipts.arrivedAt.push(arrived);
        received += 1;
        return;
      }
      const message = JSON.parse(text) as {
        type: string;
        id?: string;
        payload?: { data?: Record<string, { eventId?: string } | null>; errors?: { extensions?: { code?: string } }[] } | { extensions?: { code?: string } }[];
      };
      switch (message.type) {
        case 'next': {
          const payload = message.payload as { data?: Record<string, { eventId?: string } | null>; errors?: { extensions?: { code?: string } }[] };
          const event = payload.data ? Object.values(payload.data)[0] : null;
          if (event?.eventId !== undefined) {
            receipts.eventIds.push(event.eventId);
            receipts.arrivedAt.push(arrived);
            received += 1;
          } else if (payload.errors?.length) {
            for (const error of payload.errors) receipts.errorCodes.push(error.extensions?.code ?? 'UNKNOWN');
            errors += 1;
          } else {
            receipts.other += 1;
          }
          return;
        }
        case 'error': {
          for (const error of message.payload as { extensions?: { code?: string } }[]) receipts.errorCodes.push(error.extensions?.code ?? 'UNKNOWN');
          errors += 1;
          return;
        }
        case 'connection_ack':
          receipts.connected = true;
          socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: spec.query, variables: spec.variables } }));
          settle(null);
          return;
        case 'ping':
          socket.send(JSON.stringify({ type: 'pong' }));
          return;
        case 'complete':
          return;
        default:
          receipts.other += 1;
      }
    });
    socket.on('error', (error) => settle(error.message));
    socket.on('close', (code, reason) => settle(`closed ${code} ${reason.toString()}`));
  });
}

async function start(wsUrl: string, specs: SubscriberSpec[], concurrency: number): Promise<void> {
  cpuAtStart = process.cpuUsage();
  wallAtStart = performance.now();
  loopDelay.enable();
  for (const spec of specs) {
    connections.push({ spec, socket: null, receipts: { index: spec.index, eventIds: [], arrivedAt: [], errorCodes: [], other: 0, connected: false } });
  }
  const failures: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < connections.length) {
      const connection = connections[next++];
      const failure = await open(wsUrl, connection);
      if (failure) failures.push(`subscriber ${connection.spec.index}: ${failure}`);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, connections.length) }, worker));
  loopDelay.reset();
  send({
    type: 'ready',
    connected: connections.filter((c) => c.receipts.connected).length,
    failed: failures.length,
    failures: failures.slice(0, 5),
    connectMs: performance.now() - started,
  });
}

function report(): void {
  const cpu = process.cpuUsage(cpuAtStart);
  send({
    type: 'report',
    subscribers: connections.map((c) => c.receipts),
    loopDelayMs: { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
    cpuMs: (cpu.user + cpu.system) / 1000,
    wallMs: performance.now() - wallAtStart,
    clockDriftMs: wallClockDrift(),
  });
}

async function close(): Promise<void> {
  await Promise.all(
    connections.map(
      (c) =>
        new Promise<void>((resolve) => {
          const socket = c.socket;
          if (!socket || socket.readyState === WebSocket.CLOSED) return resolve();
          socket.once('close', () => resolve());
          socket.close(1000);
          setTimeout(() => {
            socket.terminate();
            resolve();
          }, 3000).unref();
        }),
    ),
  );
  process.disconnect?.();
}

process.on('message', (command: ClientCommand) => {
  switch (command.type) {
    case 'start':
      void start(command.wsUrl, command.subscribers, command.connectConcurrency);
      return;
    case 'count':
      send({ type: 'count', received, errors });
      return;
    case 'report':
      report();
      return;
    case 'close':
      void close();
      return;
  }
});
