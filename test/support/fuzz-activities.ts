import fs from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';

/**
 * Generated activities for the fuzz test and bench: Teams-shaped ones with hostile values, wrong
 * types, missing ids, huge strings, deep JSON, invokes with forged verbs and ids, card data with
 * markup. Every serviceUrl is the fake connector's, a closed loopback port, or not a URL at all,
 * so a generated activity can never make the bot send anywhere else.
 */
export interface FuzzTargets {
  serviceUrl: string;
  /** Ids the stores already hold (tickets, topics), so that forged clicks name real things. */
  knownIds: string[];
}

const INJECTIONS = [
  '<script>alert(1)</script>',
  '${topicId}',
  '${$root.ticketId}',
  '{{name}}',
  '[klicka](javascript:alert(1))',
  '**fet** _kursiv_ `kod`',
  '<at>webSesam-hjälpen</at>',
  '</at><at>',
  '&lt;b&gt;&amp;&nbsp;',
  '\u0000\u0001\u202e\ufeff',
  '19121212-1212',
  '"},{"type":"Action.Execute","verb":"ticket.resolve"}',
  '__proto__',
  'constructor',
  '../../../etc/passwd',
  'hjälp',
  'mina ärenden',
  'samtal 19121212-1212 beställning',
  'registrera som supportkanal',
  'hur skriver jag en hämtorder',
];

const VERBS = [
  'topic.show',
  'topic.none',
  'feedback.give',
  'help.category',
  'help.show',
  'ticket.start',
  'ticket.submit',
  'ticket.take',
  'ticket.assign',
  'ticket.answer',
  'ticket.escalate',
  'ticket.resolve',
  'ticket.reopen',
  'ticket.review',
  'ticket.show',
  'ticket.edit',
  'ticket.feedback',
  'outage.publish',
  'outage.cancel',
  'outage.send',
  'stats.show',
  'call.register',
];

const TYPES = [
  'message',
  'invoke',
  'conversationUpdate',
  'installationUpdate',
  'messageReaction',
  'typing',
  'event',
  'endOfConversation',
];
const INVOKE_NAMES = [
  'adaptiveCard/action',
  'composeExtension/query',
  'task/fetch',
  'task/submit',
  'signin/verifyState',
  'fileConsent/invoke',
  'actionableMessage/executeAction',
  '',
];

/** A short hostile string. */
const text = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 5, arbitrary: fc.string({ maxLength: 60 }) },
    { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
    { weight: 4, arbitrary: fc.constantFrom(...INJECTIONS) },
    {
      weight: 2,
      arbitrary: fc.array(fc.constantFrom(...INJECTIONS), { maxLength: 6 }).map((a) => a.join(' ')),
    },
  );

/** Mostly short, sometimes huge: from past the question limit to past the body limit. */
const bigText = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 12, arbitrary: text() },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 1_000, max: 400_000 })
        .map((n) => 'hämtorder '.repeat(Math.ceil(n / 10)).slice(0, n)),
    },
  );

/** Anything of the wrong type for where it is put. */
const wrong = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.string(), { maxLength: 3 }),
    fc.object({ maxDepth: 2, maxKeys: 4 }),
  );

/**
 * Nested arrays or objects, up to 60,000 deep: a recursive reader would overflow its stack. Held
 * as a marker and written out by `toBody`, because JSON.stringify itself overflows on them.
 */
const deep = (): fc.Arbitrary<unknown> =>
  fc
    .tuple(fc.integer({ min: 50, max: 60_000 }), fc.boolean())
    .map(([depth, arrays]) => `\u0000deep:${depth}:${arrays ? 'a' : 'o'}\u0000`);

const DEEP_MARKER = /"\\u0000deep:(\d+):([ao])\\u0000"/g;

/** The request body for a generated activity, deep markers expanded to the nesting they stand for. */
export function toBody(activity: unknown): string {
  const json = JSON.stringify(activity) ?? 'null';
  return json.replace(DEEP_MARKER, (_m, depth: string, kind: string) => {
    const n = Number(depth);
    return kind === 'a'
      ? `${'['.repeat(n)}"bottom"${']'.repeat(n)}`
      : `${'{"d":'.repeat(n)}"bottom"${'}'.repeat(n)}`;
  });
}

/** Present and right, wrong type, or missing. */
const maybe = <T>(right: fc.Arbitrary<T>, rightWeight = 8): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: rightWeight, arbitrary: right },
    { weight: 1, arbitrary: wrong() },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );

export function activityArbitrary(targets: FuzzTargets): fc.Arbitrary<unknown> {
  // Three in four keep a well-formed envelope, so that hostile content reaches the bot and its
  // domain; the rest break the envelope itself. Bodies that are no activity at all come rarely.
  return fc.oneof(
    { weight: 15, arbitrary: activityWith(targets, false) },
    { weight: 5, arbitrary: activityWith(targets, true) },
    {
      weight: 1,
      arbitrary: fc.oneof(
        wrong(),
        deep(),
        fc.array(activityWith(targets, true), { maxLength: 2 }),
        bigText(),
      ),
    },
  );
}

