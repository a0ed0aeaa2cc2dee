import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { LogEntry, QuestionLogEntry } from '../../src/conversation/question-log.js';
import type { CallEntry } from '../../src/stats/calls.js';
import { JsonlQuestionLog } from '../../src/storage/lowdb/question-log.js';
import { JsonlCallLog } from '../../src/storage/lowdb/stats-call-log.js';
import { openLowdbStats, SNAPSHOT_FILE } from '../../src/storage/lowdb/stats.js';
import { tempDir } from '../support/bot.js';
import { postgresForSuite, type TestPostgres } from '../support/postgres.js';
import { openPostgres } from '../../src/storage/postgres/open.js';
import { openPostgresStats } from '../../src/storage/postgres/stats.js';
import type { StatsStore } from '../../src/stats/store.js';
import { gapKey } from '../../src/stats/gaps.js';
import {
  previousQuarter,
  quarterBounds,
  quarterLabel,
  quarterOf,
} from '../../src/stats/quarter.js';
import { median } from '../../src/stats/report.js';
import {
  createStatistics,
  NotStaffError,
  UnknownCategoryError,
} from '../../src/stats/statistics.js';
import { createSupportHours } from '../../src/support-hours/support-hours.js';
import { factOf, ticketFactsFrom, type TicketLike } from '../../src/stats/ticket-facts.js';

// The routine's hours, 08–12 in Sweden: the same module tickets use for reminders and opening times.
const hours = createSupportHours({
  opensAt: 8 * 60,
  closesAt: 12 * 60,
  timeZone: 'Europe/Stockholm',
  country: 'SE',
});
const supportHours = (from: string, to: string) => hours.hoursBetween(new Date(from), new Date(to));

let seq = 0;
const question = (o: Partial<QuestionLogEntry> & { at: string }): QuestionLogEntry => ({
  kind: 'question',
  id: `q${++seq}`,
  userId: 'aad-user-1',
  conversationType: 'personal',
  text: 'hur skriver jag en hämtorder',
  outcome: 'answered',
  topicId: 'hamtorder',
  category: 'Hämtorder och retur',
  confidence: 0.9,
  suggestions: [],
  ...o,
});

const CATEGORIES: Record<string, string> = {
  hamtorder: 'Hämtorder och retur',
  inloggning: 'Inloggning och start',
  bestallning: 'Beställning',
};

const opened: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of opened.splice(0)) await close();
});

/** Real JSON Lines files in a temp folder, as the bot writes them, and the lowdb store on them. */
async function statisticsWith(
  entries: LogEntry[] = [],
  calls: CallEntry[] = [],
  tickets: TicketLike[] = [],
  now = '2025-05-12T08:00:00Z',
  dir?: string,
) {
  const dataDir = dir ?? (await tempDir());
  const lines = (xs: unknown[]) => xs.map((x) => `${JSON.stringify(x)}\n`).join('');
  if (entries.length) await fs.appendFile(path.join(dataDir, 'questions.jsonl'), lines(entries));
  if (calls.length) await fs.appendFile(path.join(dataDir, 'calls.jsonl'), lines(calls));
  const questionLog = new JsonlQuestionLog(path.join(dataDir, 'questions.jsonl'));
  const callLog = new JsonlCallLog(path.join(dataDir, 'calls.jsonl'));
  const store = await openLowdbStats({
    dataDir,
    questionLog,
    callLog,
    categoryOfTopic: (id) => CATEGORIES[id] ?? null,
    now: () => new Date(now),
  });
  let closed = false;
  /** Stops as the app does: the store writes its snapshot, then the logs close. */
  const close = async () => {
    if (closed) return;
    closed = true;
    await store.close();
    await questionLog.close();
    await callLog.close();
  };
  opened.push(close);
  const stats = createStatistics({
    store,
    questionLog,
    tickets: ticketFactsFrom(async () => tickets),
    categories: () => ['Hämtorder och retur', 'Inloggning och start', 'Beställning'],
    isStaff: (id) => id === 'aad-staff',
    now: () => new Date(now),
    newId: () => `id-${++seq}`,
    supportHours: hours,
  });
  return Object.assign(stats, { dataDir, store, close });
}

