import type { WebSocket, WebSocketServer } from 'ws';

/** How often a tick pings its share of the connections (or each interval, when that is shorter). */
const TICK_MS = 250;

/**
 * Keep-alive for every WebSocket of a server, with one timer (graphql-ws's own keeps an interval, a
 * timeout and a listener per connection, which at 10,000 connections is most of an idle server's
 * work). Each connection is pinged once per interval, the pings spread over the interval a slice per
 * tick rather than all at once; one that has not answered its previous ping by its next turn is
 * dropped, so a vanished peer is let go within two intervals.
 */
export function keepConnectionsAlive(server: WebSocketServer, intervalMs: number): { stop(): void } {
  if (intervalMs <= 0) return { stop: () => undefined };
  const tickMs = Math.min(TICK_MS, intervalMs);
  const answered = new WeakMap<WebSocket, boolean>();
  const sockets = new Set<WebSocket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    answered.set(socket, true);
    socket.on('pong', () => answered.set(socket, true));
    socket.once('close', () => sockets.delete(socket));
  });

  let turn = sockets.values();
  const timer = setInterval(() => {
    // Never more than all of them in one tick, so no connection is visited twice in a tick.
    let due = Math.min(sockets.size, Math.ceil((sockets.size * tickMs) / intervalMs));
    while (due > 0) {
      const next = turn.next();
      if (next.done) {
        // A lap ends: the next one starts with the connections as they are now.
        turn = sockets.values();
        if (sockets.size === 0) return;
        continue;
      }
      due -= 1;
      const socket = next.value;
      if (socket.readyState !== socket.OPEN) continue;
      if (!answered.get(socket)) {
        socket.terminate();
        continue;
      }
      answered.set(socket, false);
      socket.ping();
    }
  }, tickMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
