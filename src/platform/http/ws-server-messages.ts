import type WebSocket from 'ws';

/** Message types only a server sends (graphql-ws PROTOCOL.md). */
const SERVER_TYPES = new Set(['connection_ack', 'next', 'error']);
/** graphql-ws's code for an invalid message (CloseCode.BadRequest). */
const CLOSE_BAD_REQUEST = 4400;

function sentByServer(data: unknown): boolean {
  const text = String(data);
  // Parse only what may be one: most messages are subscribes, pings and completes.
  if (!/"type"\s*:\s*"(connection_ack|next|error)"/.test(text)) return false;
  try {
    const message = JSON.parse(text) as { type?: unknown } | null;
    return typeof message?.type === 'string' && SERVER_TYPES.has(message.type);
  } catch {
    return false;
  }
}

/**
 * A client that sends a message only a server sends (next, error, connection_ack) makes graphql-ws
 * throw, close the connection with 4500 (internal error) and log to the console: the mistake is the
 * client's, and PROTOCOL.md answers an invalid message with 4400. Installed on each socket before
 * graphql-ws listens to it, so such a message never reaches graphql-ws.
 */
export function refuseServerMessages(socket: WebSocket): void {
  const emit = socket.emit.bind(socket);
  socket.emit = ((event: string | symbol, ...args: unknown[]): boolean => {
    if (event === 'message' && sentByServer(args[0])) {
      socket.close(CLOSE_BAD_REQUEST, 'Invalid message received');
      return true;
    }
    return emit(event, ...args);
  }) as typeof socket.emit;
}
