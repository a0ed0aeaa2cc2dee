import type { Server, Request, Response, Next } from 'restify';

/**
 * Counts requests in flight so that a stop can wait for them: a turn that has started finishes its
 * writes and sends before the process exits. Requests arriving during the stop get 503 and a closed
 * connection, which a load balancer or the Bot Connector retries elsewhere or later.
 */
export function trackInFlight(server: Server) {
  const tracker = createTracker(server);
  trackers.set(server, tracker);
  return tracker;
}

const trackers = new WeakMap<Server, ReturnType<typeof createTracker>>();

/** Stops a server made by createServer: no new requests, the ones in flight finish (at most graceMs). */
export async function closeGracefully(server: Server, graceMs: number): Promise<void> {
  const tracker = trackers.get(server);
  if (tracker) return tracker.close(graceMs);
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

function createTracker(server: Server) {
  let inFlight = 0;
  let draining = false;
  let idle: (() => void) | undefined;

  server.pre((req: Request, res: Response, next: Next) => {
    if (draining) {
      res.setHeader('connection', 'close');
      res.send(503, { error: 'Tjänsten startar om' });
      return next(false);
    }
    inFlight++;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      inFlight--;
      if (inFlight === 0) idle?.();
    };
    res.once('finish', finish);
    res.once('close', finish);
    return next();
  });

  return {
    get inFlight() {
      return inFlight;
    },
    /** Stops accepting, waits for what is in flight (at most `graceMs`), then closes every connection. */
    async close(graceMs: number): Promise<void> {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.server.closeIdleConnections();
      if (inFlight > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          new Promise<void>((resolve) => (idle = resolve)),
          new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs))),
        ]);
        clearTimeout(timer);
      }
      server.server.closeAllConnections();
      await closed;
    },
  };
}
