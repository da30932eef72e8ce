import { GeneratorError } from './generator-error.js';
import { type ReconnectSettings, reconnectDelay } from './reconnect-delay.js';
import type { WebSocketConstructor, WebSocketLike } from './websocket-like.js';
import type { ServerMessage } from './wire-messages.js';

export interface ReconnectingSocketOptions {
  url: string;
  WebSocket: WebSocketConstructor;
  token?: string | undefined;
  service?: string | undefined;
  reconnect: ReconnectSettings;
  /**
   * How long one attempt may take to be ready (open and authenticated): a server that
   * never answers the handshake would otherwise hold the attempt until the OS gives up.
   */
  openTimeoutMs: number;
  /** The server said `ready`: authenticated, messages may be sent. */
  onReady(): void;
  onMessage(message: ServerMessage): void;
  /** The connection dropped (or could not open); another attempt follows. */
  onLost(error: GeneratorError): void;
  /** The server refused the credentials; no more attempts. */
  onRefused(error: GeneratorError): void;
  /** The server sent something that is not JSON, or not the protocol's shape. */
  onProtocolError(error: GeneratorError): void;
}

/** Close codes after which trying again cannot help: the credentials are wrong. */
const authenticationCloses = new Set([4001, 4008]);

/**
 * One websocket to the server at a time, authenticated by a first `auth` message (which
 * browsers can send where they cannot set headers), opened again after it drops, with
 * exponential backoff and jitter.
 */
export class ReconnectingSocket {
  private socket: WebSocketLike | undefined;
  private socketClosed: Promise<void> = Promise.resolve();
  private isReady = false;
  private started = false;
  private stopped = false;
  private attempt = 0;
  /** The wait before the next attempt, or the bound on the current one. */
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: ReconnectingSocketOptions) {}

  get ready(): boolean {
    return this.isReady;
  }

  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.open();
  }

  /** Sends when ready; callers check `ready` (a message sent otherwise is lost). */
  send(message: object): void {
    if (this.isReady) this.socket?.send(JSON.stringify(message));
  }

  /** Stops for good and closes the socket; settles once it is closed. */
  async close(): Promise<void> {
    this.stopped = true;
    this.isReady = false;
    clearTimeout(this.timer);
    this.socket?.close(1000, 'client closed');
    await this.socketClosed;
  }

  private open(): void {
    let socket: WebSocketLike;
    try {
      socket = new this.options.WebSocket(this.options.url);
    } catch (thrown) {
      const reason = thrown instanceof Error ? thrown.message : String(thrown);
      this.options.onLost(
        new GeneratorError('connection_lost', `Cannot open a websocket: ${reason}`),
      );
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    let timedOut = false;
    // Closing an attempt that is still connecting ends it with a close event: retried.
    this.timer = setTimeout(() => {
      timedOut = true;
      socket.close();
    }, this.options.openTimeoutMs);
    this.socketClosed = new Promise((resolve) =>
      socket.addEventListener('close', () => resolve()),
    );
    socket.addEventListener('open', () => {
      const { token, service } = this.options;
      if (this.socket !== socket || token === undefined) return;
      socket.send(
        JSON.stringify({
          message_type: 'auth',
          token,
          ...(service === undefined ? {} : { service }),
        }),
      );
    });
    socket.addEventListener('message', (event) => {
      if (this.socket === socket) this.receive(event.data);
    });
    // An error is always followed by a close, which says more.
    socket.addEventListener('error', () => {});
    socket.addEventListener('close', (event) => {
      if (this.socket !== socket) return;
      const { openTimeoutMs } = this.options;
      this.closed(
        event.code,
        timedOut ? `not ready within ${openTimeoutMs} ms` : event.reason,
      );
    });
  }

  private receive(data: unknown): void {
    let message: ServerMessage;
    try {
      message = JSON.parse(String(data)) as ServerMessage;
    } catch {
      this.protocolError('The server sent a message that is not JSON');
      return;
    }
    // `?.`: the JSON `null` is no message either; it is reported below.
    if (message?.message_type === 'info' && message.event === 'ready') {
      // A client that sends its token to an open server is told `ready` twice.
      if (this.isReady) return;
      clearTimeout(this.timer);
      this.isReady = true;
      this.attempt = 0;
      this.options.onReady();
      return;
    }
    try {
      this.options.onMessage(message);
    } catch (thrown) {
      // Thrown here it would be the socket's uncaught error, in the caller's process.
      const reason = thrown instanceof Error ? thrown.message : String(thrown);
      this.protocolError(`The server sent a message the client cannot read: ${reason}`);
    }
  }

  private protocolError(message: string): void {
    this.options.onProtocolError(new GeneratorError('protocol_error', message));
  }

  private closed(code: number, reason: string): void {
    clearTimeout(this.timer);
    this.socket = undefined;
    this.isReady = false;
    if (this.stopped) return;
    const told = reason === '' ? `code ${code}` : `${code}: ${reason}`;
    if (authenticationCloses.has(code)) {
      this.stopped = true;
      this.options.onRefused(
        new GeneratorError(
          'authentication_failed',
          `The server refused the connection (${told})`,
        ),
      );
      return;
    }
    this.options.onLost(
      new GeneratorError('connection_lost', `Connection closed (${told}); reconnecting`),
    );
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const delay = reconnectDelay(this.attempt++, this.options.reconnect);
    this.timer = setTimeout(() => this.open(), delay);
  }
}
