import type { LogEntry, QuestionLog } from '../conversation/question-log.js';

/** What the bot made of a question, for pre-filling a ticket opened from its reply. */
export interface RecentQuestion {
  userId: string;
  text: string;
  outcome: string;
  topicId: string | null;
}

export interface RecentQuestions {
  log: QuestionLog;
  /** The question, if it is recent and was asked by this user. */
  lookup(questionId: string, userId: string): RecentQuestion | undefined;
}

/**
 * Wraps the question log so that a ticket form can be pre-filled with the question and what the
 * bot answered. The card carries only the question id; the text stays on our side. Only the most
 * recent questions are kept, in memory: after a restart the form is simply empty.
 */
export function rememberRecentQuestions(log: QuestionLog, capacity = 5000): RecentQuestions {
  const recent = new Map<string, RecentQuestion>();

  function remember(entry: LogEntry) {
    if (entry.kind === 'question') {
      recent.set(entry.id, {
        userId: entry.userId,
        text: entry.text,
        outcome: entry.outcome,
        topicId: entry.topicId,
      });
      if (recent.size > capacity) recent.delete(recent.keys().next().value!);
    } else {
      // A choice from "Menade du …?" or feedback names the topic the user ended up with.
      const q = recent.get(entry.questionId);
      if (q && q.userId === entry.userId) q.topicId = entry.topicId;
    }
  }

  return {
    log: {
      async append(entry) {
        await log.append(entry);
        remember(entry);
      },
      readAll: () => log.readAll(),
    },
    lookup(questionId, userId) {
      const q = recent.get(questionId);
      return q && q.userId === userId ? q : undefined;
    },
  };
}