function activityWith(
  { serviceUrl, knownIds }: FuzzTargets,
  brokenEnvelope: boolean,
): fc.Arbitrary<unknown> {
  /** An envelope field: always right in a well-formed envelope, else sometimes wrong or missing. */
  const envelope = <T>(right: fc.Arbitrary<T>, weight = 8): fc.Arbitrary<unknown> =>
    brokenEnvelope ? maybe(right, weight) : right;
  const id = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('user-a', 'user-b', 'user-c', 'fuzz-staff?', '29:1') },
    { weight: 2, arbitrary: fc.string({ minLength: 1, maxLength: 30 }) },
    ...(brokenEnvelope
      ? [
          {
            weight: 1,
            arbitrary: fc.integer({ min: 1_000, max: 100_000 }).map((n) => 'x'.repeat(n)),
          },
        ]
      : []),
  );
  const account = fc.record(
    {
      id: envelope(id, 4),
      name: maybe(text(), 4),
      aadObjectId: maybe(id, 6),
      role: maybe(fc.constantFrom('user', 'bot', 'skill'), 2),
    },
    { requiredKeys: ['id'] },
  );
  const forgedId = fc.oneof(
    fc.constantFrom(...(knownIds.length ? knownIds : ['T-1'])),
    fc.string({ maxLength: 20 }),
    fc.constantFrom('T-0', 'T-999999', '../tickets', '__proto__', ''),
    wrong(),
  );
  const cardData = fc.record(
    {
      ticketId: forgedId,
      topicId: forgedId,
      suggestedTopicId: forgedId,
      questionId: forgedId,
      category: maybe(text(), 3),
      helpful: maybe(fc.boolean(), 3),
      version: maybe(fc.integer({ min: -1, max: 1_000_000 }), 3),
      text: maybe(bigText(), 3),
      reason: maybe(text(), 3),
      answer: maybe(text(), 3),
      notice: maybe(text(), 3),
      nested: fc.option(deep(), { freq: 10, nil: undefined }),
      verb: maybe(fc.constantFrom(...VERBS), 2),
    },
    { requiredKeys: [] },
  );
  const verb = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...VERBS) },
    { weight: 2, arbitrary: text() },
    { weight: 1, arbitrary: wrong() },
  );
  const invokeValue = fc.oneof(
    fc.record(
      {
        action: maybe(
          fc.record(
            {
              type: maybe(fc.constantFrom('Action.Execute', 'Action.Submit')),
              verb,
              data: maybe(cardData),
            },
            { requiredKeys: [] },
          ),
        ),
        trigger: maybe(fc.constant('manual'), 2),
      },
      { requiredKeys: [] },
    ),
    cardData,
    deep(),
    wrong(),
  );
  const tenant = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom('tenant-1', 'tenant-2') },
    { weight: 1, arbitrary: fc.constantFrom('tenant-evil', '') },
  );
  const base = fc.record(
    {
      type: envelope(
        fc.oneof(
          { weight: 8, arbitrary: fc.constantFrom(...TYPES) },
          { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 64 }) },
        ),
        4,
      ),
      id: maybe(fc.string({ maxLength: 20 })),
      timestamp: maybe(
        fc.oneof(
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          fc.string({ maxLength: 30 }),
        ),
        6,
      ),
      localTimestamp: maybe(fc.string({ maxLength: 30 }), 1),
      channelId: envelope(
        fc.oneof(
          { weight: 8, arbitrary: fc.constant('msteams') },
          { weight: 1, arbitrary: fc.constantFrom('emulator', 'webchat', 'directline') },
        ),
        4,
      ),
      serviceUrl: brokenEnvelope
        ? fc.oneof(
            fc.constant(serviceUrl),
            fc.string({ maxLength: 30 }).map((s) => `::${s}`) /* never a URL */,
            wrong(),
            fc.constant(undefined),
          )
        : fc.constant(serviceUrl),
      from: envelope(account, 4),
      recipient: envelope(fc.constant({ id: '28:bot-id', name: 'webSesam-hjälpen' }), 4),
      conversation: envelope(
        fc.record(
          {
            id: envelope(id, 4),
            conversationType: maybe(
              fc.constantFrom('personal', 'channel', 'groupChat', 'meeting'),
              6,
            ),
            tenantId: maybe(tenant, 4),
            isGroup: maybe(fc.boolean(), 2),
          },
          { requiredKeys: ['id', 'conversationType'] },
        ),
        4,
      ),
      text: envelope(bigText(), 4),
      textFormat: maybe(fc.constantFrom('plain', 'markdown', 'xml'), 2),
      name: envelope(
        fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom(...INVOKE_NAMES) },
          { weight: 1, arbitrary: text() },
        ),
        4,
      ),
      value: maybe(invokeValue, 6),
      attachments: maybe(
        fc.array(
          fc.record({ contentType: maybe(text()), content: maybe(cardData) }, { requiredKeys: [] }),
          { maxLength: 3 },
        ),
        2,
      ),
      entities: maybe(fc.array(fc.object({ maxDepth: 2 }), { maxLength: 3 }), 2),
      membersAdded: maybe(
        fc.array(fc.oneof(fc.constant({ id: '28:bot-id' }), account), { maxLength: 3 }),
        2,
      ),
      action: maybe(fc.constantFrom('add', 'remove', 'add-upgrade'), 1),
      channelData: maybe(
        fc.record(
          {
            tenant: maybe(fc.record({ id: maybe(tenant, 20) }, { requiredKeys: ['id'] }), 20),
            team: maybe(fc.record({ id: maybe(id) }), 2),
            channel: maybe(fc.record({ id: maybe(id), name: maybe(text()) }), 2),
            eventType: maybe(text(), 1),
          },
          { requiredKeys: ['tenant'] },
        ),
        20,
      ),
      replyToId: maybe(fc.string({ maxLength: 20 }), 2),
      deliveryMode: maybe(fc.constantFrom('normal', 'expectReplies', 'notification'), 1),
    },
    {
      requiredKeys: [
        'type',
        'channelId',
        'serviceUrl',
        'from',
        'recipient',
        'conversation',
        'channelData',
      ],
    },
  );
  return base;
}

