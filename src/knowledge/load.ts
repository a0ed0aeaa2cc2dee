import fs from 'node:fs/promises';
import path from 'node:path';
import matter from 'gray-matter';
import { z } from 'zod';
import { KnowledgeFileError } from './errors.js';
import { lexiconDir, loadLexicon } from './lexicon.js';
import type { Topic } from './topic.js';

export { KnowledgeFileError };

const link = z.object({ title: z.string().min(1), url: z.url() });

const frontMatter = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'id: bara a–z, 0–9 och bindestreck'),
    title: z.string().min(1),
    category: z.string().min(1).optional(),
    kind: z.enum(['answer', 'out-of-scope']).default('answer'),
    reason: z.string().min(1).optional(),
    refer: z.enum(['it-support']).optional(),
    source: z.string().default(''),
    videos: z.array(link).default([]),
    links: z.array(link).default([]),
    keywords: z.array(z.coerce.string().min(1)).default([]),
    phrases: z.array(z.coerce.string().min(1)).default([]),
    requires: z.array(z.string().min(1)).optional(),
  })
  .refine((f) => f.kind === 'out-of-scope' || f.category, {
    message: 'category saknas',
    path: ['category'],
  })
  .refine((f) => f.kind === 'answer' || f.reason, {
    message: 'reason saknas (krävs för kind: out-of-scope)',
    path: ['reason'],
  });

/**
 * Reads every topic file in the folder and checks the lexicon in `lexikon/` beside them; a broken
 * file is an error that names it.
 */
export async function loadTopics(dir: string): Promise<Topic[]> {
  const names = (await fs.readdir(dir))
    .filter((n) => n.endsWith('.md') && n !== 'README.md')
    .sort();
  const topics: Topic[] = [];
  const seen = new Map<string, string>();
  for (const name of names) {
    const file = path.join(dir, name);
    const topic = parseTopic(await fs.readFile(file, 'utf8'), file);
    const earlier = seen.get(topic.id);
    if (earlier) throw new KnowledgeFileError(file, `id "${topic.id}" finns redan i ${earlier}`);
    seen.set(topic.id, file);
    topics.push(topic);
  }
  if (!topics.some((t) => t.kind === 'answer')) throw new Error(`Inga ämnen i ${dir}`);
  // The lexicon beside the topics is read by createKnowledge; a broken one fails here already.
  const lexicon = loadLexicon(
    lexiconDir(dir),
    new Set(topics.filter((t) => t.kind === 'out-of-scope').map((t) => t.id)),
  );
  for (const topic of topics)
    for (const name of topic.requires ?? [])
      if (!lexicon.concept(name))
        throw new KnowledgeFileError(
          topic.file,
          `requires: "${name}" är inget begrepp i lexikonet`,
        );
  return topics;
}

export function parseTopic(source: string, file: string): Topic {
  let parsed: matter.GrayMatterFile<string>;
  try {
    // An empty options object keeps gray-matter from caching by content across files.
    parsed = matter(source, {});
  } catch (e) {
    throw new KnowledgeFileError(file, `YAML-huvudet går inte att läsa (${(e as Error).message})`);
  }
  const fm = frontMatter.safeParse(parsed.data);
  if (!fm.success) throw new KnowledgeFileError(file, z.prettifyError(fm.error));
  const body = splitBody(parsed.content);
  if (fm.data.kind === 'answer' && !body.answer)
    throw new KnowledgeFileError(file, 'svarstexten saknas');
  return {
    ...fm.data,
    category: fm.data.category ?? 'Utanför webSesam',
    ...body,
    file,
  };
}

/** The body: the short answer, then optional "## Steg" (numbered) and "## Bra att veta" (bullets). */
function splitBody(markdown: string): Pick<Topic, 'answer' | 'steps' | 'notes'> {
  const sections = markdown.split(/^##\s+/m);
  const answer = sections[0].trim();
  let steps: string[] = [];
  let notes: string[] = [];
  for (const section of sections.slice(1)) {
    const [heading, ...rest] = section.split('\n');
    const lines = listItems(rest.join('\n'));
    if (/^steg/i.test(heading.trim())) steps = lines;
    else notes = notes.concat(lines);
  }
  return { answer, steps, notes };
}

/** List items of a Markdown list; an indented line continues (or nests under) the item above it. */
function listItems(markdown: string): string[] {
  const items: string[] = [];
  for (const line of markdown.split('\n')) {
    if (!line.trim()) continue;
    const item = line.match(/^(?:\d+[.)]|[-*])\s+(.*)$/);
    if (item) items.push(item[1].trim());
    else if (items.length) items[items.length - 1] += `\n${line.trim()}`;
    else items.push(line.trim());
  }
  return items;
}
