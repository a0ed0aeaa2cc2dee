import fs from 'node:fs/promises';
import path from 'node:path';
import matter from 'gray-matter';
import type { Affected } from './notice.js';

export type SelfHelp = Record<Affected, { title: string; steps: string[] }>;

/**
 * The self-help steps per kind of disruption, from `knowledge/driftstorning/<kind>.md` (a folder
 * of its own, so the knowledge base does not take them for topics). Editable by support.
 */
export async function loadSelfHelp(knowledgeDir: string): Promise<SelfHelp> {
  const result = {} as SelfHelp;
  for (const kind of ['alla', 'inloggning', 'bestallning', 'funktion'] as Affected[]) {
    const file = path.join(knowledgeDir, 'driftstorning', `${kind}.md`);
    let source = '';
    try {
      source = await fs.readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    const parsed = matter(source, {});
    const section = parsed.content.split(/^##\s+/m).find((s) => /^steg/i.test(s.trim())) ?? '';
    const steps = section
      .split('\n')
      .slice(1)
      .map((l) => l.match(/^\s*(?:\d+[.)]|[-*])\s+(.*)$/)?.[1]?.trim())
      .filter((s): s is string => !!s);
    result[kind] = { title: String(parsed.data.title ?? kind), steps };
  }
  return result;
}
