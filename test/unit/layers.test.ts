import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';

/** Every .ts file under src/, relative to the repository, with its import specifiers. */
async function sources(): Promise<{ file: string; imports: string[] }[]> {
  const files = (await fs.readdir('src', { recursive: true }))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join('src', f));
  return Promise.all(
    files.map(async (file) => {
      const text = await fs.readFile(file, 'utf8');
      const imports = [
        ...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/g),
      ]
        .map((m) => m[1])
        .concat([...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]));
      return { file, imports };
    }),
  );
}

const inside = (file: string, dir: string) => file.startsWith(`src/${dir}/`);
const resolved = (file: string, spec: string) =>
  spec.startsWith('.') ? path.join(path.dirname(file), spec) : spec;

describe('layers: what may import what', () => {
  it('reads the imports of every source file', async () => {
    const all = await sources();
    assert.ok(all.length > 50);
    const app = all.find((s) => s.file === 'src/app.ts');
    assert.ok(app?.imports.includes('./storage/open-stores.js'), JSON.stringify(app?.imports));
  });

  it('nothing outside src/storage/ imports lowdb, pg or a store implementation', async () => {
    const wrong = (await sources())
      .filter((s) => !inside(s.file, 'storage'))
      .flatMap((s) =>
        s.imports
          .map((spec) => resolved(s.file, spec))
          .filter(
            (spec) =>
              /^(lowdb|pg)(\/|$)/.test(spec) || /^src\/storage\/(lowdb|postgres)\//.test(spec),
          )
          .map((spec) => `${s.file}: ${spec}`),
      );
    assert.deepEqual(wrong, []);
  });

  it('every botbuilder import stays inside src/teams/', async () => {
    const wrong = (await sources())
      .filter((s) => !inside(s.file, 'teams'))
      .flatMap((s) =>
        s.imports.filter((spec) => /^botbuilder/.test(spec)).map((spec) => `${s.file}: ${spec}`),
      );
    assert.deepEqual(wrong, []);
  });
});
