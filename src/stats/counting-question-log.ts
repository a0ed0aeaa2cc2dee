import type { LogEntry, QuestionLog } from '../conversation/question-log.js';
import type { StatsCounters } from './counters.js';

/** The question log, counting each entry for statistics once it is written. */
export class CountingQuestionLog implements QuestionLog {
  constructor(
    private readonly inner: QuestionLog,
    private readonly counters: StatsCounters,
  ) {}

  async append(entry: LogEntry): Promise<void> {
    await this.inner.append(entry);
    // After the write: the counters must never hold what a restart would not rebuild.
    this.counters.add(entry);
  }

  readAll(): AsyncIterable<LogEntry> {
    return this.inner.readAll();
  }
}
