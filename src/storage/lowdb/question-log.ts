import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { LogEntry, QuestionLog } from '../../conversation/question-log.js';

/**
 * The question log as JSON Lines: one append per entry, so the cost of logging does not grow
 * with the log. Statistics are not confirmed to anyone, so a plain append (no fsync) will do.
 */
export class JsonlQuestionLog implements QuestionLog {
  private readonly stream: fs.WriteStream;

  constructor(private readonly file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.stream = fs.createWriteStream(file, { flags: 'a' });
  }

  append(entry: LogEntry): Promise<void> {
    return new Promise((resolve, reject) =>
      this.stream.write(`${JSON.stringify(entry)}\n`, (e) => (e ? reject(e) : resolve())),
    );
  }

  async *readAll(): AsyncIterable<LogEntry> {
    if (!fs.existsSync(this.file)) return;
    const lines = readline.createInterface({ input: fs.createReadStream(this.file), crlfDelay: Infinity });
    for await (const line of lines) {
      if (!line.trim()) continue;
      try {
        yield JSON.parse(line) as LogEntry;
      } catch {
        // A line cut short by a crash mid-append: skip it, the rest of the log is intact.
        continue;
      }
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.stream.end(resolve));
  }
}
