import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { LogEntry } from '../../conversation/question-log.js';
import type { Log } from '../../log.js';
import type { CallEntry } from '../../stats/calls.js';
import { StatsCounters, type CountersJson } from '../../stats/counters.js';
import type { QuarterKey } from '../../stats/quarter.js';
import type { StatsStore, StatsStoreDeps } from '../../stats/store.js';
import type { CategoryCounts, CountedEntry } from '../../stats/tally.js';
import { writeFileDurably } from './durable-json-file.js';
import type { JsonlLog } from './jsonl-log.js';

/** Bump when the counters' meaning changes: an older snapshot is then rebuilt from the logs. */
const SNAPSHOT_VERSION = 2;
export const SNAPSHOT_FILE = 'stats-snapshot.json';
// Enough bytes before a log position to tell that the log is still the one the snapshot counted.
const FINGERPRINT_BYTES = 256;

/** Where the snapshot's counting stopped in one log, and what the bytes just before look like. */
interface LogPosition {
  offset: number;
  fingerprint: string;
}

interface Snapshot {
  version: number;
  writtenAt: string;
  questions: LogPosition;
  calls: LogPosition;
  counters: CountersJson;
}

export interface LowdbStatsOptions extends StatsStoreDeps {
  dataDir: string;
  questionLog: JsonlLog<LogEntry>;
  callLog: JsonlLog<CallEntry>;
  log?: Log;
  /** How often a changed snapshot is written while running; also written on close. */
  snapshotEveryMs?: number;
}

export interface LowdbStatsStore extends StatsStore {
  /** Writes the snapshot now (tests and the bench; the timer and close do it otherwise). */
  snapshot(): Promise<void>;
  /** What the start read: the snapshot or not, and how many log lines after it. */
  readonly started: { fromSnapshot: boolean; tailEntries: number };
}

async function fingerprint(file: string, offset: number): Promise<string> {
  if (offset === 0) return '';
  const start = Math.max(0, offset - FINGERPRINT_BYTES);
  const handle = await fs.open(file, 'r').catch(() => undefined);
  if (!handle) return 'missing';
  try {
    const buffer = Buffer.alloc(offset - start);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
    return createHash('sha256').update(buffer.subarray(0, bytesRead)).digest('hex');
  } finally {
    await handle.close();
  }
}

const sizeOf = async (file: string) => (await fs.stat(file).catch(() => undefined))?.size ?? 0;

async function readSnapshot(file: string, log?: Log): Promise<Snapshot | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const s = JSON.parse(text) as Snapshot;
    if (s?.version === SNAPSHOT_VERSION && s.counters && s.questions && s.calls) return s;
    log?.info({ file }, 'statistics snapshot of another version: counting the logs again');
  } catch {
    // Never half-written (temp file + rename), so this is a file edited or damaged by hand.
    log?.warn({ file }, 'statistics snapshot unreadable: counting the logs again');
  }
  return undefined;
}

/** Whether the log still holds, up to the position, what the snapshot counted. */
async function stillValid(file: string, p: LogPosition): Promise<boolean> {
  if (!Number.isInteger(p.offset) || p.offset < 0) return false;
  if ((await sizeOf(file)) < p.offset) return false;
  return (await fingerprint(file, p.offset)) === p.fingerprint;
}

/**
 * Statistics on lowdb: the JSON Lines logs, counters in memory, and a snapshot of the counters
 * beside the logs. A start reads the snapshot and only the logs' lines after it, so it takes the
 * same time at 500,000 questions as at 5,000,000. The snapshot is written as every lowdb file is
 * (temp file, fsync, rename): a kill -9 while writing leaves the old one or the new one.
 */
