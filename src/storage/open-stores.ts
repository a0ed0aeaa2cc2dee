import path from 'node:path';
import type { AccessRequestRepository } from '../access/repository.js';
import type { Config } from '../config.js';
import type { QuestionLog } from '../conversation/question-log.js';
import { createOutboxEngine, type OutboxOptions } from '../outbox/engine.js';
import type { Outbox } from '../outbox/outbox.js';
import type { NoticeRepository } from '../outages/repository.js';
import type { TaughtPhraseRepository } from '../knowledge/taught.js';
import type { RecipientRepository } from '../recipients/repository.js';
import type { CallLog } from '../stats/calls.js';
import type { StatsStore, StatsStoreDeps } from '../stats/store.js';
import type { Log } from '../log.js';
import type { SupportChannelRepository, TicketRepository } from '../tickets/repository.js';
import type { Ticket } from '../tickets/ticket.js';
import { openAccessRequests } from './lowdb/access-requests.js';
import { openNotices } from './lowdb/notices.js';
import { openJournalOutboxStore } from './lowdb/outbox.js';
import { JsonlQuestionLog } from './lowdb/question-log.js';
import { openRecipients } from './lowdb/recipients.js';
import { openTickets } from './lowdb/tickets.js';
import { openTaughtPhrases } from './lowdb/taught-phrases.js';
import { PostgresAccessRequestRepository } from './postgres/access-requests.js';
import { JsonlCallLog } from './lowdb/stats-call-log.js';
import { openLowdbStats } from './lowdb/stats.js';
import { PostgresCallLog } from './postgres/call-log.js';
import { PostgresNoticeRepository } from './postgres/notices.js';
import { openPostgres } from './postgres/open.js';
import { createPostgresOutboxStore } from './postgres/outbox.js';
import { PostgresQuestionLog } from './postgres/question-log.js';
import { PostgresRecipientRepository } from './postgres/recipients.js';
import { openPostgresStats } from './postgres/stats.js';
import { PostgresSupportChannelRepository, PostgresTicketRepository } from './postgres/tickets.js';
import { PostgresTaughtPhraseRepository } from './postgres/taught-phrases.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Every store the app needs, from one place: lowdb files in DATA_DIR, or a shared PostgreSQL. */
export interface Stores {
  kind: 'lowdb' | 'postgres';
  recipients: RecipientRepository;
  tickets: TicketRepository & { all(): Ticket[] | Promise<Ticket[]> };
  channels: SupportChannelRepository;
  notices: NoticeRepository;
  accessRequests: AccessRequestRepository;
  questionLog: QuestionLog;
  /** Phrases support staff taught the bot ("Lär boten"). */
  taught: TaughtPhraseRepository;
  /**
   * Registered calls as a plain log (PostgreSQL; for scripts). The app logs and counts calls
   * through `openStats`, which on lowdb keeps DATA_DIR/calls.jsonl.
   */
  callLog?: CallLog;
  /**
   * The statistics' logs and counters on the same store (lowdb: questions.jsonl, calls.jsonl
   * and a snapshot; PostgreSQL: counter rows shared by every instance). Closed by its caller.
   */
  openStats(deps: StatsStoreDeps & { log?: Log }): Promise<StatsStore>;
  /** The outbox engine on the same store; its senders and limits come from the caller. */
  createOutbox(options: OutboxOptions): Promise<Outbox>;
  /** After the outbox has stopped: flushes the logs and closes the connections. */
  close(): Promise<void>;
}

export type StoreConfig = Pick<
  Config,
  'DATA_DIR' | 'DATABASE_URL' | 'DATABASE_POOL_SIZE' | 'OUTBOX_LEASE_SECONDS'
>;

/** DATABASE_URL empty: the embedded lowdb files (one instance). Set: PostgreSQL (any number). */
export async function openStores(config: StoreConfig): Promise<Stores> {
  return config.DATABASE_URL ? openPostgresStores(config) : openLowdbStores(config.DATA_DIR);
}

export async function openLowdbStores(dataDir: string): Promise<Stores> {
  const ticketStore = await openTickets(dataDir);
  const questionLog = new JsonlQuestionLog(path.join(dataDir, 'questions.jsonl'));
  return {
    kind: 'lowdb',
    recipients: await openRecipients(dataDir),
    tickets: ticketStore.tickets,
    channels: ticketStore.channels,
    notices: await openNotices(dataDir),
    accessRequests: await openAccessRequests(dataDir),
    questionLog,
    taught: await openTaughtPhrases(dataDir),
    async openStats(deps) {
      const callLog = new JsonlCallLog(path.join(dataDir, 'calls.jsonl'));
      const stats = await openLowdbStats({ ...deps, dataDir, questionLog, callLog });
      return {
        ...stats,
        async close() {
          await stats.close();
          await callLog.close();
        },
      };
    },
    createOutbox: async (options) =>
      createOutboxEngine({
        ...options,
        store: await openJournalOutboxStore({
          file: path.join(dataDir, 'outbox.jsonl'),
          keepDoneAfter: options.clock.now() - options.retentionDays * DAY_MS,
          log: options.log,
        }),
      }),
    close: () => questionLog.close(),
  };
}

export async function openPostgresStores(config: StoreConfig): Promise<Stores> {
  const pool = await openPostgres({
    url: config.DATABASE_URL,
    poolSize: config.DATABASE_POOL_SIZE,
  });
  const recipients = new PostgresRecipientRepository(pool);
  return {
    kind: 'postgres',
    recipients,
    tickets: new PostgresTicketRepository(pool),
    channels: new PostgresSupportChannelRepository(pool),
    notices: new PostgresNoticeRepository(pool),
    accessRequests: new PostgresAccessRequestRepository(pool),
    questionLog: new PostgresQuestionLog(pool),
    taught: new PostgresTaughtPhraseRepository(pool),
    callLog: new PostgresCallLog(pool),
    openStats: (deps) => openPostgresStats({ ...deps, pool }),
    createOutbox: async (options) =>
      createOutboxEngine({
        ...options,
        store: createPostgresOutboxStore(pool, config.OUTBOX_LEASE_SECONDS * 1000),
        // Another instance may enqueue work whose notification does not reach this one.
        pollMs: 1000,
      }),
    close: () => pool.end(),
  };
}