const row = (
  report: Awaited<ReturnType<Awaited<ReturnType<typeof statisticsWith>>['report']>>,
  figure: string,
  label: string,
) => {
  const r = report.figures.find((f) => f.id === figure)?.rows.find((x) => x.label === label);
  assert.ok(r, `${figure}/${label}`);
  return r;
};

describe('statistics: quarters in Swedish local time', () => {
  it('puts New Year’s night and the end of March in the right quarter', () => {
    assert.equal(quarterOf('2024-12-31T22:59:59Z'), '2024-Q4'); // 23:59:59 in Stockholm
    assert.equal(quarterOf('2024-12-31T23:00:00Z'), '2025-Q1'); // midnight
    assert.equal(quarterOf('2025-03-31T21:59:59Z'), '2025-Q1'); // 23:59:59 summer time
    assert.equal(quarterOf('2025-03-31T22:00:00Z'), '2025-Q2');
    assert.equal(quarterOf('2025-09-30T22:00:00Z'), '2025-Q4');
  });

  it('steps back over the year and labels as the coordinator writes', () => {
    assert.equal(previousQuarter('2025-Q1'), '2024-Q4');
    assert.equal(previousQuarter('2025-Q3'), '2025-Q2');
    assert.equal(quarterLabel('2025-Q2'), 'K2 2025');
    const { from, to } = quarterBounds('2025-Q2');
    assert.equal(from.toISOString(), '2025-03-31T22:00:00.000Z');
    assert.equal(to.toISOString(), '2025-06-30T22:00:00.000Z');
    assert.equal(quarterBounds('2024-Q4').to.toISOString(), '2024-12-31T23:00:00.000Z');
  });
});

describe('statistics: support hours (weekdays 08–12, not Swedish holidays)', () => {
  it('counts only the open hours of one day', () => {
    assert.equal(supportHours('2025-05-12T05:00:00Z', '2025-05-12T11:00:00Z'), 4); // Mon 07–13 local
    assert.equal(supportHours('2025-05-12T08:30:00Z', '2025-05-12T09:15:00Z'), 0.75);
  });

  it('skips the weekend: Friday 11:00 to Monday 09:00 is two hours', () => {
    assert.equal(supportHours('2025-05-16T09:00:00Z', '2025-05-19T07:00:00Z'), 2);
  });

  it('skips Kristi himmelsfärdsdag, midsommarafton and the Christmas days', () => {
    // Wed 11:30 → Fri 08:30 over Thursday 29 May (a public holiday): 0.5 + 0.5
    assert.equal(supportHours('2025-05-28T09:30:00Z', '2025-05-30T06:30:00Z'), 1);
    // Thu 19 June 10:00 → Mon 23 June 10:00; Friday is midsommarafton
    assert.equal(supportHours('2025-06-19T08:00:00Z', '2025-06-23T08:00:00Z'), 4);
    // Tue 23 Dec 11:00 → Mon 29 Dec 09:00: julafton, juldagen, annandag jul and a weekend between
    assert.equal(supportHours('2025-12-23T10:00:00Z', '2025-12-29T08:00:00Z'), 2);
  });

  it('is right across the switch to summer time', () => {
    // Fri 28 March 11:00 CET → Mon 31 March 09:00 CEST
    assert.equal(supportHours('2025-03-28T10:00:00Z', '2025-03-31T07:00:00Z'), 2);
  });

  it('is zero for an end before the start, and bounded for absurd spans', () => {
    assert.equal(supportHours('2025-05-12T09:00:00Z', '2025-05-12T08:00:00Z'), 0);
    assert.equal(supportHours('2025-05-12T09:00:00Z', 'not a date'), 0);
    assert.ok(supportHours('2000-01-01T00:00:00Z', '2099-01-01T00:00:00Z') < 4 * 5 * 53 * 4);
  });
});

