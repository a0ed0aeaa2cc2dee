/**
 * Writes the taught phrases in force ("Lär boten") into the topic files' `phrases:` lists, as a
 * change to review in git:
 *
 *   npm run knowledge:export-taught                 # DATA_DIR, or DATABASE_URL when set
 *   npm run knowledge:export-taught -- --dry-run    # only lists what it would add
 *
 * The bot can keep running: it picks up the edited files by itself (file watch or
 * `ladda om kunskap`). Once merged, the taught phrases can be undone; the files answer them.
 */
import { loadConfig } from '../src/config.js';
import { exportTaught } from '../src/knowledge/export-taught.js';
import { writeFileDurably } from '../src/storage/lowdb/durable-json-file.js';
import { openStores } from '../src/storage/open-stores.js';

const dryRun = process.argv.includes('--dry-run');
const config = loadConfig(process.env);
const stores = await openStores(config);
try {
  const result = await exportTaught(config.KNOWLEDGE_DIR, await stores.taught.list(), {
    write: dryRun ? undefined : writeFileDurably,
  });
  for (const [file, phrases] of Object.entries(result.added)) {
    console.log(`${file}:`);
    for (const p of phrases) console.log(`  + ${p}`);
  }
  for (const s of result.skipped)
    console.log(
      `hoppade över "${s.question}" (${s.topicId}): ${s.why === 'no-file' ? 'ämnet har ingen fil' : 'frasen finns redan'}`,
    );
  const count = Object.values(result.added).flat().length;
  console.log(
    dryRun
      ? `${count} fraser skulle läggas till (--dry-run: inget skrevs).`
      : `${count} fraser tillagda i ${Object.keys(result.added).length} filer i ${config.KNOWLEDGE_DIR}. Granska med git diff.`,
  );
} finally {
  await stores.close();
}
