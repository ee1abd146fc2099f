import type http from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';

// Stopping `npm start` in order: the server stops accepting and finishes what it accepted
// (HTTP requests and WebSocket operations, within SHUTDOWN_GRACE_MS), then the pool closes,
// then the embedded PostgreSQL stops, then the process exits 0. Steps are registered as the
// process starts them and run in reverse, so a signal or a failure during startup stops only
// what was started.

/** How long the steps after the drain (pool, PostgreSQL) may take before the process gives up. */
const AFTER_GRACE_MS = 30_000;

export class Shutdown {
  private readonly steps: Array<{ name: string; run: () => Promise<void> }> = [];
  private running?: Promise<void>;

  constructor(
    private readonly logger: Logger,
    private readonly graceMs: number,
  ) {}

  /** Whether a stop has begun (startup failures after it are its consequence, not news). */
  get stopping(): boolean {
    return this.running !== undefined;
  }

  /** Registers what undoes a step of startup; the last registered runs first. */
  add(name: string, run: () => Promise<void>): void {
    this.steps.push({ name, run });
  }

  /** SIGINT and SIGTERM drain and exit 0; a second signal exits at once (1). */
  installSignalHandlers(): void {
    const onSignal = (signal: NodeJS.Signals) => {
      if (this.running) {
        this.logger.warn({ signal }, 'second signal while stopping: exiting now');
        process.exit(1);
      }
      void this.run(signal, 0);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }

  /** Runs every step (each failure is logged, the rest still run), then exits with `code`. */
  run(reason: string, code: number): Promise<void> {
    this.running ??= (async () => {
      this.logger.info({ reason, graceMs: this.graceMs }, 'stopping');
      const watchdog = setTimeout(() => {
        this.logger.error({ reason }, 'stopping took too long: exiting now');
        process.exit(1);
      }, this.graceMs + AFTER_GRACE_MS);
      watchdog.unref();
      let exitCode = code;
      for (const step of [...this.steps].reverse()) {
        try {
          await step.run();
          this.logger.info({ step: step.name }, 'stopped');
        } catch (err) {
          exitCode = exitCode || 1;
          this.logger.error({ err, step: step.name }, 'failed to stop cleanly');
        }
      }
      process.exit(exitCode);
    })();
    return this.running;
  }
}

/**
 * WebSocket operations (queries and mutations; subscriptions run until closed) in progress, so
 * that a drain can wait for them before it closes the sockets.
 */
export class InFlightOperations {
  private readonly bySocket = new Map<object, Set<string>>();
  private waiters: Array<() => void> = [];

  start(socket: object, id: string): void {
    let ids = this.bySocket.get(socket);
    if (!ids) this.bySocket.set(socket, (ids = new Set()));
    ids.add(id);
  }

  finish(socket: object, id?: string): void {
    const ids = this.bySocket.get(socket);
    if (ids && id !== undefined) ids.delete(id);
    if (!ids || id === undefined || ids.size === 0) this.bySocket.delete(socket);
    if (this.count === 0) for (const wake of this.waiters.splice(0)) wake();
  }

  get count(): number {
    let n = 0;
    for (const ids of this.bySocket.values()) n += ids.size;
    return n;
  }

  /** Resolves when none is in progress, or after `ms` (true if none is left). */
  idle(ms: number): Promise<boolean> {
    if (this.count === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(this.count === 0), ms);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}

/**
 * The drain of one http.Server carrying HTTP and graphql-ws: stop accepting connections, let
 * the requests and WebSocket operations in progress finish (within a grace period), then close
 * the WebSockets (1001 going away) and whatever is left. Apollo's own drain plugin counts an
 * upgraded WebSocket as an idle connection and ends it at once, cutting its operations.
 */
export class ServerDrain {
  readonly webSocketOperations = new InFlightOperations();
  /** Requests in progress per connection (upgraded connections are not HTTP any more). */
  private readonly pending = new Map<Socket, number>();
  private readonly upgraded = new WeakSet<Socket>();
  private readonly responses = new Set<http.ServerResponse>();
  private draining = false;
  private wake?: () => void;

  constructor(private readonly httpServer: http.Server) {
    httpServer.on('connection', (socket: Socket) => {
      this.pending.set(socket, 0);
      socket.once('close', () => {
        this.pending.delete(socket);
        this.check();
      });
    });
    httpServer.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      const socket = req.socket;
      this.pending.set(socket, (this.pending.get(socket) ?? 0) + 1);
      this.responses.add(res);
      if (this.draining) res.setHeader('Connection', 'close');
      let done = false;
      const finished = () => {
        if (done) return;
        done = true;
        this.responses.delete(res);
        const left = (this.pending.get(socket) ?? 1) - 1;
        if (this.pending.has(socket)) this.pending.set(socket, left);
        if (this.draining && left === 0) socket.end();
        this.check();
      };
      res.once('finish', finished);
      res.once('close', finished);
    });
    httpServer.on('upgrade', (_req: http.IncomingMessage, socket: Socket) => {
      this.upgraded.add(socket);
    });
  }

  /** HTTP requests in progress. */
  get httpRequests(): number {
    let n = 0;
    for (const [socket, count] of this.pending) if (!this.upgraded.has(socket)) n += count;
    return n;
  }

  /** Drains as described above; `closeWebSockets` closes the graphql-ws server. */
  async drain(graceMs: number, closeWebSockets: () => Promise<void>): Promise<void> {
    this.draining = true;
    const closed = new Promise<void>((resolve) => this.httpServer.close(() => resolve()));
    for (const res of this.responses) if (!res.headersSent) res.setHeader('Connection', 'close');
    for (const [socket, count] of this.pending) if (count === 0 && !this.upgraded.has(socket)) socket.end();
    await Promise.all([this.httpIdle(graceMs), this.webSocketOperations.idle(graceMs)]);
    // Past the grace period: what is still running is cut.
    for (const socket of this.pending.keys()) if (!this.upgraded.has(socket)) socket.destroy();
    await closeWebSockets();
    for (const socket of this.pending.keys()) socket.destroy();
    await closed;
  }

  private httpIdle(ms: number): Promise<void> {
    if (this.httpRequests === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private check(): void {
    if (this.wake && this.httpRequests === 0) {
      const wake = this.wake;
      this.wake = undefined;
      wake();
    }
  }
}