describe('statistics: counters per quarter and category', () => {
  it('counts questions by outcome and channel, and 👍/👎 against the answer’s category', async () => {
    const q1 = question({ at: '2025-05-12T08:00:00Z' });
    const q2 = question({
      at: '2025-05-12T08:01:00Z',
      topicId: 'inloggning',
      category: 'Inloggning och start',
      conversationType: 'channel',
    });
    const stats = await statisticsWith([
      q1,
      q2,
      question({
        at: '2025-05-13T08:00:00Z',
        outcome: 'no-answer',
        topicId: null,
        category: null,
        text: 'vad blir det för middag',
      }),
      question({ at: '2025-02-13T08:00:00Z' }), // previous quarter
      {
        kind: 'feedback',
        questionId: q1.id,
        at: '2025-05-12T08:02:00Z',
        userId: 'u',
        topicId: 'hamtorder',
        helpful: true,
      },
      {
        kind: 'feedback',
        questionId: q2.id,
        at: '2025-05-12T08:02:00Z',
        userId: 'u',
        topicId: 'inloggning',
        helpful: false,
      },
    ]);
    const r = await stats.report('2025-Q2');
    assert.deepEqual(row(r, 'questions', 'Totalt'), { label: 'Totalt', current: 3, previous: 1 });
    assert.equal(row(r, 'questions', 'Utan kategori').current, 1);
    assert.equal(row(r, 'answeredShare', 'Totalt').current, 2 / 3);
    assert.equal(row(r, 'helpfulShare', 'Hämtorder och retur').current, 1);
    assert.equal(row(r, 'helpfulShare', 'Inloggning och start').current, 0);
    assert.equal(row(r, 'helpfulShare', 'Beställning').current, null); // no feedback: no share, not 0 %
    assert.equal(row(r, 'channels', 'Supportkanalen').current, 1);
    assert.equal(row(r, 'channels', 'Personlig chatt').current, 2);
  });

  it('counts the same after a restart as while running: from the snapshot, its tail, or the log', async () => {
    const live = await statisticsWith();
    const log = live.countingLog();
    const q = question({
      at: '2025-05-12T08:00:00Z',
      outcome: 'choices',
      topicId: null,
      suggestions: ['hamtorder'],
    });
    await log.append(q);
    await log.append({
      kind: 'choice',
      questionId: q.id,
      at: '2025-05-12T08:01:00Z',
      userId: 'u',
      topicId: 'hamtorder',
    });
    await log.append({
      kind: 'feedback',
      questionId: q.id,
      at: '2025-05-12T08:02:00Z',
      userId: 'u',
      topicId: 'hamtorder',
      helpful: false,
    });
    // An old client shows the buttons again and the user changes their mind: the last click counts.
    await log.append({
      kind: 'feedback',
      questionId: q.id,
      at: '2025-05-12T08:03:00Z',
      userId: 'u',
      topicId: 'hamtorder',
      helpful: true,
    });
    await log.append({
      kind: 'feedback',
      questionId: q.id,
      at: '2025-05-12T08:04:00Z',
      userId: 'u',
      topicId: 'hamtorder',
      helpful: true,
    });
    const running = await live.report('2025-Q2');
    const logged = await fs.readFile(path.join(live.dataDir, 'questions.jsonl'), 'utf8');
    assert.equal(logged.trim().split('\n').length, 5, 'the store writes through to the log');

    // Stopped (snapshot written on close), then restarted: the snapshot, nothing to read after it.
    await live.close();
    const restarted = await statisticsWith([], [], [], undefined, live.dataDir);
    assert.deepEqual(restarted.store.started, { fromSnapshot: true, tailEntries: 0 });
    assert.deepEqual(await restarted.report('2025-Q2'), running);

    // Without its snapshot (the first start after an upgrade): the whole log, to the same figures.
    await restarted.close();
    await fs.rm(path.join(live.dataDir, SNAPSHOT_FILE));
    const rebuilt = await statisticsWith([], [], [], undefined, live.dataDir);
    assert.deepEqual(rebuilt.store.started, { fromSnapshot: false, tailEntries: 5 });
    assert.deepEqual(await rebuilt.report('2025-Q2'), running);

    assert.equal(row(running, 'answeredShare', 'Hämtorder och retur').current, 1); // picked after "Menade du …?"
    assert.equal(row(running, 'helpfulShare', 'Hämtorder och retur').current, 1);
    assert.deepEqual(running.gaps, []); // the 👎 was taken back
  });

  it('skips log lines it cannot read instead of failing the start', async () => {
    const junk = [
      { kind: 'question', at: 'yesterday' },
      { kind: 'question', at: '2025-05-12T08:00:00Z', outcome: 'no-answer' }, // no text, no id
      { kind: 'feedback', at: '2025-05-12T08:00:00Z', questionId: 'nope', topicId: 'okänt' },
      { kind: 'something-new', at: '2025-05-12T08:00:00Z' },
      null,
    ] as unknown as LogEntry[];
    const r = await (await statisticsWith(junk)).report('2025-Q2');
    assert.equal(row(r, 'questions', 'Totalt').current, 1);
  });
});

