import type { AnswerCardData, ChoicesCardData, NoAnswerCardData } from '../cards/models.js';
import type { Knowledge } from '../knowledge/knowledge.js';
import type { Topic } from '../knowledge/topic.js';
import type { SupportContact } from '../texts.js';
import { texts } from '../texts.js';
import type { QuestionLog } from './question-log.js';
import {
  card,
  text,
  UnknownVerbError,
  type ActionResult,
  type MessageHandler,
  type Reply,
  type Requester,
  type VerbHandler,
} from './replies.js';
import type { VerbTable } from '../features/feature.js';

export interface ConversationDeps {
  knowledge: Knowledge;
  questionLog: QuestionLog;
  support: SupportContact;
  now: () => Date;
  newId: () => string;
  /** Handlers that get a question before the knowledge base does (commands, outages, tickets). */
  handlers?: MessageHandler[];
  /** A one-line notice to show on every answer while something is wrong, or null. */
  banner?: () => string | null;
  /** True once tickets can be opened: the no-answer card then offers one. */
  ticketsEnabled?: boolean;
  /**
   * For topics that send the user to their own IT support (`refer: it-support`): the contact
   * text for the user's tenant, and whether the card still offers a webSesam ticket.
   */
  itSupport?: { contact: (tenantId: string) => string; offerTicket: boolean };
}

export const MAX_QUESTION_LENGTH = 2000;

const GREETING =
  /^(hej|hejsan|hallo|hallå|tjena|tja|god ?(morgon|dag|kvall|kväll)|hello|hi)\b[\s!.,]*$/i;
const HELP = /^\s*(hjälp|hjalp|meny|menu|help|\?)\s*[!.?]*\s*$/i;

export type Conversation = ReturnType<typeof createConversation>;

