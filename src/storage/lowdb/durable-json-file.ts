import fs from 'node:fs/promises';
import path from 'node:path';
import type { Adapter } from 'lowdb';

/**
 * A lowdb adapter whose write resolves only once the data is on disk.
 *
 * lowdb's own JSONFile (steno) writes a temp file and renames it, which survives a killed process
 * but not a power cut: it never fsyncs. We confirm tickets and notices to people only after a
 * write, so the write must be flushed: temp file, fsync, rename, fsync of the folder.
 * Writes are serialised; a write asked for while one runs is coalesced into the next one.
 */
export class DurableJsonFile<T> implements Adapter<T> {
  private running: Promise<void> | null = null;
  private queued: {
    data: T;
    waiters: { resolve: () => void; reject: (e: unknown) => void }[];
  } | null = null;

  constructor(private readonly file: string) {}

  async read(): Promise<T | null> {
    try {
      return JSON.parse(await fs.readFile(this.file, 'utf8')) as T;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new Error(`Kunde inte läsa ${this.file}: ${(e as Error).message}`);
    }
  }

  write(data: T): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.queued) {
        this.queued.data = data;
        this.queued.waiters.push({ resolve, reject });
      } else {
        this.queued = { data, waiters: [{ resolve, reject }] };
      }
      if (!this.running) this.running = this.drain();
    });
  }

  private async drain(): Promise<void> {
    while (this.queued) {
      const { data, waiters } = this.queued;
      this.queued = null;
      try {
        // Serialise at write time: the caller may go on mutating the object it handed us.
        await writeFileDurably(this.file, JSON.stringify(data));
        for (const w of waiters) w.resolve();
      } catch (e) {
        for (const w of waiters) w.reject(e);
      }
    }
    this.running = null;
  }
}

let tempCounter = 0;

/** Writes a whole file so that a crash leaves either the old or the new content, flushed to disk. */
export async function writeFileDurably(file: string, content: string): Promise<void> {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${++tempCounter}.tmp`);
  const handle = await fs.open(temp, 'w');
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(temp, file);
  await syncDirectory(dir);
}

export async function syncDirectory(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
