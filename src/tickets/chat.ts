import type { VerbTable } from '../features/feature.js';
import {
  text,
  type ActionResult,
  type MessageHandler,
  type Reply,
  type Requester,
} from '../conversation/replies.js';
import { formCard, listCard, staffCard, summaryCard, userCard, type CardContext } from './cards.js';
import { InvalidInputError } from './errors.js';
import type { DeliveryWatcher } from './delivery.js';
import { asksForMyTickets, asksForTicket } from './intent.js';
import type { RecentQuestions } from './recent-questions.js';
import { ticketTexts as T } from './texts.js';
import { URGENCIES, type Actor, type Ticket, type Urgency } from './ticket.js';
import type { Tickets, TicketDraft } from './tickets.js';

export interface TicketChatDeps {
  tickets: Tickets;
  recent: RecentQuestions;
  /** The knowledge-base topic a ticket started from, for its category and the bot's answer. */
  topic: (id: string) => { title: string; category: string } | undefined;
  cards: CardContext;
  /** Whether a new ticket has reached support yet, and who to tell once it has. */
  delivery: DeliveryWatcher;
  /** "vardagar 08–12", as the user is told. */
  hoursLabel: string;
  newId: () => string;
  now: () => Date;
}

export const toActor = (r: Requester): Actor => ({
  id: r.userId,
  name: r.name,
  tenantId: r.tenantId,
});

const field = (data: Record<string, unknown>, key: string, max = 100_000) =>
  typeof data[key] === 'string' ? (data[key] as string).slice(0, max) : '';

/** Card data is untrusted: a version is a whole number or nothing that matches. */
const versionOf = (data: Record<string, unknown>) => {
  const v = data.version;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^\d{1,9}$/.test(v)) return Number(v);
  return -1;
};

/**
 * The chat side of tickets: the words that open one or list them, and every ticket card verb.
 * It turns card data into use-case calls and tickets into cards; the use cases decide.
 */
