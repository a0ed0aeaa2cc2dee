/** One asked question, as logged for statistics: the text is masked before it gets here. */
export interface QuestionLogEntry {
  kind: 'question';
  id: string;
  at: string;
  userId: string;
  conversationType: string;
  text: string;
  outcome: 'answered' | 'choices' | 'no-answer' | 'out-of-scope' | 'empty';
  topicId: string | null;
  category: string | null;
  confidence: number;
  suggestions: string[];
}

/** A click on "Hjälpte svaret?" or on a "Menade du …?" choice. */
export interface FeedbackLogEntry {
  kind: 'feedback' | 'choice';
  questionId: string;
  at: string;
  userId: string;
  topicId: string;
  helpful?: boolean;
}

export type LogEntry = QuestionLogEntry | FeedbackLogEntry;

/** An append-only log: writing one entry never rewrites the others. */
export interface QuestionLog {
  append(entry: LogEntry): Promise<void>;
  /** Every entry, oldest first (statistics read this once and keep counters). */
  readAll(): AsyncIterable<LogEntry>;
}
