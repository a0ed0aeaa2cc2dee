import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { CallEntry, CallLog } from '../../stats/calls.js';

/**
 * Registered phone calls as JSON Lines, like the question log. Staff are told "registrerat" only
 * after the line has been handed to the file system.
 */
export class JsonlCallLog implements CallLog {
  private readonly stream: fs.WriteStream;

  constructor(private readonly file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.stream = fs.createWriteStream(file, { flags: 'a' });
  }

  append(entry: CallEntry): Promise<void> {
    return new Promise((resolve, reject) =>
      this.stream.write(`${JSON.stringify(entry)}\n`, (e) => (e ? reject(e) : resolve())),
    );
  }

  async *readAll(): AsyncIterable<CallEntry> {
    if (!fs.existsSync(this.file)) return;
    const lines = readline.createInterface({ input: fs.createReadStream(this.file), crlfDelay: Infinity });
    for await (const line of lines) {
      if (!line.trim()) continue;
      let entry: CallEntry;
      try {
        entry = JSON.parse(line) as CallEntry;
      } catch {
        // A line cut short by a crash mid-append: skip it, the rest of the log is intact.
        continue;
      }
      if (entry?.kind === 'call' && typeof entry.category === 'string' && typeof entry.at === 'string') yield entry;
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.stream.end(resolve));
  }
}
