import { plainCardText } from '../cards/render.js';
import formJson from '../cards/templates/ticket-form.json' with { type: 'json' };
import listJson from '../cards/templates/ticket-list.json' with { type: 'json' };
import staffJson from '../cards/templates/ticket-staff.json' with { type: 'json' };
import summaryJson from '../cards/templates/ticket-summary.json' with { type: 'json' };
import userJson from '../cards/templates/ticket-user.json' with { type: 'json' };
import { card, type Reply } from '../conversation/replies.js';
import { ticketTexts as T } from './texts.js';
import { isActive, type Ticket, type Urgency } from './ticket.js';

/**
 * The ticket cards' data models and how a ticket fills them. Text a person typed is escaped, so
 * that it can never turn into a link or formatting on a card someone else reads.
 */

/** The ticket cards, by template name (the tickets feature registers them). */
export const ticketTemplates = {
  'ticket-staff': staffJson,
  'ticket-user': userJson,
  'ticket-form': formJson,
  'ticket-summary': summaryJson,
  'ticket-list': listJson,
};

export interface CardContext {
  levelName: (n: number) => string;
  maxLevel: number;
  timeZone: string;
  /** "Lär boten" on a resolved ticket: the topics to choose from, and out of scope. */
  teachChoices?: () => { title: string; value: string }[];
}

export interface HistoryLine {
  at: string;
  who: string;
  what: string;
}

export interface TicketStaffCardData {
  ticketId: string;
  version: number;
  number: number;
  status: string;
  level: string;
  category: string;
  requester: string;
  question: string;
  botAnswer: string;
  urgency: string;
  urgent: boolean;
  reference: string | null;
  openedAt: string;
  assignee: string | null;
  history: HistoryLine[];
  active: boolean;
  /**
   * "Ta ärendet" only while nobody has it: the card in the channel is one card for everyone, so
   * once taken the button would show to the one who took it too. Someone else takes over with
   * Tilldela, which lists every staff member but the current one.
   */
  canTake: boolean;
  takeTitle: string;
  canReopen: boolean;
  nextLevel: string | null;
  staffChoices: { title: string; value: string }[];
  canTeach: boolean;
  /** The question as typed (masked), for an input field: inputs show no Markdown. */
  teachQuestion: string;
  teachChoices: { title: string; value: string }[];
}

export interface TicketUserCardData {
  ticketId: string;
  version: number;
  number: number;
  heading: string;
  status: string;
  level: string;
  question: string;
  reference: string | null;
  urgency: string;
  openedAt: string;
  /** A sentence on top: the confirmation, when support opens, the solution. */
  notices: string[];
  history: { at: string; what: string }[];
  askSolved: boolean;
}

export interface TicketFormCardData {
  draftId: string;
  questionId: string;
  topicId: string;
  description: string;
  reference: string;
  urgency: Urgency;
  problem: string | null;
}

export interface TicketSummaryCardData {
  draftId: string;
  questionId: string;
  topicId: string;
  description: string;
  reference: string;
  urgency: Urgency;
  shownDescription: string;
  shownReference: string | null;
  urgencyLabel: string;
}

export interface TicketListCardData {
  tickets: {
    ticketId: string;
    number: number;
    status: string;
    summary: string;
    openedAt: string;
  }[];
  empty: boolean;
}

export function formatTime(iso: string, timeZone: string): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('sv-SE', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    })
      .formatToParts(new Date(iso))
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

function statusLabel(t: Ticket): string {
  const last = t.history[t.history.length - 1];
  return last?.kind === 'reopened' && isActive(t) ? T.reopenedStatus : T.status[t.status];
}

const short = (s: string, max = 80) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/**
 * The ticket card in the channel. Without a viewer it is the card everyone sees: "Ta ärendet" only
 * while nobody has it. With a viewer (Teams refreshes the card for each staff member who looks at
 * it) a taken ticket offers "Ta över ärendet" to everyone but the one who has it.
 */
