import type { QuestionLog } from '../conversation/question-log.js';
import type { Knowledge } from '../knowledge/knowledge.js';
import { OUT_OF_SCOPE } from '../knowledge/taught-index.js';
import { teachTexts } from '../knowledge/teach-texts.js';
import type { Log } from '../log.js';
import type { Outbox } from '../outbox/outbox.js';
import type { CardContext } from './cards.js';
import { loadChain } from './chain.js';
import { createTicketChat } from './chat.js';
import { createDeliveryWatcher } from './delivery.js';
import type { TicketMailSettings } from './mail.js';
import { createOutboxNotifier } from './notifications.js';
import { rememberRecentQuestions } from './recent-questions.js';
import type { SupportChannelRepository, TicketRepository } from './repository.js';
import { createSupportHours, parseOpeningHours } from '../support-hours/support-hours.js';
import type { Ticket } from './ticket.js';
import { createTickets } from './tickets.js';

export interface TicketSettings {
  chainFile: string;
  /** "08:00-12:00" */
  openingHours: string;
  timeZone: string;
  reminderAfterHours: number;
  /** "Kategori=kanalnamn;Annan kategori=annat namn" */
  routes: string;
  staffIds: string[];
  tickSeconds: number;
  /** Tickets by e-mail (TICKET_EMAIL_*), null when none are mailed (off, or no SMTP_URL). */
  mail: TicketMailSettings | null;
  /** How often new tickets are looked at, to tell their users once support has them. */
  deliveryCheckSeconds: number;
}

export interface TicketSetupDeps {
  settings: TicketSettings;
  /** `all` may be a query (PostgreSQL) rather than the lowdb file in memory. */
  repo: TicketRepository & { all(): Ticket[] | Promise<Ticket[]> };
  channels: SupportChannelRepository;
  outbox: Outbox;
  knowledge: Knowledge;
  questionLog: QuestionLog;
  now: () => Date;
  newId: () => string;
  log: Log;
}

/** "Faktura=ekonomi;Beställning=bestallning" → { Faktura: 'ekonomi', … } */
export function parseRoutes(s: string): Record<string, string> {
  const routes: Record<string, string> = {};
  for (const pair of s
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [category, name] = pair.split('=').map((x) => x?.trim());
    if (!category || !name)
      throw new Error(`Ogiltig rad i TICKET_ROUTES: "${pair}" (skriv kategori=kanalnamn)`);
    routes[category] = name.toLowerCase();
  }
  return routes;
}

const clock = (minutes: number) =>
  `${Math.floor(minutes / 60)}${minutes % 60 ? `.${String(minutes % 60).padStart(2, '0')}` : ''}`;

/** Tickets composed: chain from its file, support hours, use cases, chat, scheduler. */
export async function setupTickets(deps: TicketSetupDeps) {
  const { settings, repo, channels, outbox, knowledge, now, log } = deps;
  const chain = await loadChain(settings.chainFile);
  const opening = parseOpeningHours(settings.openingHours);
  const hours = createSupportHours({ ...opening, timeZone: settings.timeZone, country: 'SE' });
  const staffIds = new Set(settings.staffIds);
  const cards: CardContext = {
    levelName: (n) => chain.levels[n - 1]?.name ?? '',
    maxLevel: chain.levels.length,
    timeZone: settings.timeZone,
    teachChoices: () => [
      ...knowledge.topics().map((t) => ({ title: t.title, value: t.id })),
      { title: teachTexts.outOfScopeChoice, value: OUT_OF_SCOPE },
    ],
  };
  const notify = createOutboxNotifier({
    outbox,
    chain,
    cards,
    staff: () => channels.staff(),
    mail: settings.mail,
  });
  const delivery = createDeliveryWatcher({
    repo,
    channels,
    outbox,
    cards,
    mail: settings.mail,
    log,
  });
  const tickets = createTickets({
    repo,
    channels,
    chain,
    isStaff: (a) => staffIds.has(a.id),
    notify,
    hours,
    now,
    newId: deps.newId,
    routes: parseRoutes(settings.routes),
    reminderAfterHours: settings.reminderAfterHours,
  });
  const recent = rememberRecentQuestions(deps.questionLog);
  const chat = createTicketChat({
    tickets,
    recent,
    topic: (id) => knowledge.topic(id),
    cards,
    delivery,
    hoursLabel: `vardagar ${clock(opening.opensAt)}–${clock(opening.closesAt)}`,
    newId: deps.newId,
    now,
  });

  let timer: NodeJS.Timeout | undefined;
  let deliveryTimer: NodeJS.Timeout | undefined;
  let checking: Promise<unknown> | null = null;
  const checkDelivery = async () => {
    if (checking || delivery.waitingCount() === 0) return;
    checking = delivery
      .check()
      .catch((e: Error) => log.error({ err: e.message }, 'ticket delivery check failed'))
      .finally(() => (checking = null));
    await checking;
  };
  const tick = async () => {
    try {
      const sent = await tickets.remindUntouched();
      if (sent) log.info({ sent }, 'ticket reminders');
    } catch (e) {
      log.error({ err: (e as Error).message }, 'ticket reminder tick failed');
    }
  };

  return {
    tickets,
    cards,
    chat,
    /** The question log to hand the conversation, so ticket forms can be pre-filled. */
    questionLog: recent.log,
    async start() {
      const recovered = await tickets.recover();
      if (recovered)
        log.info({ recovered }, 'ticket messages handed to the outbox after a restart');
      timer = setInterval(tick, settings.tickSeconds * 1000);
      timer.unref();
      await delivery.resume(await repo.listActive());
      deliveryTimer = setInterval(() => void checkDelivery(), settings.deliveryCheckSeconds * 1000);
      deliveryTimer.unref();
      for (const w of await delivery.warnings()) log.warn(w);
    },
    async stop() {
      if (timer) clearInterval(timer);
      if (deliveryTimer) clearInterval(deliveryTimer);
      await checking;
    },
    tick,
    /** What keeps new tickets from reaching support, for /healthz and staff. */
    warnings: () => delivery.warnings(),
  };
}
