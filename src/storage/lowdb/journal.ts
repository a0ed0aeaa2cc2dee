import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { syncDirectory, writeFileDurably } from './durable-json-file.js';

/**
 * An append-only JSON Lines file whose appends resolve once they are on disk (fsync).
 *
 * Appends that arrive while a flush runs are written together by the next one (group commit), so
 * a broadcast that enqueues 10,000 messages, or 50 sends a second that each record "sent", cost a
 * handful of fsyncs rather than one each.
 */
export class Journal {
  private handle: fs.FileHandle | undefined;
  /** A second, synchronous descriptor for recordNow (both append: each write lands whole at the end). */
  private syncFd: number | undefined;
  private buffer: string[] = [];
  private waiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  private flushing: Promise<void> | null = null;

  private constructor(readonly file: string) {}

  /** Reads every intact line, calls `compact` to decide what to keep, rewrites the file with it. */
  static async open(file: string, compact: (records: unknown[]) => unknown[]): Promise<Journal> {
    await fs.mkdir(path.dirname(file), { recursive: true });
    const records: unknown[] = [];
    let content = '';
    try {
      content = await fs.readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    for (const line of content.split('\n')) {
      if (!line.trim()) continue;
      try {
        records.push(JSON.parse(line));
      } catch {
        // Only the last line can be cut short (a crash mid-append); it was never confirmed.
        continue;
      }
    }
    const kept = compact(records);
    // Rewrite, then append: the journal stays as long as what is live, not as long as history.
    await writeFileDurably(file, kept.map((r) => `${JSON.stringify(r)}\n`).join(''));
    const journal = new Journal(file);
    journal.handle = await fs.open(file, 'a');
    journal.syncFd = fsSync.openSync(file, 'a');
    return journal;
  }

  /** Appends records; resolves once they are flushed to disk. */
  append(records: unknown[]): Promise<void> {
    if (!this.handle) return Promise.reject(new Error(`${this.file} is closed`));
    if (!records.length) return Promise.resolve();
    for (const r of records) this.buffer.push(`${JSON.stringify(r)}\n`);
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      if (!this.flushing) this.flushing = this.flush();
    });
  }

  /**
   * Writes records at once, synchronously, before the caller goes on: once this returns they
   * survive the process being killed (the kernel holds them), which is what keeps a send that
   * just happened from being sent again after a kill -9. The returned promise resolves when the
   * fsync that also makes them survive a power cut is done (in the next group commit).
   */
  recordNow(records: unknown[]): Promise<void> {
    if (this.syncFd === undefined) return Promise.reject(new Error(`${this.file} is closed`));
    if (!records.length) return Promise.resolve();
    try {
      fsSync.writeSync(this.syncFd, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    } catch (e) {
      return Promise.reject(e);
    }
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      if (!this.flushing) this.flushing = this.flush();
    });
  }

  private async flush(): Promise<void> {
    while (this.buffer.length || this.waiters.length) {
      const chunk = this.buffer.join('');
      const waiters = this.waiters;
      this.buffer = [];
      this.waiters = [];
      try {
        if (chunk) await this.handle!.write(chunk);
        await this.handle!.sync();
        for (const w of waiters) w.resolve();
      } catch (e) {
        for (const w of waiters) w.reject(e);
      }
    }
    this.flushing = null;
  }

  async close(): Promise<void> {
    if (this.flushing) await this.flushing;
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
    if (this.syncFd !== undefined) fsSync.closeSync(this.syncFd);
    this.syncFd = undefined;
    await syncDirectory(path.dirname(this.file));
  }
}