/** The chat with a user: a question in, the replies out; and what the cards' buttons do. */
export function createConversation(deps: ConversationDeps) {
  const { knowledge, questionLog, support, now, newId } = deps;
  const handlers = deps.handlers ?? [];
  const verbs = new Map<string, VerbHandler>();

  function helpCard(): Reply {
    return card('help', { categories: knowledge.categories().map((name) => ({ name })) });
  }

  function answerCard(
    topic: Topic,
    questionId: string,
    feedback: AnswerCardData['feedback'] = null,
  ): Reply {
    const data: AnswerCardData = {
      topicId: topic.id,
      questionId,
      title: topic.title,
      answer: topic.answer,
      steps: topic.steps.map((t, i) => ({ number: i + 1, text: t })),
      notes: topic.notes,
      videos: topic.videos,
      links: topic.links,
      source: topic.source,
      banner: deps.banner?.() ?? null,
      feedback,
    };
    return card('answer', data);
  }

  function noAnswerCard(questionId: string, reason: string): Reply {
    const data: NoAnswerCardData = {
      questionId,
      reason,
      support,
      ticketsEnabled: deps.ticketsEnabled ?? false,
      banner: deps.banner?.() ?? null,
      itSupport: null,
      ticketHint: null,
    };
    return card('no-answer', data);
  }

  /** General IT: the user's own IT support, not webSesam's; a ticket only if they insist. */
  function itSupportCard(questionId: string, reason: string, tenantId: string): Reply {
    const it = deps.itSupport;
    const offerTicket = (deps.ticketsEnabled ?? false) && (it?.offerTicket ?? false);
    const data: NoAnswerCardData = {
      questionId,
      reason,
      support,
      ticketsEnabled: offerTicket,
      banner: deps.banner?.() ?? null,
      itSupport: {
        heading: texts.itSupportHeading,
        text: it?.contact(tenantId) ?? texts.itSupportDefault,
      },
      ticketHint: deps.ticketsEnabled && !offerTicket ? texts.itSupportTicketHint : null,
    };
    return card('no-answer', data);
  }

  async function ask(requester: Requester, question: string): Promise<Reply[]> {
    if (question.length > MAX_QUESTION_LENGTH) return [text(texts.tooLong(MAX_QUESTION_LENGTH))];
    if (HELP.test(question)) return [helpCard()];
    if (GREETING.test(question.trim()))
      return [card('welcome', { examples: texts.welcomeExamples })];
    for (const handler of handlers) {
      const replies = await handler(requester, question);
      if (replies) return replies;
    }
    const result = knowledge.ask(question);
    const id = newId();
    const base = {
      kind: 'question' as const,
      id,
      at: now().toISOString(),
      userId: requester.userId,
      conversationType: requester.conversationType,
      text: question,
      confidence: 'confidence' in result ? result.confidence : 0,
    };
    switch (result.outcome) {
      case 'empty':
        return [text(texts.emptyQuestion)];
      case 'answered':
        await questionLog.append({
          ...base,
          outcome: 'answered',
          topicId: result.topic.id,
          category: result.topic.category,
          suggestions: [],
        });
        return [answerCard(result.topic, id)];
      case 'choices': {
        const data: ChoicesCardData = {
          questionId: id,
          choices: result.topics.map((t) => ({ id: t.id, title: t.title })),
        };
        await questionLog.append({
          ...base,
          outcome: 'choices',
          topicId: null,
          category: result.topics[0]?.category ?? null,
          suggestions: data.choices.map((c) => c.id),
        });
        return [card('choices', data)];
      }
      case 'out-of-scope':
        await questionLog.append({
          ...base,
          outcome: 'out-of-scope',
          topicId: null,
          category: null,
          suggestions: [],
        });
        // The topic file's reason says why; the card itself shows the way to support.
        if (result.topic.refer === 'it-support')
          return [itSupportCard(id, result.topic.reason!, requester.tenantId)];
        return [noAnswerCard(id, result.topic.reason!)];
      case 'no-answer':
        await questionLog.append({
          ...base,
          outcome: 'no-answer',
          topicId: null,
          category: null,
          suggestions: [],
        });
        return [noAnswerCard(id, texts.noAnswerText)];
    }
  }

  /** Registers what a card verb does; app.ts adds every feature's (the answers' too). */
  function onVerb(verb: string, handler: VerbHandler) {
    verbs.set(verb, handler);
  }

  async function act(
    requester: Requester,
    verb: string,
    data: Record<string, unknown>,
  ): Promise<ActionResult> {
    const handler = verbs.get(verb);
    if (!handler) throw new UnknownVerbError(verb);
    return handler(requester, data);
  }

  const stringField = (data: Record<string, unknown>, key: string) =>
    typeof data[key] === 'string' ? (data[key] as string).slice(0, 200) : '';

  /** What the answer cards' buttons do (the answers feature registers them). */
  const answerVerbs: VerbTable = {
    'feedback.give': async (requester, data) => {
      const topic = knowledge.topic(stringField(data, 'topicId'));
      if (!topic || typeof data.helpful !== 'boolean')
        return { replies: [text(texts.unknownAction)] };
      const questionId = stringField(data, 'questionId');
      await questionLog.append({
        kind: 'feedback',
        questionId,
        at: now().toISOString(),
        userId: requester.userId,
        topicId: topic.id,
        helpful: data.helpful,
      });
      return {
        replies: [],
        updatedCard: answerCard(topic, questionId, data.helpful ? 'helpful' : 'not-helpful'),
      };
    },

    'topic.show': async (requester, data) => {
      const topic = knowledge.topic(stringField(data, 'suggestedTopicId'));
      if (!topic) return { replies: [text(texts.unknownTopic)] };
      const questionId = stringField(data, 'questionId') || newId();
      if (stringField(data, 'questionId'))
        await questionLog.append({
          kind: 'choice',
          questionId,
          at: now().toISOString(),
          userId: requester.userId,
          topicId: topic.id,
        });
      return {
        replies: [answerCard(topic, questionId)],
        updatedCard: stringField(data, 'questionId')
          ? card('choices', {
              questionId,
              choices: [],
              chosen: topic.title,
            } satisfies ChoicesCardData)
          : undefined,
      };
    },

    'topic.none': async (_requester, data) => ({
      replies: [noAnswerCard(stringField(data, 'questionId') || newId(), texts.noAnswerText)],
    }),

    'help.show': async () => ({ replies: [helpCard()] }),

    'help.category': async (_requester, data) => {
      const category = stringField(data, 'category');
      const topics = knowledge.topics().filter((t) => t.category === category);
      if (!topics.length) return { replies: [helpCard()] };
      return {
        replies: [
          card('category', { category, topics: topics.map((t) => ({ id: t.id, title: t.title })) }),
        ],
      };
    },
  };

  return {
    ask,
    act,
    onVerb,
    verbs: answerVerbs,
    welcome: (): Reply => card('welcome', { examples: texts.welcomeExamples }),
    answerCard,
    noAnswerCard,
  };
}