export function createTicketChat(deps: TicketChatDeps) {
  const { tickets, recent, cards } = deps;

  function formData(data: Record<string, unknown>) {
    const urgency = URGENCIES.includes(data.urgency as Urgency)
      ? (data.urgency as Urgency)
      : 'normal';
    return {
      draftId: field(data, 'draftId', 64),
      questionId: field(data, 'questionId', 100),
      topicId: field(data, 'topicId', 100),
      // Kept whole here, so that a too-long text is refused by the use case, not silently cut.
      description: field(data, 'description', 10 * 2000),
      reference: field(data, 'reference', 10 * 200),
      urgency,
    };
  }

  function problemText(e: InvalidInputError): string {
    const name = T.field[e.field] ?? e.field;
    if (e.problem === 'too-long')
      return T.tooLong(name.charAt(0).toUpperCase() + name.slice(1), e.max ?? 0);
    if (e.problem === 'missing') return T.missing(name);
    return T.unknownValue(name);
  }

  function draftOf(
    requester: Requester,
    f: ReturnType<typeof formData>,
    rawUrgency: unknown,
  ): TicketDraft {
    const topic = f.topicId ? deps.topic(f.topicId) : undefined;
    const asked = f.questionId ? recent.lookup(f.questionId, requester.userId) : undefined;
    return {
      draftId: f.draftId,
      description: f.description,
      reference: f.reference,
      urgency: typeof rawUrgency === 'string' ? rawUrgency : '',
      topicId: topic ? f.topicId : null,
      category: topic?.category ?? null,
      botAnswer: topic ? T.botAnswerTopic(topic.title) : asked ? T.botAnswerNone : T.botAnswerAsked,
    };
  }

  function newForm(requester: Requester, questionId: string, topicId: string): Reply {
    const asked = questionId ? recent.lookup(questionId, requester.userId) : undefined;
    return formCard({
      draftId: deps.newId(),
      questionId: asked ? questionId : '',
      topicId: topicId || asked?.topicId || '',
      description: asked?.text ?? '',
      reference: '',
      urgency: 'normal',
    });
  }

  async function confirmation(t: Ticket): Promise<Reply> {
    // The truth: "fått" only once a channel post or a mail was accepted; else saved, on its way.
    const state = await deps.delivery.delivery(t);
    const notices = [
      state === 'delivered'
        ? T.confirmedText
        : state === 'pending'
          ? T.confirmedSavedText
          : T.confirmedNoRouteText,
    ];
    if (state !== 'delivered') deps.delivery.watch(t);
    const at = deps.now();
    if (!tickets.hours.isOpen(at))
      notices.push(
        T.closedNow(tickets.hours.format(tickets.hours.nextOpening(at)), deps.hoursLabel),
      );
    return userCard(t, cards, T.confirmedHeading(t.number), notices);
  }

  /** The card the clicker sees after their action: their own view of it. */
  const staffView = async (t: Ticket, r: Requester): Promise<ActionResult> => ({
    replies: [],
    updatedCard: staffCard(t, cards, await tickets.staff(), r.userId),
  });

  const personalOnly = (requester: Requester): ActionResult | undefined =>
    requester.conversationType === 'personal' ? undefined : { replies: [text(T.onlyPersonal)] };

  const handler: MessageHandler = async (requester, question) => {
    if (requester.conversationType !== 'personal') return undefined;
    if (asksForMyTickets(question))
      return [listCard(await tickets.mine(toActor(requester)), cards)];
    if (asksForTicket(question)) return [newForm(requester, '', '')];
    return undefined;
  };

  const verbs = {
    'ticket.start': async (requester, data) =>
      personalOnly(requester) ?? {
        replies: [newForm(requester, field(data, 'questionId', 100), field(data, 'topicId', 100))],
      },

    'ticket.review': async (requester, data) => {
      const refused = personalOnly(requester);
      if (refused) return refused;
      const f = formData(data);
      try {
        tickets.checkDraft(draftOf(requester, f, data.urgency));
      } catch (e) {
        if (e instanceof InvalidInputError)
          return { replies: [], updatedCard: formCard(f, problemText(e)) };
        throw e;
      }
      return { replies: [], updatedCard: summaryCard(f) };
    },

    'ticket.edit': async (_requester, data) => ({
      replies: [],
      updatedCard: formCard(formData(data)),
    }),

    'ticket.submit': async (requester, data) => {
      const refused = personalOnly(requester);
      if (refused) return refused;
      const f = formData(data);
      try {
        const { ticket } = await tickets.open(
          toActor(requester),
          draftOf(requester, f, data.urgency),
        );
        return { replies: [], updatedCard: await confirmation(ticket) };
      } catch (e) {
        if (e instanceof InvalidInputError)
          return { replies: [], updatedCard: formCard(f, problemText(e)) };
        throw e;
      }
    },

    // Teams asks for the card of each staff member who looks at it (Universal Actions refresh).
    'ticket.refresh': async (r, data) => {
      const actor = toActor(r);
      const t = await tickets.view(data.ticketId, actor);
      return {
        replies: [],
        updatedCard: staffCard(
          t,
          cards,
          await tickets.staff(),
          tickets.isStaff(actor) ? actor.id : undefined,
        ),
      };
    },

    'ticket.take': async (r, data) =>
      staffView(await tickets.take(data.ticketId, toActor(r), versionOf(data)), r),
    'ticket.answer': async (r, data) =>
      staffView(
        await tickets.answer(data.ticketId, toActor(r), versionOf(data), data.answerText),
        r,
      ),
    'ticket.escalate': async (r, data) =>
      staffView(
        await tickets.escalate(data.ticketId, toActor(r), versionOf(data), data.escalateReason),
        r,
      ),
    'ticket.assign': async (r, data) =>
      staffView(await tickets.assign(data.ticketId, toActor(r), versionOf(data), data.assignee), r),
    'ticket.resolve': async (r, data) =>
      staffView(
        await tickets.resolve(data.ticketId, toActor(r), versionOf(data), data.solution),
        r,
      ),
    'ticket.reopen': async (r, data) =>
      staffView(await tickets.reopen(data.ticketId, toActor(r), versionOf(data)), r),

    'ticket.feedback': async (r, data) => {
      const solved = data.solved === true || data.solved === 'true';
      const t = await tickets.confirm(data.ticketId, toActor(r), versionOf(data), solved);
      return {
        replies: [],
        updatedCard: userCard(t, cards, `Ärende ${t.number}`, [
          solved ? T.solvedThanks : T.notSolvedThanks,
        ]),
      };
    },

    'ticket.show': async (r, data) => {
      const actor = toActor(r);
      const t = await tickets.view(data.ticketId, actor);
      const own = t.requester.id === actor.id && r.conversationType === 'personal';
      return {
        replies: [
          own
            ? userCard(t, cards, `Ärende ${t.number}`)
            : staffCard(t, cards, await tickets.staff()),
        ],
      };
    },
  } satisfies VerbTable;

  return {
    handler,
    /** The card verbs; the feature registers them. */
    verbs,
  };
}
