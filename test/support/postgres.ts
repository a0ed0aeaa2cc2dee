import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/**
 * A PostgreSQL server for tests: DATABASE_URL_TEST if set (its role needs CREATEDB), else a
 * throwaway cluster started from Debian's binaries on loopback and a socket in a temp folder.
 */
export interface TestPostgres {
  /** A connection URL to the server's `postgres` database (for creating databases). */
  adminUrl: string;
  /** A new empty database on the server; returns its URL. */
  freshDatabase(): Promise<string>;
  stop(): Promise<void>;
}

/** The bin folder of the newest installed PostgreSQL, if any. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return undefined;
  const versions = fs
    .readdirSync(root)
    .filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] && path.join(root, versions[0], 'bin');
}

/** Why PostgreSQL tests cannot run here, or undefined if they can. */
export function postgresUnavailable(): string | undefined {
  if (process.env.DATABASE_URL_TEST) return undefined;
  if (!postgresBinDir())
    return 'no PostgreSQL binaries under /usr/lib/postgresql/*/bin (apt-get install postgresql), and DATABASE_URL_TEST is not set';
  if (process.getuid?.() === 0 && !hasUser('postgres'))
    return 'running as root and there is no "postgres" user to run the server as';
  return undefined;
}

/**
 * In a mocha `before`: the server, or a skip with a notice saying why (never a silent pass).
 * Every test of the suite is then reported as pending.
 */
export async function postgresOrSkip(
  ctx: Mocha.Context,
  o: { fsync?: boolean } = {},
): Promise<TestPostgres> {
  const why = postgresUnavailable();
  if (why) {
    console.warn(`\n  ⚠ SKIPPED PostgreSQL tests "${ctx.test?.parent?.fullTitle()}": ${why}\n`);
    ctx.skip();
  }
  ctx.timeout(60_000);
  return startTestPostgres(o);
}

function hasUser(name: string): boolean {
  try {
    return fs
      .readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .some((l) => l.startsWith(`${name}:`));
  } catch {
    return false;
  }
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

export async function startTestPostgres(o: { fsync?: boolean } = {}): Promise<TestPostgres> {
  if (process.env.DATABASE_URL_TEST)
    return onServer(process.env.DATABASE_URL_TEST, async () => undefined);
  const bin = postgresBinDir()!;
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'wsh-pg-'));
  // The server refuses to run as root: the cluster belongs to "postgres" then.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) await run('chown', ['-R', 'postgres:postgres', dir]);
  const exec = (cmd: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args])
      : run(path.join(bin, cmd), args);
  const data = path.join(dir, 'data');
  const port = await freePort();
  await exec('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--locale=C',
    '--no-sync',
  ]);
  // fsync off for tests only (a test never survives a power cut); the bench keeps it on.
  const settings = [
    `-c listen_addresses=127.0.0.1`,
    `-p ${port}`,
    `-k ${dir}`,
    `-c fsync=${o.fsync ? 'on' : 'off'}`,
    '-c max_connections=200',
  ];
  await exec('pg_ctl', [
    '-D',
    data,
    '-l',
    path.join(dir, 'server.log'),
    '-w',
    '-t',
    '60',
    '-o',
    settings.join(' '),
    'start',
  ]);
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return onServer(adminUrl, async () => {
    await exec('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    await fsp.rm(dir, { recursive: true, force: true });
  });
}

function onServer(adminUrl: string, shutdown: () => Promise<void>): TestPostgres {
  const created: string[] = [];
  const admin = async <T>(work: (c: pg.Client) => Promise<T>) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  return {
    adminUrl,
    async freshDatabase() {
      const name = `wsh_test_${randomBytes(6).toString('hex')}`;
      await admin((c) => c.query(`CREATE DATABASE ${name}`));
      created.push(name);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return url.toString();
    },
    async stop() {
      // On a server we did not start, leave it as we found it.
      if (process.env.DATABASE_URL_TEST)
        await admin(async (c) => {
          for (const name of created) await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        });
      await shutdown();
    },
  };
}
