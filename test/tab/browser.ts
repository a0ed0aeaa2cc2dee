import { createRequire } from 'node:module';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { chromium, type BrowserContext } from 'playwright-core';
import * as tar from 'tar';
import { PROJECT_ROOT } from '../../src/config.js';
import { tempDir } from '../support/bot.js';

/** Where a system Chromium lives, first found wins (Debian's package, then others). */
const SYSTEM_CHROMIUM = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

/** A browser to start: its executable and what its process needs in its environment. */
export interface ChromiumBinary {
  executablePath: string;
  env: Record<string, string>;
  /** Where it comes from, for messages: "system" or the npm package and version. */
  source: string;
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

let found: Promise<ChromiumBinary> | undefined;

/**
 * The system Chromium if there is one, else the Chromium that the npm package
 * @sparticuz/chromium ships inside its tarball (a headless shell for x64 Linux, with the NSS and
 * expat libraries and a font of its own), unpacked once into node_modules/.cache. Nothing is
 * downloaded. Throws, with what was tried, when neither is there: a test that needs a browser
 * then fails, it is never skipped.
 */
export function findChromium(): Promise<ChromiumBinary> {
  found ??= locate();
  return found;
}

async function locate(): Promise<ChromiumBinary> {
  const system = SYSTEM_CHROMIUM.find(isExecutableFile);
  if (system) return { executablePath: system, env: {}, source: 'system' };
  const tried = `no Chromium at ${SYSTEM_CHROMIUM.join(', ')}`;
  if (process.platform !== 'linux' || process.arch !== 'x64')
    throw new Error(
      `${tried}, and the npm package @sparticuz/chromium ships one for x64 Linux only (this is ${process.platform}-${process.arch}): install Chromium`,
    );
  let pkgDir: string;
  try {
    // The package's exports hide package.json: go up from its main file (build/cjs/index.cjs).
    const main = createRequire(import.meta.url).resolve('@sparticuz/chromium');
    pkgDir = path.resolve(path.dirname(main), '..', '..');
  } catch {
    throw new Error(
      `${tried}, and the devDependency @sparticuz/chromium is not installed: run npm install`,
    );
  }
  const version = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version;
  const dir = path.join(PROJECT_ROOT, 'node_modules', '.cache', `sparticuz-chromium-${version}`);
  if (!isExecutableFile(path.join(dir, 'chromium'))) await unpack(path.join(pkgDir, 'bin'), dir);
  return {
    executablePath: path.join(dir, 'chromium'),
    env: {
      LD_LIBRARY_PATH: [path.join(dir, 'lib'), process.env.LD_LIBRARY_PATH]
        .filter(Boolean)
        .join(':'),
      FONTCONFIG_PATH: dir,
    },
    source: `@sparticuz/chromium ${version}`,
  };
}

/**
 * Unpacks the package's brotli files beside each other, as the package itself does on AWS Lambda:
 * the browser, SwiftShader's GL libraries next to it, NSS and expat (al2023.tar.br) in lib/, the
 * font in fonts/, with a fonts.conf that also reads the system's fonts. Into a temp folder first,
 * then renamed, so a run cut short or a second run at the same time never sees half a browser.
 */
async function unpack(bin: string, dir: string): Promise<void> {
  const part = `${dir}.part-${process.pid}`;
  await fsp.rm(part, { recursive: true, force: true });
  await fsp.mkdir(part, { recursive: true });
  const brotli = (file: string) =>
    fs.createReadStream(path.join(bin, file)).pipe(zlib.createBrotliDecompress());
  await pipeline(
    brotli('chromium.br'),
    fs.createWriteStream(path.join(part, 'chromium'), { mode: 0o755 }),
  );
  await pipeline(brotli('swiftshader.tar.br'), tar.x({ cwd: part }));
  await fsp.mkdir(path.join(part, 'al2023'));
  await pipeline(brotli('al2023.tar.br'), tar.x({ cwd: path.join(part, 'al2023') }));
  await fsp.rename(path.join(part, 'al2023', 'lib'), path.join(part, 'lib'));
  await pipeline(brotli('fonts.tar.br'), tar.x({ cwd: part }));
  await fsp.writeFile(
    path.join(part, 'fonts.conf'),
    [
      '<?xml version="1.0"?>',
      '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
      '<fontconfig>',
      `  <dir>${path.join(dir, 'fonts')}</dir>`,
      '  <dir>/usr/share/fonts</dir>',
      '  <dir>/usr/local/share/fonts</dir>',
      `  <cachedir>${path.join(dir, 'fontconfig-cache')}</cachedir>`,
      '</fontconfig>',
      '',
    ].join('\n'),
  );
  try {
    await fsp.rename(part, dir);
  } catch (err) {
    // Another run unpacked it first: use theirs.
    await fsp.rm(part, { recursive: true, force: true });
    if (!isExecutableFile(path.join(dir, 'chromium'))) throw err;
  }
}

/** Chromium, headless, with a fresh profile and nothing reaching out to the network. */
export async function launchChromium(): Promise<{
  context: BrowserContext;
  close(): Promise<void>;
}> {
  const browser = await findChromium();
  const profile = await tempDir('wsh-chromium-');
  const context = await chromium
    .launchPersistentContext(profile, {
      executablePath: browser.executablePath,
      env: { ...process.env, ...browser.env },
      headless: true,
      acceptDownloads: true,
      viewport: { width: 1440, height: 900 },
      locale: 'sv-SE',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    })
    .catch((err: Error) => {
      throw new Error(
        `Chromium (${browser.source}, ${browser.executablePath}) did not start: ${err.message}`,
      );
    });
  return {
    context,
    async close() {
      await context.close();
      await fsp.rm(profile, { recursive: true, force: true });
    },
  };
}

/** A CSV as the tab writes it (BOM, semicolons, CRLF, quoted cells), back into rows. */
export function parseCsv(text: string): string[][] {
  assert(text.startsWith('\ufeff'), 'a BOM, so Excel reads UTF-8');
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const s = text.slice(1);
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ';') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && s[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  return rows;
}

function assert(ok: boolean, message: string): asserts ok {
  if (!ok) throw new Error(message);
}
