import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/config.js';
import { startApp, type AppOptions, type RunningApp } from '../../src/app.js';
import { createLog } from '../../src/log.js';

export async function tempDir(prefix = 'wsh-test-'): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

/** A config for tests: port 0, no credentials, quiet logs, overrides on top. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ PORT: '0', LOG_LEVEL: 'silent', ...overrides });
}

/** Starts the real bot in this process, on its real HTTP endpoint. */
export async function startBot(config: Config, options: AppOptions = {}): Promise<RunningApp> {
  return startApp(config, { log: createLog(config.LOG_LEVEL), ...options });
}
