import fs from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { DurableJsonFile } from './durable-json-file.js';

/**
 * Opens one lowdb document under the data folder. Each collection has a file of its own, so a
 * busy collection does not rewrite the others.
 * `new Low(new …File())`, not JSONFilePreset: under NODE_ENV=test the preset quietly keeps data in memory.
 */
export async function openDocument<T>(dataDir: string, name: string, initial: T): Promise<Low<T>> {
  await fs.mkdir(dataDir, { recursive: true });
  const db = new Low<T>(new DurableJsonFile<T>(path.join(dataDir, `${name}.json`)), initial);
  await db.read();
  return db;
}