describe('statistics: knowledge gaps', () => {
  it('groups similar unanswered questions and 👎 answers, masked, most frequent first', async () => {
    const noAnswer = (text: string, at = '2025-05-12T08:00:00Z') =>
      question({ at, text, outcome: 'no-answer', topicId: null, category: null });
    const answered = question({
      at: '2025-05-12T08:00:00Z',
      text: 'hur skriver jag en hämtorder för 19121212-1212',
    });
    const stats = await statisticsWith([
      noAnswer('Hur bokar jag ett konferensrum?'),
      noAnswer('boka konferensrum'),
      noAnswer('bokar konferensrummet hur gör man'),
      noAnswer('konferensrum boka åt [personnummer] 19121212-1212'),
      noAnswer('vad blir det för middag'),
      noAnswer('hej'), // nothing but filler: not a gap
      noAnswer('boka konferensrum', '2025-02-12T08:00:00Z'), // another quarter
      answered,
      {
        kind: 'feedback',
        questionId: answered.id,
        at: '2025-05-12T08:05:00Z',
        userId: 'u',
        topicId: 'hamtorder',
        helpful: false,
      },
    ]);
    const { gaps } = await stats.report('2025-Q2');
    assert.equal(gaps[0].count, 4, JSON.stringify(gaps, null, 1));
    assert.equal(gaps[0].noAnswer, 4);
    assert.ok(gaps[0].examples.length <= 3);
    const hamtorder = gaps.find((g) => g.notHelpful === 1);
    assert.ok(hamtorder);
    assert.deepEqual(hamtorder.topicIds, ['hamtorder']);
    assert.equal(gaps.length, 3);
    assert.doesNotMatch(JSON.stringify(gaps), /1212/);
  });

  it('normalises word order, case, å/ä/ö and inflection', () => {
    assert.equal(gapKey('Konferensrum bokar'), gapKey('boka konferensrum'));
    assert.equal(gapKey('Hämtordern'), gapKey('hamtorder'));
    assert.equal(gapKey('hej hej'), '');
  });
});

