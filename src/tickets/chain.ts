import fs from 'node:fs/promises';
import { z } from 'zod';

/**
 * The support chain of an organisation: its levels in order, as configuration. Who sits at a
 * level and what it means to the user come from the organisation's own routine.
 */
const levelSchema = z.object({
  /** Short name shown on cards: "HMC support". */
  name: z.string().min(1).max(100),
  /** Who works there, for staff: "Hjälpmedelscentralens webSesam-support". */
  who: z.string().min(1).max(300),
  /** What it means to the user when the ticket reaches this level. */
  userNotice: z.string().min(1).max(500),
});

export const chainSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string().min(1).max(200),
  /** Where the chain comes from (the routine's title). */
  source: z.string().min(1).max(300),
  levels: z.array(levelSchema).min(1).max(10),
  /** How answers travel back, told to the user when a ticket is escalated. */
  answersReturn: z.string().min(1).max(500),
});

export type SupportChain = z.output<typeof chainSchema>;
export type ChainLevel = SupportChain['levels'][number];

export class ChainConfigError extends Error {}

/** Reads and checks a chain file; a broken file stops the start with the file's name. */
export async function loadChain(file: string): Promise<SupportChain> {
  let raw: unknown;
  try {
    raw = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (e) {
    throw new ChainConfigError(`Kunde inte läsa supportkedjan ${file}: ${(e as Error).message}`);
  }
  const parsed = chainSchema.safeParse(raw);
  if (!parsed.success)
    throw new ChainConfigError(`Felaktig supportkedja ${file}:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** The level a ticket is at; levels are 1-based like "nivå 1". */
export const levelOf = (chain: SupportChain, level: number): ChainLevel =>
  chain.levels[Math.min(Math.max(level, 1), chain.levels.length) - 1];
