import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

/**
 * An append-only JSON Lines file: one append per entry, so the cost of writing does not grow with
 * the file. Nothing in it is confirmed to anyone as durable, so a plain append (no fsync) will do;
 * it survives the process being killed, since the kernel has the line once write() returns.
 */
export class JsonlLog<T> {
  private readonly stream: fs.WriteStream;

  /** `isEntry` drops lines of another shape when reading, e.g. from an older version. */
  constructor(
    private readonly file: string,
    private readonly isEntry: (value: unknown) => value is T = (value): value is T => value != null,
  ) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.stream = fs.createWriteStream(file, { flags: 'a' });
  }

  async append(entry: T): Promise<void> {
    await this.appendLine(entry);
  }

  /** Appends; resolves with the bytes the line took, so a reader can keep its place (stats.ts). */
  appendLine(entry: T): Promise<number> {
    const line = `${JSON.stringify(entry)}\n`;
    return new Promise((resolve, reject) =>
      this.stream.write(line, (e) => (e ? reject(e) : resolve(Buffer.byteLength(line)))),
    );
  }

  /** The entries from byte `start` (a line's start) up to byte `end` (exclusive), oldest first. */
  async *readAll(start = 0, end = Infinity): AsyncIterable<T> {
    if (!fs.existsSync(this.file) || end <= start) return;
    const lines = readline.createInterface({
      input: fs.createReadStream(this.file, { start, end: end - 1 }),
      crlfDelay: Infinity,
    });
    for await (const line of lines) {
      if (!line.trim()) continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        // A line cut short by a crash mid-append: skip it, the rest of the log is intact.
        continue;
      }
      if (this.isEntry(value)) yield value;
    }
  }

  get path(): string {
    return this.file;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.stream.end(resolve));
  }
}