describe('statistics: tickets and calls', () => {
  const ticket = (o: Partial<TicketLike> & { openedAt: string }): TicketLike => ({
    id: `t${++seq}`,
    category: 'Beställning',
    level: 1,
    history: [],
    ...o,
  });

  it('reads level reached, first response and resolution from the history', () => {
    const fact = factOf(
      ticket({
        openedAt: '2025-05-16T09:00:00Z', // Fri 11:00
        level: 2,
        history: [
          { kind: 'opened', at: '2025-05-16T09:00:00Z' },
          { kind: 'escalated', at: '2025-05-19T07:00:00Z', level: 3 },
          { kind: 'taken', at: '2025-05-19T07:00:00Z' },
          { kind: 'resolved', at: '2025-05-19T08:00:00Z' },
          { kind: 'reopened', at: '2025-05-19T08:30:00Z', byRequester: true },
          { kind: 'resolved', at: '2025-05-20T06:00:00Z' },
        ],
      }),
    );
    assert.equal(fact.maxLevel, 3);
    assert.equal(fact.firstResponseAt?.toISOString(), '2025-05-19T07:00:00.000Z');
    assert.equal(fact.resolvedAt?.toISOString(), '2025-05-20T06:00:00.000Z');
  });

  it('gives tickets, escalations per level and median times per category', async () => {
    const opened = '2025-05-16T09:00:00Z'; // Friday 11:00
    const stats = await statisticsWith(
      [],
      [],
      [
        ticket({
          openedAt: opened,
          history: [
            { kind: 'taken', at: '2025-05-16T09:30:00Z' },
            { kind: 'resolved', at: '2025-05-19T07:00:00Z' },
          ],
        }), // 2 h
        ticket({
          openedAt: opened,
          history: [
            { kind: 'escalated', at: '2025-05-16T09:10:00Z', level: 2 },
            { kind: 'resolved', at: '2025-05-19T09:00:00Z' },
          ],
        }), // 4 h
        ticket({
          openedAt: opened,
          history: [{ kind: 'escalated', at: '2025-05-16T09:10:00Z', level: 3 }],
        }), // unresolved
        ticket({ openedAt: '2025-02-03T08:00:00Z', category: 'Inloggning och start' }),
        ticket({ openedAt: '2025-05-16T09:00:00Z', category: null }),
      ],
    );
    const r = await stats.report('2025-Q2');
    assert.deepEqual(row(r, 'tickets', 'Beställning'), {
      label: 'Beställning',
      current: 3,
      previous: 0,
    });
    assert.equal(row(r, 'tickets', 'Inloggning och start').previous, 1);
    assert.equal(row(r, 'tickets', 'Totalt').current, 4);
    assert.equal(row(r, 'level2', 'Beställning').current, 2);
    assert.equal(row(r, 'level3', 'Beställning').current, 1);
    assert.equal(row(r, 'resolution', 'Beställning').current, 3); // median of 2 h and 4 h
    // Escalating is not answering: the second ticket's first response is its resolution (4 h).
    assert.equal(row(r, 'firstResponse', 'Beställning').current, 2.25);
    assert.equal(row(r, 'resolution', 'Inloggning och start').current, null);
    // Calendar days: 2 d 22 h and 3 d.
    assert.ok(
      Math.abs(row(r, 'resolutionCalendar', 'Beställning').current! - (2 + 22 / 24 + 3) / 2) < 1e-9,
    );
  });

  it('lets staff register calls by a category’s start, and nobody else', async () => {
    const stats = await statisticsWith();
    const r = await stats.registerCall('aad-staff', 'hämt', 'command');
    assert.equal(r.entry.category, 'Hämtorder och retur');
    assert.equal(r.countInQuarter, 1);
    assert.equal((await stats.registerCall('aad-staff', 'ÖVRIGT', 'tab')).entry.category, 'Övrigt');
    await assert.rejects(stats.registerCall('aad-user-1', 'hämt', 'command'), NotStaffError);
    await assert.rejects(
      stats.registerCall('aad-staff', 'middag', 'command'),
      UnknownCategoryError,
    );
    await assert.rejects(stats.registerCall('aad-staff', '', 'command'), UnknownCategoryError);
    const logged = await fs.readFile(path.join(stats.dataDir, 'calls.jsonl'), 'utf8');
    assert.equal(logged.trim().split('\n').length, 2);
    const report = await stats.report('2025-Q2');
    assert.equal(row(report, 'calls', 'Övrigt').current, 1);
    assert.equal(row(report, 'channels', 'Telefon').current, 2);
  });

  it('takes the median of an even count as the mean of the middle two', () => {
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([]), null);
  });
});

