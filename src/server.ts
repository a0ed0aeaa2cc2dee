import restify from 'restify';
import type { CloudAdapter, TurnContext } from 'botbuilder';
import type { Log } from './log.js';
import { checkIncoming } from './teams/incoming.js';

export interface ServerDeps {
  adapter: CloudAdapter;
  bot: { run(context: TurnContext): Promise<void> };
  log: Log;
  /** Largest accepted request body, in bytes. */
  maxBodyBytes?: number;
  /** Extra routes (the statistics tab, its API) added by feature modules. */
  routes?: ((server: restify.Server) => void)[];
}

/** The HTTP server: `POST /api/messages` for Bot Framework, `GET /healthz` for monitoring. */
export function createServer({ adapter, bot, log, maxBodyBytes = 256 * 1024, routes = [] }: ServerDeps): restify.Server {
  const server = restify.createServer({ name: 'websesam-hjalpen', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: maxBodyBytes, mapParams: false }));

  server.post('/api/messages', async (req, res) => {
    const check = checkIncoming(req.body);
    if (!check.ok) {
      res.send(400, { error: 'Ogiltig aktivitet', detail: check.problem });
      return;
    }
    // CloudAdapter checks the token and answers 401 itself.
    await adapter.process(req, res, (context) => bot.run(context));
  });

  server.get('/healthz', (_req, res, next) => {
    res.send(200, { status: 'ok' });
    next();
  });

  for (const add of routes) add(server);

  server.on('restifyError', (req: restify.Request, _res: restify.Response, err: Error & { statusCode?: number }, callback: () => void) => {
    log.warn({ method: req.method, path: req.path(), status: err.statusCode, err: err.message }, 'request refused');
    callback();
  });
  return server;
}