export function staffCard(
  t: Ticket,
  ctx: CardContext,
  staff: Record<string, string>,
  viewer?: string,
): Reply {
  const data: TicketStaffCardData = {
    ticketId: t.id,
    version: t.version,
    number: t.number,
    status: statusLabel(t),
    level: T.level(t.level, ctx.levelName(t.level)),
    category: t.category ? plainCardText(t.category) : T.noCategory,
    requester: plainCardText(t.requester.name),
    question: plainCardText(t.question),
    botAnswer: t.botAnswer, // our own sentence and a topic title, not something a person typed
    urgency: T.urgency[t.urgency],
    urgent: t.urgency === 'urgent',
    reference: t.reference ? plainCardText(t.reference) : null,
    openedAt: formatTime(t.openedAt, ctx.timeZone),
    assignee: t.assignee ? plainCardText(t.assignee.name) : null,
    history: t.history.map((e) => ({
      at: formatTime(e.at, ctx.timeZone),
      who: plainCardText(e.by.name),
      what: plainCardText(T.event(e, ctx.levelName)),
    })),
    active: isActive(t),
    canTake:
      t.status === 'open' ||
      (t.status === 'taken' && viewer !== undefined && t.assignee?.id !== viewer),
    takeTitle: t.status === 'open' ? T.takeButton : T.takeOverButton,
    canReopen: !isActive(t),
    nextLevel: t.level < ctx.maxLevel ? T.level(t.level + 1, ctx.levelName(t.level + 1)) : null,
    staffChoices: Object.entries(staff)
      .filter(([id]) => id !== t.assignee?.id)
      .map(([value, title]) => ({ title, value })),
    canTeach: !isActive(t) && ctx.teachChoices !== undefined,
    teachQuestion: isActive(t) ? '' : t.question,
    teachChoices: isActive(t) ? [] : (ctx.teachChoices?.() ?? []),
  };
  return card('ticket-staff', data);
}

/** Events the user hears about; staff-internal steps (posting, assigning) stay off their card. */
const USER_EVENTS = new Set([
  'opened',
  'taken',
  'answered',
  'escalated',
  'resolved',
  'reopened',
  'confirmed',
]);

export function userCard(
  t: Ticket,
  ctx: CardContext,
  heading: string,
  notices: string[] = [],
): Reply {
  const data: TicketUserCardData = {
    ticketId: t.id,
    version: t.version,
    number: t.number,
    heading,
    status: statusLabel(t),
    level: T.level(t.level, ctx.levelName(t.level)),
    question: plainCardText(t.question),
    reference: t.reference ? plainCardText(t.reference) : null,
    urgency: T.urgency[t.urgency],
    openedAt: formatTime(t.openedAt, ctx.timeZone),
    notices, // the caller escapes whatever a person typed (a solution)
    history: t.history
      .filter((e) => USER_EVENTS.has(e.kind))
      .map((e) => ({
        at: formatTime(e.at, ctx.timeZone),
        what: plainCardText(`${e.byRequester ? 'Du' : e.by.name}: ${T.event(e, ctx.levelName)}`),
      })),
    askSolved: t.status === 'resolved',
  };
  return card('ticket-user', data);
}

export function formCard(
  d: Omit<TicketFormCardData, 'problem'>,
  problem: string | null = null,
): Reply {
  return card('ticket-form', { ...d, problem } satisfies TicketFormCardData);
}

export function summaryCard(d: Omit<TicketFormCardData, 'problem'>): Reply {
  const data: TicketSummaryCardData = {
    ...d,
    shownDescription: plainCardText(d.description),
    shownReference: d.reference ? plainCardText(d.reference) : null,
    urgencyLabel: T.urgency[d.urgency],
  };
  return card('ticket-summary', data);
}

export function listCard(tickets: Ticket[], ctx: CardContext): Reply {
  const data: TicketListCardData = {
    tickets: tickets.slice(0, 20).map((t) => ({
      ticketId: t.id,
      number: t.number,
      status: statusLabel(t),
      summary: plainCardText(short(t.question)),
      openedAt: formatTime(t.openedAt, ctx.timeZone),
    })),
    empty: tickets.length === 0,
  };
  return card('ticket-list', data);
}
