import restify from 'restify';
import type { Log } from './log.js';
import { trackInFlight } from './http/drain.js';
import { registerMessages, type MessagesDeps } from './http/messages.js';

export interface ServerDeps {
  /** What `POST /api/messages` checks and runs (src/http/messages.ts). */
  messages: MessagesDeps;
  log: Log;
  /** Largest accepted request body, in bytes. */
  maxBodyBytes?: number;
  /** Extra routes (the statistics tab, its API) added by feature modules. */
  routes?: ((server: restify.Server) => void)[];
  /** More for /healthz (e.g. the knowledge base's state); status stays "ok". */
  health?: () => Record<string, unknown>;
  /** What an operator should know, e.g. that new tickets reach nobody; in `/healthz`. */
  warnings?: () => Promise<string[]>;
}

/** The HTTP server: `POST /api/messages` for Bot Framework, `GET /healthz` for monitoring. */
export function createServer({
  messages,
  log,
  maxBodyBytes = 256 * 1024,
  routes = [],
  health,
  warnings = async () => [],
}: ServerDeps): restify.Server {
  const server = restify.createServer({
    name: 'websesam-hjalpen',
    handleUncaughtExceptions: false,
  });
  trackInFlight(server); // first, so that a stop (closeGracefully) waits for every request
  server.use(restify.plugins.bodyParser({ maxBodySize: maxBodyBytes, mapParams: false }));

  registerMessages(server, messages);

  server.get('/healthz', async (_req, res) => {
    // Still 200: the bot runs; the warnings say what keeps part of it from doing its job.
    res.send(200, {
      status: 'ok',
      ...health?.(),
      warnings: await warnings().catch((e: Error) => [e.message]),
    });
  });

  for (const add of routes) add(server);

  server.on(
    'restifyError',
    (
      req: restify.Request,
      _res: restify.Response,
      err: Error & { statusCode?: number },
      callback: () => void,
    ) => {
      log.warn(
        { method: req.method, path: req.path(), status: err.statusCode, err: err.message },
        'request refused',
      );
      callback();
    },
  );
  return server;
}
