import { plainCardText } from '../cards/render.js';
import {
  text,
  type MessageHandler,
  type Reply,
  type VerbHandler,
} from '../conversation/replies.js';
import type { Log } from '../log.js';
import type { LiveKnowledge } from './live-knowledge.js';
import { OUT_OF_SCOPE } from './taught-index.js';
import { teachTexts as T } from './teach-texts.js';
import { MAX_TAUGHT_LENGTH, TeachInputError, type Teaching } from './teaching.js';

// "ladda om kunskap", "Ladda om kunskapsbasen!"
const RELOAD_COMMAND = /^\s*ladda\s+om\s+kunskap(en|sbasen)?\s*[.!]*\s*$/i;

export interface KnowledgeChatDeps {
  teaching: Teaching;
  knowledge: LiveKnowledge;
  isStaff: (userId: string) => boolean;
  /** The (masked) question of a ticket, for "Lär boten" on its card. */
  ticketQuestion: (ticketId: string) => Promise<string | undefined>;
  log: Log;
}

const field = (data: Record<string, unknown>, key: string, max: number) =>
  typeof data[key] === 'string' ? (data[key] as string).slice(0, max) : '';

/** `ladda om kunskap` from staff, and the `knowledge.teach` verb of a resolved ticket's card. */
export function createKnowledgeChat(deps: KnowledgeChatDeps) {
  const { teaching, knowledge, isStaff, log } = deps;

  async function reload(): Promise<Reply[]> {
    try {
      const r = await knowledge.reload();
      log.info({ topics: r.topics, via: 'command' }, 'knowledge reloaded');
      return [text(T.reloaded(r.topics))];
    } catch (e) {
      log.warn({ err: (e as Error).message, via: 'command' }, 'knowledge reload failed');
      return [text(T.reloadFailed((e as Error).message))];
    }
  }

  /**
   * Before the knowledge base answers: the staff command, else a look whether another instance
   * taught something (one cheap query; the question goes on either way).
   */
  const handler: MessageHandler = async (requester, question) => {
    if (RELOAD_COMMAND.test(question))
      return isStaff(requester.userId) ? reload() : [text(T.reloadNotStaff)];
    try {
      await teaching.sync();
    } catch (e) {
      log.warn({ err: (e as Error).message }, 'taught phrases: could not check for changes');
    }
    return undefined;
  };

  const teachVerb: VerbHandler = async (requester, data) => {
    if (!isStaff(requester.userId)) return { replies: [text(T.notStaff)] };
    const typed = field(data, 'teachQuestion', 10 * MAX_TAUGHT_LENGTH);
    const question = typed.trim() ? typed : await deps.ticketQuestion(field(data, 'ticketId', 100));
    if (question === undefined) return { replies: [text(T.ticketGone)] };
    try {
      const { item, replaced } = await teaching.teach({
        question,
        topicId: field(data, 'teachTopicId', 200),
        by: { id: requester.userId, name: requester.name },
        via: 'ticket',
      });
      log.info({ id: item.id, topicId: item.topicId, via: 'ticket' }, 'phrase taught');
      const who = plainCardText(requester.name);
      const shown = plainCardText(item.question);
      const title = (id: string) => knowledge.topic(id)?.title ?? id;
      const lines = [
        item.topicId === OUT_OF_SCOPE
          ? T.taughtOutOfScope(shown, who)
          : T.taught(shown, plainCardText(title(item.topicId)), who),
      ];
      if (replaced && replaced.topicId !== item.topicId)
        lines.push(
          T.replaced(
            replaced.topicId === OUT_OF_SCOPE ? T.outOfScopeChoice : title(replaced.topicId),
          ),
        );
      return { replies: [text(lines.join(' '))] };
    } catch (e) {
      if (e instanceof TeachInputError) return { replies: [text(T.problem[e.problem])] };
      throw e;
    }
  };

  return {
    handler,
    /** The card verbs; the feature registers them. */
    verbs: { 'knowledge.teach': teachVerb },
  };
}
