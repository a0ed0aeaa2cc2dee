import type { AskResult, Knowledge } from './knowledge.js';
import {
  createTaughtIndex,
  DEFAULT_TAUGHT_THRESHOLD,
  OUT_OF_SCOPE,
  type TaughtEntry,
  type TaughtIndex,
} from './taught-index.js';
import type { Topic } from './topic.js';

/**
 * The knowledge the bot answers from right now: the topic files as last loaded, and in front of
 * them the phrases support staff taught. Both can be replaced while the bot runs: a reload swaps
 * in a new knowledge base only once every file has loaded, so a broken file keeps the old one.
 */

/** What the composition root builds from the topic folder (topics and the matcher over them). */
export interface BuiltKnowledge {
  knowledge: Knowledge;
  topics: Topic[];
}

/** The out-of-scope topic whose reason a phrase taught as "utanför webSesam" answers with. */
export const GENERAL_OUT_OF_SCOPE_TOPIC = 'utanfor-ovrigt';

export interface LiveKnowledgeOptions {
  /** Builds the knowledge from the files; throws (naming the file) on a broken one. */
  build: () => Promise<BuiltKnowledge>;
  /** What a taught out-of-scope phrase says when no general out-of-scope topic gives a reason. */
  outOfScopeReason: string;
  taughtThreshold?: number;
  now: () => Date;
}

export interface ReloadFailure {
  /** The broken file, if the error names one. */
  file: string | null;
  message: string;
  at: string;
}

export interface LiveKnowledge extends Knowledge {
  /**
   * Loads the files again. On success the new knowledge answers from the next question on; on a
   * failure the current one stays, and the failure is kept (see `lastFailure`) and thrown.
   */
  reload(): Promise<{ topics: number }>;
  /** Replaces the taught phrases (the active ones, oldest first). */
  setTaught(entries: TaughtEntry[]): void;
  /** The last reload's failure, until a reload succeeds. */
  lastFailure(): ReloadFailure | null;
  /** Whether a topic id can be taught: an answerable topic of the current files, or out of scope. */
  canTeach(topicId: string): boolean;
  /** When the files were last loaded, and how many taught phrases are matched. */
  state(): { loadedAt: string; topics: number; taught: number };
}

export async function createLiveKnowledge(o: LiveKnowledgeOptions): Promise<LiveKnowledge> {
  let built = await o.build();
  let loadedAt = o.now().toISOString();
  let taught: TaughtEntry[] = [];
  let index: TaughtIndex = createTaughtIndex([], built.topics, o.taughtThreshold);
  let failure: ReloadFailure | null = null;

  const reindex = () => {
    index = createTaughtIndex(taught, built.topics, o.taughtThreshold ?? DEFAULT_TAUGHT_THRESHOLD);
  };
  const outOfScopeTopic = (): Topic => {
    const general = built.topics.find(
      (t) => t.id === GENERAL_OUT_OF_SCOPE_TOPIC && t.kind === 'out-of-scope',
    );
    return (
      general ?? {
        id: OUT_OF_SCOPE,
        title: OUT_OF_SCOPE,
        category: '',
        source: '',
        kind: 'out-of-scope',
        reason: o.outOfScopeReason,
        videos: [],
        links: [],
        keywords: [],
        phrases: [],
        answer: '',
        steps: [],
        notes: [],
        file: '',
      }
    );
  };

  function ask(question: string): AskResult {
    const hit = index.match(question);
    if (hit) {
      const confidence = hit.similarity;
      if (hit.entry.topicId === OUT_OF_SCOPE)
        return { outcome: 'out-of-scope', topic: outOfScopeTopic(), confidence };
      const topic = built.knowledge.topic(hit.entry.topicId);
      // A topic removed from the files since it was taught: the knowledge base decides.
      if (topic) return { outcome: 'answered', topic, confidence };
    }
    return built.knowledge.ask(question);
  }

  return {
    ask,
    topic: (id) => built.knowledge.topic(id),
    topics: () => built.knowledge.topics(),
    categories: () => built.knowledge.categories(),
    async reload() {
      try {
        built = await o.build();
      } catch (e) {
        const message = (e as Error).message;
        failure = {
          file: (e as { file?: unknown }).file ? String((e as { file: unknown }).file) : null,
          message,
          at: o.now().toISOString(),
        };
        throw e;
      }
      failure = null;
      loadedAt = o.now().toISOString();
      reindex();
      return { topics: built.knowledge.topics().length };
    },
    setTaught(entries) {
      taught = entries;
      reindex();
    },
    lastFailure: () => failure,
    canTeach: (topicId) => topicId === OUT_OF_SCOPE || built.knowledge.topic(topicId) !== undefined,
    state: () => ({ loadedAt, topics: built.knowledge.topics().length, taught: index.size }),
  };
}
