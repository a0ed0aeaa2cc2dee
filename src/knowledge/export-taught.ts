import fs from 'node:fs/promises';
import path from 'node:path';
import { GENERAL_OUT_OF_SCOPE_TOPIC } from './live-knowledge.js';
import { loadTopics, parseTopic } from './load.js';
import { OUT_OF_SCOPE, taughtKey } from './taught-index.js';
import { withStatus, type TaughtPhrase } from './taught.js';

/**
 * Writes the phrases staff taught into the topic files' `phrases:` lists, so that they can be
 * reviewed in git and become part of the knowledge base. Out-of-scope phrases go to the general
 * out-of-scope topic. Only the lines of the list change: the rest of each file stays as written.
 */

export interface ExportResult {
  /** Topic file → phrases added to it. */
  added: Record<string, string[]>;
  /** Phrases the file already had (same content words), and phrases whose topic has no file. */
  skipped: { question: string; topicId: string; why: 'already-there' | 'no-file' }[];
}

/** The YAML of a phrase list item: a double-quoted string is JSON, and JSON is valid YAML. */
const item = (phrase: string) => `  - ${JSON.stringify(phrase)}`;

/** The source with the phrases appended to its front matter's `phrases:` list (made if missing). */
export function addPhrases(source: string, phrases: string[]): string {
  const eol = source.includes('\r\n') ? '\r\n' : '\n';
  const lines = source.split(/\r?\n/);
  if (lines[0] !== '---') throw new Error('no YAML front matter');
  const end = lines.indexOf('---', 1);
  if (end < 0) throw new Error('the YAML front matter does not end');
  const start = lines.findIndex((l, i) => i > 0 && i < end && /^phrases:\s*(\[\s*\])?\s*$/.test(l));
  const added = phrases.map(item);
  if (start < 0) lines.splice(end, 0, 'phrases:', ...added);
  else {
    lines[start] = 'phrases:';
    let last = start;
    // The list runs while lines are indented (items and their continuations) or blank.
    for (let i = start + 1; i < end && /^(\s+\S|\s*$)/.test(lines[i]); i++)
      if (lines[i].trim()) last = i;
    lines.splice(last + 1, 0, ...added);
  }
  return lines.join(eol);
}

/**
 * `write` puts a whole file on disk (the caller passes a durable write); without it nothing is
 * written, and the result says what would be added (a dry run).
 */
export async function exportTaught(
  dir: string,
  phrases: TaughtPhrase[],
  o: { write?: (file: string, content: string) => Promise<void> } = {},
): Promise<ExportResult> {
  const topics = await loadTopics(dir);
  const active = withStatus(phrases).filter((p) => p.status === 'active');
  const result: ExportResult = { added: {}, skipped: [] };
  const byFile = new Map<string, string[]>();
  for (const p of active) {
    const topicId = p.topicId === OUT_OF_SCOPE ? GENERAL_OUT_OF_SCOPE_TOPIC : p.topicId;
    const topic = topics.find((t) => t.id === topicId);
    if (!topic) {
      result.skipped.push({ question: p.question, topicId: p.topicId, why: 'no-file' });
      continue;
    }
    const known = new Set(topic.phrases.map(taughtKey));
    const list = byFile.get(topic.file) ?? [];
    if (known.has(p.key) || list.some((q) => taughtKey(q) === p.key)) {
      result.skipped.push({ question: p.question, topicId: p.topicId, why: 'already-there' });
      continue;
    }
    list.push(p.question);
    byFile.set(topic.file, list);
  }
  for (const [file, list] of byFile) {
    const next = addPhrases(await fs.readFile(file, 'utf8'), list);
    parseTopic(next, file); // a file this export would break is not written
    if (o.write) await o.write(file, next);
    result.added[path.relative(dir, file)] = list;
  }
  return result;
}
