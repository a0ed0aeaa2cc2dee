import path from 'node:path';
import type { Reply } from '../conversation/replies.js';
import type { VerbTable } from '../features/feature.js';
import type { Log } from '../log.js';
import { createKnowledgeChat } from './teach-chat.js';
import { createLiveKnowledge, type BuiltKnowledge, type LiveKnowledge } from './live-knowledge.js';
import type { TaughtPhraseRepository } from './taught.js';
import { teachTexts } from './teach-texts.js';
import { createTeaching, type Teaching } from './teaching.js';
import { watchKnowledgeDir } from './watch.js';

export interface KnowledgeSetupDeps {
  dir: string;
  build: () => Promise<BuiltKnowledge>;
  taughtThreshold: number;
  /** 0: no file watch (reload with the staff command only). */
  watchDebounceMs: number;
  repo: TaughtPhraseRepository;
  isStaff: (userId: string) => boolean;
  ticketQuestion: (ticketId: string) => Promise<string | undefined>;
  /** Tells support (their channel, through the outbox) that a changed file could not be read. */
  tellStaff: (key: string, reply: Reply) => Promise<void>;
  now: () => Date;
  newId: () => string;
  log: Log;
}

export interface KnowledgeSetup {
  knowledge: LiveKnowledge;
  teaching: Teaching;
  /** Give this to the conversation first: `ladda om kunskap`, and taught phrases kept current. */
  handler: ReturnType<typeof createKnowledgeChat>['handler'];
  /** `knowledge.teach`, from the staff's ticket card. */
  verbs: VerbTable;
  /** For /healthz: a warning while the files on disk are broken (the bot answers from the old). */
  health(): Record<string, unknown>;
  /** For /healthz's warnings: a knowledge file that failed to load (the old knowledge still answers). */
  warnings(): string[];
  start(): void;
  stop(): void;
}

/** The live knowledge base, teaching, reloading: one call from the composition root. */
export async function setupKnowledge(deps: KnowledgeSetupDeps): Promise<KnowledgeSetup> {
  const { log } = deps;
  // Staff and /healthz see a broken file by its name in the folder, not the server's path to it.
  const inDir = (s: string) => s.replaceAll(path.resolve(deps.dir) + path.sep, '');
  const knowledge = await createLiveKnowledge({
    build: async () => {
      try {
        return await deps.build();
      } catch (e) {
        if (!(e instanceof Error)) throw e;
        const file = (e as { file?: unknown }).file;
        throw Object.assign(new Error(inDir(e.message)), {
          file: typeof file === 'string' ? inDir(path.resolve(file)) : undefined,
        });
      }
    },
    outOfScopeReason: teachTexts.outOfScopeReason,
    taughtThreshold: deps.taughtThreshold,
    now: deps.now,
  });
  const teaching = await createTeaching({
    repo: deps.repo,
    knowledge,
    now: deps.now,
    newId: deps.newId,
  });
  const chat = createKnowledgeChat({
    teaching,
    knowledge,
    isStaff: deps.isStaff,
    ticketQuestion: deps.ticketQuestion,
    log,
  });

  let told = '';
  async function reloadFromWatch() {
    try {
      const r = await knowledge.reload();
      told = '';
      log.info({ topics: r.topics, via: 'watch' }, 'knowledge reloaded');
    } catch (e) {
      const message = (e as Error).message;
      log.error({ err: message, via: 'watch' }, 'knowledge reload failed; keeping the old');
      if (message === told) return; // the same broken file saved again: said once is enough
      told = message;
      try {
        await deps.tellStaff(
          `knowledge-reload:${deps.now().toISOString()}`,
          // The error names the file and what is wrong with it.
          { kind: 'text', text: teachTexts.watchFailed(message) },
        );
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'could not tell support about the broken file');
      }
    }
  }

  let watcher: { close(): void } | undefined;
  return {
    knowledge,
    teaching,
    handler: chat.handler,
    verbs: chat.verbs,
    warnings() {
      const failure = knowledge.lastFailure();
      return failure ? [`Kunskapsfilen ${failure.file} kunde inte läsas: ${failure.message}`] : [];
    },
    health() {
      const failure = knowledge.lastFailure();
      const state = knowledge.state();
      return {
        knowledge: {
          status: failure ? 'warning' : 'ok',
          loadedAt: state.loadedAt,
          topics: state.topics,
          taught: state.taught,
          ...(failure ? { file: failure.file, error: failure.message, failedAt: failure.at } : {}),
        },
      };
    },
    start() {
      if (deps.watchDebounceMs > 0)
        watcher = watchKnowledgeDir({
          dir: deps.dir,
          debounceMs: deps.watchDebounceMs,
          reload: reloadFromWatch,
          onError: (e) => log.warn({ err: e.message }, 'knowledge folder: no file watch'),
        });
    },
    stop() {
      watcher?.close();
    },
  };
}
