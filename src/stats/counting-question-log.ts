import type { LogEntry, QuestionLog } from '../conversation/question-log.js';
import type { StatsStore } from './store.js';

/**
 * The question log the conversation writes to: each entry is logged and counted in one step by
 * the statistics store. Reading goes to the plain log.
 */
export class CountingQuestionLog implements QuestionLog {
  constructor(
    private readonly store: Pick<StatsStore, 'append'>,
    private readonly plain: Pick<QuestionLog, 'readAll'>,
  ) {}

  append(entry: LogEntry): Promise<void> {
    return this.store.append(entry);
  }

  readAll(): AsyncIterable<LogEntry> {
    return this.plain.readAll();
  }
}
