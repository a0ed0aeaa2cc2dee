/**
 * Runs every bench in this folder, one after another (they share 2 cores and must not disturb
 * each other's figures), each in its own process. `npm run bench`; `npm run bench -- fuzz flood`
 * runs only those. Exits non-zero if any bench did.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const benches = (await fs.readdir(here))
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .filter((f) => !only.length || only.includes(path.basename(f, '.ts')))
  .sort();

const results: { bench: string; exitCode: number | null; seconds: number }[] = [];
for (const file of benches) {
  process.stdout.write(`\n=== bench/${file} ===\n`);
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, file)], {
    stdio: 'inherit',
  });
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  results.push({
    bench: file,
    exitCode,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  });
}
process.stdout.write(
  `\n${results.map((r) => `${r.exitCode === 0 ? 'ok  ' : 'FAIL'} ${r.bench} (${r.seconds} s)`).join('\n')}\n`,
);
process.exitCode = results.every((r) => r.exitCode === 0) ? 0 : 1;