describe('statistics: the quarter at a glance', () => {
  it('gives each headline against the previous quarter, a year before, and eight quarters', async () => {
    const answered = (at: string) => question({ at });
    const noAnswer = (at: string) =>
      question({ at, outcome: 'no-answer', topicId: null, category: null, text: 'middag' });
    const stats = await statisticsWith(
      [
        answered('2024-05-02T08:00:00Z'), // K2 2024: 1 of 1
        answered('2025-02-03T08:00:00Z'), // K1 2025: 1 of 2
        noAnswer('2025-02-03T08:00:00Z'),
        answered('2025-05-12T08:00:00Z'), // K2 2025: 3 answered of 4, one call
        answered('2025-05-12T08:01:00Z'),
        answered('2025-05-12T08:02:00Z'),
        noAnswer('2025-05-12T08:03:00Z'),
      ],
      [
        {
          kind: 'call',
          id: 'c1',
          at: '2025-05-13T08:00:00Z',
          category: 'Beställning',
          registeredBy: 'aad-staff',
          via: 'command',
        },
      ],
      [
        {
          id: 't1',
          category: 'Beställning',
          topicId: 'hamtorder', // after an answer: that answer does not count as self-service
          level: 1,
          openedAt: '2025-05-16T09:00:00Z', // Friday 11:00
          history: [{ kind: 'resolved', at: '2025-05-19T09:00:00Z' }], // 4 support hours
        },
        {
          id: 't2',
          category: null,
          topicId: null, // after "no answer": not subtracted
          level: 1,
          openedAt: '2025-05-12T08:00:00Z',
          history: [{ kind: 'resolved', at: '2025-05-12T09:00:00Z' }], // 1 support hour
        },
      ],
    );
    const { overview } = await stats.report('2025-Q2');
    assert.equal(overview.yearAgo, '2024-Q2');
    assert.deepEqual(
      overview.quarters.map((q) => q.key),
      ['2023-Q3', '2023-Q4', '2024-Q1', '2024-Q2', '2024-Q3', '2024-Q4', '2025-Q1', '2025-Q2'],
    );
    const h = Object.fromEntries(overview.headlines.map((x) => [x.id, x]));
    assert.deepEqual([h.questions.current, h.questions.previous, h.questions.yearAgo], [4, 2, 1]);
    assert.deepEqual(h.questions.trend, [0, 0, 0, 1, 0, 0, 2, 4]);
    // (3 answered − 1 ticket after an answer) / (4 questions + 1 call)
    assert.equal(h.selfService.current, 2 / 5);
    assert.equal(h.selfService.previous, 1 / 2);
    assert.equal(h.selfService.yearAgo, 1);
    assert.deepEqual(h.selfService.trend.slice(0, 3), [null, null, null], 'no contacts: no share');
    assert.equal(h.tickets.current, 2);
    assert.equal(h.calls.current, 1);
    assert.equal(h.resolution.current, 2.5);
    assert.equal(h.resolution.previous, null);
  });
});

describe('statistics on lowdb: the snapshot', () => {
  it('counts the whole log again when the log is not the one the snapshot counted', async () => {
    const first = await statisticsWith([question({ at: '2025-05-12T08:00:00Z' })]);
    await first.close();
    // The log replaced (restored from a backup, say) by another of the same length or longer.
    const other = question({ at: '2025-05-12T09:00:00Z', id: 'another-question-entirely' });
    await fs.writeFile(
      path.join(first.dataDir, 'questions.jsonl'),
      `${JSON.stringify(other)}\n${JSON.stringify(other)}\n`,
    );
    const again = await statisticsWith([], [], [], undefined, first.dataDir);
    assert.deepEqual(again.store.started, { fromSnapshot: false, tailEntries: 2 });
    assert.equal(row(await again.report('2025-Q2'), 'questions', 'Totalt').current, 2);
  });

  it('keeps a closed quarter’s most frequent gaps, so memory and the snapshot stay flat', async () => {
    const noAnswer = (text: string) =>
      question({
        at: '2024-05-12T08:00:00Z',
        outcome: 'no-answer',
        topicId: null,
        category: null,
        text,
      });
    // Words of one length, so that no two groups merge as one word's inflections.
    const word = (i: number) =>
      `${[0, 1, 2, 3, 4].map((k) => String.fromCharCode(98 + (Math.floor(i / 20 ** k) % 20))).join('')}x`;
    const entries = Array.from({ length: 1200 }, (_, i) =>
      noAnswer(`${word(i)} ${word(i + 5000)}`),
    );
    for (let i = 0; i < 5; i++) entries.push(noAnswer('boka konferensrum'));
    const stats = await statisticsWith(entries); // now: K2 2025, so K2 2024 is closed
    const before = (await stats.report('2024-Q2')).gaps;
    await stats.store.snapshot();
    const snapshot = JSON.parse(await fs.readFile(path.join(stats.dataDir, SNAPSHOT_FILE), 'utf8'));
    const [, groups] = snapshot.counters.gaps.find(([q]: [string]) => q === '2024-Q2');
    assert.equal(groups.length, 1000);
    assert.deepEqual((await stats.report('2024-Q2')).gaps, before);
    assert.equal(before[0].count, 5);
  });
});

