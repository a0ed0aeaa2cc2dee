import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config.js';
import { KnowledgeFileError, loadTopics } from '../../src/knowledge/load.js';
import { fold } from '../../src/knowledge/text.js';
import { tempDir } from '../support/bot.js';

const SHARED = path.resolve(PROJECT_ROOT, '..', 'shared');
const KNOWLEDGE = path.join(PROJECT_ROOT, 'knowledge');

describe('the knowledge base files', () => {
  it('every topic id of the evaluation exists and loads', async () => {
    const topics = await loadTopics(KNOWLEDGE);
    const ids = new Set(topics.filter((t) => t.kind === 'answer').map((t) => t.id));
    const listed = (await fs.readFile(path.join(SHARED, 'eval', 'topics.md'), 'utf8')).matchAll(
      /^\| ([a-z0-9-]+) \|/gm,
    );
    const missing = [...listed].map((m) => m[1]).filter((id) => id !== 'id' && !ids.has(id));
    assert.deepEqual(missing, []);
  });

  it("every section of the guide's table of contents has a topic", async () => {
    const guide = await fs.readFile(path.join(SHARED, 'seeds', '001_157a5857a9ca7dae.txt'), 'utf8');
    const toc = guide.slice(
      guide.indexOf('Innehåll'),
      guide.indexOf('Vad innehåller den här introduktionen (Läs först)?\n'),
    );
    const sections = toc
      .split('\n')
      .map((l) => l.match(/^(.+?)\t\d+$/)?.[1].trim())
      .filter((s): s is string => !!s)
      // The document's own title and its reading guide are not topics.
      .filter((s) => !/^Introduktion till webSesam$|^Vad innehåller/.test(s));
    assert.ok(sections.length > 20, `parsed ${sections.length} sections`);
    const sources = (await loadTopics(KNOWLEDGE)).map((t) => fold(t.source));
    const orphans = sections.filter((s) => !sources.some((src) => src.includes(fold(s))));
    assert.deepEqual(orphans, []);
  });

  it('answers carry no invented phone numbers or e-mail addresses', async () => {
    const seeds = (
      await Promise.all(
        (await fs.readdir(path.join(SHARED, 'seeds'))).map((f) =>
          fs.readFile(path.join(SHARED, 'seeds', f), 'utf8'),
        ),
      )
    ).join('\n');
    for (const topic of await loadTopics(KNOWLEDGE)) {
      const body = [
        topic.answer,
        ...topic.steps,
        ...topic.notes,
        ...topic.videos.map((v) => v.url),
        ...topic.links.map((l) => l.url),
      ].join('\n');
      for (const found of body.match(
        /[\w.]+@[\w.]+\.\w+|\b0\d{1,3}-[\d ]{5,}\d|https?:\/\/[^\s)]+/g,
      ) ?? [])
        assert.ok(seeds.includes(found.trim()), `${topic.file}: "${found}" is not in the seeds`);
    }
  });

  it('a broken file stops the start with an error that names the file', async () => {
    const dir = await tempDir();
    await fs.copyFile(path.join(KNOWLEDGE, 'retur.md'), path.join(dir, 'retur.md'));
    await fs.writeFile(path.join(dir, 'trasig.md'), '---\nid: Trasig Fil\ntitle: x\n---\n');
    await assert.rejects(
      loadTopics(dir),
      (e: Error) => e instanceof KnowledgeFileError && /trasig\.md/.test(e.message),
    );
    await fs.writeFile(path.join(dir, 'trasig.md'), '---\nid: [oj\n---\n');
    await assert.rejects(loadTopics(dir), /trasig\.md/);
  });
});