export async function openLowdbStats(o: LowdbStatsOptions): Promise<LowdbStatsStore> {
  const file = path.join(o.dataDir, SNAPSHOT_FILE);
  // A write cut short by a kill leaves its temp file; the snapshot itself is whole either way.
  for (const name of await fs.readdir(o.dataDir).catch(() => [] as string[]))
    if (name.startsWith(`.${SNAPSHOT_FILE}.`) && name.endsWith('.tmp'))
      await fs.rm(path.join(o.dataDir, name), { force: true });
  const snapshot = await readSnapshot(file, o.log);
  const usable =
    snapshot &&
    (await stillValid(o.questionLog.path, snapshot.questions)) &&
    (await stillValid(o.callLog.path, snapshot.calls));
  if (snapshot && !usable)
    o.log?.warn({ file }, 'statistics snapshot does not match the logs: counting them again');
  const counters = usable
    ? StatsCounters.fromJSON(snapshot.counters, o.categoryOfTopic)
    : new StatsCounters(o.categoryOfTopic);

  // The tail: what was logged after the snapshot (since the last one, or a kill -9 before it).
  let tailEntries = 0;
  const readTail = async (log: JsonlLog<CountedEntry>, from: number) => {
    const end = await sizeOf(log.path);
    for await (const entry of log.readAll(from, end)) {
      counters.add(entry);
      tailEntries++;
    }
    return end;
  };
  let questionsAt = await readTail(
    o.questionLog as JsonlLog<CountedEntry>,
    usable ? snapshot.questions.offset : 0,
  );
  let callsAt = await readTail(
    o.callLog as JsonlLog<CountedEntry>,
    usable ? snapshot.calls.offset : 0,
  );
  counters.compact(o.now());

  let dirty = tailEntries > 0 || !usable;
  let writing: Promise<void> | undefined;

  async function writeSnapshot(): Promise<void> {
    // Taken in one synchronous step: the counters and the positions describe the same entries.
    counters.compact(o.now());
    const questions = questionsAt;
    const calls = callsAt;
    const counted = JSON.stringify(counters);
    dirty = false;
    try {
      const [qf, cf] = await Promise.all([
        fingerprint(o.questionLog.path, questions),
        fingerprint(o.callLog.path, calls),
      ]);
      const head = JSON.stringify({
        version: SNAPSHOT_VERSION,
        writtenAt: o.now().toISOString(),
        questions: { offset: questions, fingerprint: qf },
        calls: { offset: calls, fingerprint: cf },
      } satisfies Omit<Snapshot, 'counters'>);
      await writeFileDurably(file, `${head.slice(0, -1)},"counters":${counted}}`);
    } catch (e) {
      dirty = true;
      throw e;
    }
  }

  /** One write at a time; a request during a write gets a write of its own after it. */
  function snapshotNow(): Promise<void> {
    const run = (writing ?? Promise.resolve()).catch(() => undefined).then(writeSnapshot);
    writing = run;
    run
      .finally(() => {
        if (writing === run) writing = undefined;
      })
      .catch(() => undefined);
    return run;
  }

  const inBackground = () =>
    snapshotNow().catch((e) =>
      o.log?.error({ err: (e as Error).message }, 'statistics snapshot not written'),
    );
  // After counting a long tail (a first start, or a kill -9 long after the last snapshot), the
  // next start should not have to count it again.
  if (tailEntries > 10_000) void inBackground();

  const timer = setInterval(() => {
    if (dirty && !writing) void inBackground();
  }, o.snapshotEveryMs ?? 60_000);
  timer.unref();

  return {
    started: { fromSnapshot: Boolean(usable), tailEntries },

    async append(entry) {
      const bytes = await o.questionLog.appendLine(entry);
      // After the write: the counters must never hold what a restart would not count.
      counters.add(entry);
      questionsAt += bytes;
      dirty = true;
    },

    async appendCall(entry) {
      const bytes = await o.callLog.appendLine(entry);
      counters.add(entry);
      callsAt += bytes;
      dirty = true;
    },

    async counts(quarters: QuarterKey[]) {
      const out = new Map<QuarterKey, Map<string, CategoryCounts>>();
      for (const q of quarters) out.set(q, new Map(counters.quarter(q)));
      return out;
    },

    async topGaps(quarter, k) {
      return counters.quarterGaps(quarter).mostFrequent(k, o.now().getTime());
    },

    async quarters() {
      return counters.knownQuarters();
    },

    snapshot: snapshotNow,

    async close() {
      clearInterval(timer);
      if (writing) await writing.catch(() => undefined);
      if (dirty) await snapshotNow();
    },
  };
}