describe('statistics: lowdb and PostgreSQL count alike', function () {
  let server: TestPostgres;
  before(async function () {
    server = await postgresForSuite(this);
  });
  after(() => server?.stop());

  it('gives the same counts and gaps, live and when counting an older log at start', async () => {
    const q1 = question({ at: '2025-05-12T08:00:00Z', text: 'hämtorder för \u0000 19121212-1212' });
    const q2 = question({
      at: '2025-05-12T08:00:00Z',
      outcome: 'choices',
      topicId: null,
      category: 'Beställning',
      suggestions: ['bestallning'],
    });
    const fb = (questionId: string, helpful: boolean, at: string) =>
      ({ kind: 'feedback', questionId, at, userId: 'u', topicId: 'hamtorder', helpful }) as const;
    const entries: LogEntry[] = [
      q1,
      q2,
      {
        kind: 'choice',
        questionId: q2.id,
        at: '2025-05-12T08:01:00Z',
        userId: 'u',
        topicId: 'bestallning',
      },
      {
        kind: 'choice',
        questionId: q2.id,
        at: '2025-05-12T08:01:00Z',
        userId: 'u',
        topicId: 'bestallning',
      },
      fb(q1.id, false, '2025-07-02T08:00:00Z'), // next quarter: counted where its question was
      fb(q1.id, true, '2025-07-02T08:01:00Z'),
      fb(q1.id, false, '2025-07-02T08:02:00Z'),
      fb('unknown-question', true, '2025-05-12T08:00:00Z'),
      question({
        at: '2025-05-13T08:00:00Z',
        outcome: 'no-answer',
        topicId: null,
        category: null,
        text: 'boka konferensrum',
      }),
      question({
        at: '2025-05-13T08:00:00Z',
        outcome: 'no-answer',
        topicId: null,
        category: null,
        text: 'konferensrum bokar',
      }),
      question({
        at: '2025-05-13T08:00:00Z',
        outcome: 'out-of-scope',
        topicId: null,
        category: null,
        conversationType: 'groupChat',
      }),
      { kind: 'question', at: 'not a date' } as unknown as LogEntry,
    ];
    const call: CallEntry = {
      kind: 'call',
      id: 'c1',
      at: '2025-05-13T08:00:00Z',
      category: 'Övrigt',
      registeredBy: 'aad-staff',
      via: 'tab',
    };
    const lowdb = await statisticsWith(entries, [call]);
    const view = async (s: Pick<StatsStore, 'counts' | 'topGaps' | 'quarters'>) => ({
      counts: [...(await s.counts(['2025-Q2', '2025-Q3'])).entries()].map(([q, m]) => [
        q,
        Object.fromEntries([...m].sort()),
      ]),
      // PostgreSQL text cannot hold NUL: it keeps U+FFFD instead (pgText).
      gaps: (await s.topGaps('2025-Q2', 10)).map((g) => ({
        ...g,
        examples: g.examples.map((e) => e.replaceAll('\u0000', '\uFFFD')),
      })),
      quarters: await s.quarters(),
    });
    const expected = await view(lowdb.store);

    const deps = {
      categoryOfTopic: (id: string) => CATEGORIES[id] ?? null,
      now: () => new Date('2025-05-12T08:00:00Z'),
    };
    // Live: each entry logged and counted in its own transaction.
    const livePool = await openPostgres({ url: await server.freshDatabase() });
    const live = await openPostgresStats({ ...deps, pool: livePool });
    for (const e of entries) await live.append(e);
    await live.appendCall(call);
    assert.deepEqual(await view(live), expected);
    await livePool.end();

    // At start: lines written before the counters existed (counted = false), counted once.
    const url = await server.freshDatabase();
    const pool = await openPostgres({ url });
    for (const e of entries)
      await pool.query('INSERT INTO question_log (entry) VALUES ($1)', [JSON.stringify(e)]);
    await pool.query('INSERT INTO call_log (entry) VALUES ($1)', [JSON.stringify(call)]);
    const started = await openPostgresStats({ ...deps, pool });
    assert.deepEqual(await view(started), expected);
    const again = await openPostgresStats({ ...deps, pool }); // a second start counts nothing twice
    assert.deepEqual(await view(again), expected);
    await pool.end();
  });
});
