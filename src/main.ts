import { ConfigError, loadConfig } from './config.js';
import { startApp } from './app.js';
import { createLog } from './log.js';

// The only reader of process.env: everything else gets the typed Config.
let config;
try {
  config = loadConfig(process.env);
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  process.stderr.write(`${e.message}\n`);
  process.exit(2);
}
const log = createLog(config.LOG_LEVEL);
const app = await startApp(config, { log }).catch((e: Error) => {
  log.fatal({ err: e.message }, 'could not start');
  process.exit(1);
});

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping: finishing what is in flight');
    app.stop().then(
      () => process.exit(0),
      (e: Error) => {
        log.error({ err: e.message }, 'stop failed');
        process.exit(1);
      },
    );
  });
}