/**
 * Every record the data folder held before: JSON stores compared entry by entry (nothing changed
 * or vanished; new entries are allowed), JSON Lines logs by prefix (append-only).
 */
export async function snapshotRecords(dataDir: string): Promise<Map<string, string>> {
  const records = new Map<string, string>();
  for (const name of await fs.readdir(dataDir)) {
    const file = path.join(dataDir, name);
    if (!(await fs.stat(file)).isFile()) continue;
    const raw = await fs.readFile(file, 'utf8');
    if (name.endsWith('.jsonl')) {
      records.set(`${name}#prefix`, raw);
    } else if (name.endsWith('.json')) {
      const data = JSON.parse(raw) as Record<string, unknown>;
      for (const [collection, value] of Object.entries(data)) {
        if (value && typeof value === 'object') {
          for (const [key, entry] of Object.entries(value))
            records.set(`${name}#${collection}.${key}`, JSON.stringify(entry));
        } else records.set(`${name}#${collection}`, JSON.stringify(value));
      }
    }
  }
  return records;
}

/** What changed among the records `before` held; empty when nothing did. */
export async function changedRecords(
  dataDir: string,
  before: Map<string, string>,
): Promise<string[]> {
  const after = await snapshotRecords(dataDir);
  const changed: string[] = [];
  for (const [key, value] of before) {
    if (key.endsWith('#prefix')) {
      if (!(after.get(key) ?? '').startsWith(value)) changed.push(key);
    } else if (after.get(key) !== value) changed.push(key);
  }
  return changed;
}

export interface FuzzCounts {
  sent: number;
  byClass: Record<'2xx' | '3xx' | '4xx' | '5xx' | 'network', number>;
  byStatus: Record<string, number>;
  /** What the 400s named as the problem (the field), to see which checks the fuzz reached. */
  refusedFields: Record<string, number>;
  /** Uncaught exceptions and unhandled rejections in this process while the fuzz ran. */
  crashes: number;
  firstFailure?: string;
}

/**
 * Posts `runs` generated activities, one after another, and asserts each answer is 2xx/4xx
 * (fast-check shrinks a failure to a small counterexample). Returns the counts either way.
 */
export async function runFuzz(
  botUrl: string,
  targets: FuzzTargets,
  runs: number,
  seed?: number,
): Promise<FuzzCounts> {
  const counts: FuzzCounts = {
    sent: 0,
    byClass: { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, network: 0 },
    byStatus: {},
    refusedFields: {},
    crashes: 0,
  };
  const crash = () => counts.crashes++;
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  try {
    await fc.assert(
      fc.asyncProperty(activityArbitrary(targets), async (activity) => {
        counts.sent++;
        let status: number;
        try {
          const res = await fetch(`${botUrl}/api/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: toBody(activity),
          });
          const answer = await res.text();
          status = res.status;
          if (status === 400) {
            const field = /"detail":"([^":]*)/.exec(answer)?.[1] ?? '(other)';
            counts.refusedFields[field] = (counts.refusedFields[field] ?? 0) + 1;
          }
        } catch {
          counts.byClass.network++;
          throw new Error('no answer: the server dropped the connection');
        }
        counts.byStatus[status] = (counts.byStatus[status] ?? 0) + 1;
        counts.byClass[`${Math.floor(status / 100)}xx` as '2xx']++;
        if (status >= 500 || status < 200 || (status >= 300 && status < 400))
          throw new Error(`status ${status}`);
      }),
      { numRuns: runs, seed, endOnFailure: true },
    );
  } catch (e) {
    // Long generated strings make the report unreadable: keep its head and tail.
    const message = (e as Error).message.replace(
      /(.)\1{40,}/g,
      (run, ch: string) => `${ch}…(${run.length}×)`,
    );
    counts.firstFailure =
      message.length > 4000 ? `${message.slice(0, 3000)} … ${message.slice(-800)}` : message;
  } finally {
    process.off('uncaughtException', crash);
    process.off('unhandledRejection', crash);
  }
  return counts;
}
