import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import type { RunningApp } from '../../src/app.js';
import { createLog } from '../../src/log.js';
import {
  containsPersonnummer,
  maskDeep,
  maskPersonnummer,
  PERSONNUMMER_MASK,
} from '../../src/privacy/mask.js';
import { findAll, textOf } from '../support/activities.js';
import { startBot, tempDir, testConfig } from '../support/bot.js';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector.js';
import { channelCard, ticketFlow } from '../tickets/ticket-flow.js';

// Every variant is made from the test number 19121212-1212: no other number shaped like a
// personnummer is written into the repository.
const TEST_NUMBER = '19121212-1212';
const DIGITS = TEST_NUMBER.replace('-', ''); // 191212121212

// What text from Word, Outlook, a PDF or a web form puts where people typed "-" or " ".
const DASHES = [
  '-',
  '\u2010', // hyphen
  '\u2011', // non-breaking hyphen
  '\u2012', // figure dash
  '\u2013', // en dash
  '\u2014', // em dash
  '\u2015', // horizontal bar
  '\u2212', // minus sign
  '\uFE58', // small em dash
  '\uFE63', // small hyphen-minus
  '\uFF0D', // full-width hyphen-minus
];
const SPACES = [
  ' ',
  '\u00A0', // no-break space
  '\u202F', // narrow no-break space
  '\u2009', // thin space
  '\u3000', // ideographic space
  '\t',
];
// HTML character references, as text from a web form or an e-mail may still hold them.
const REFERENCES = ['&#8209;', '&#x2013;', '&ndash;', '&minus;', '&nbsp;', '&#45;'];
const INVISIBLES = [
  '\u200B', // zero-width space
  '\u200C', // zero-width non-joiner
  '\u200D', // zero-width joiner
  '\u00AD', // soft hyphen
  '\u2060', // word joiner
  '\uFEFF', // BOM, zero-width no-break space
  '\u200E', // left-to-right mark
  '\u200F', // right-to-left mark
  '\u202A', // left-to-right embedding
  '\u202C', // pop directional formatting
  '\u2066', // left-to-right isolate
  '\u2069', // pop directional isolate
  '\u061C', // Arabic letter mark
];
// A digit as a person's text may hold it: ASCII, full-width, mathematical bold, Arabic-Indic.
const DIGIT_FORMS = [0x30, 0xff10, 0x1d7ce, 0x0660];
const digitAs = (d: string, zero: number) => String.fromCodePoint(zero + Number(d));

/** Text around a number: anything without a digit in it, as written or once normalised. */
const noDigits = (s: string) =>
  [...s].filter((c) => !/\p{N}/u.test(c) && !/\d/.test(c.normalize('NFKC'))).join('');
const surrounding = fc.string({ unit: 'grapheme', maxLength: 30 }).map(noDigits);

/** A pasted form of the test number, 12 or 10 digits, in any of the ways listed above. */
const pasted = fc
  .record({
    century: fc.boolean(),
    digitForm: fc.oneof(
      { weight: 4, arbitrary: fc.constant(0x30) },
      { weight: 3, arbitrary: fc.constant(0xff10) },
      { weight: 1, arbitrary: fc.constantFrom(...DIGIT_FORMS) },
    ),
    mixDigits: fc.boolean(),
    // Separators after the century, the year, the month, and before the last four digits.
    dateSep: fc.constantFrom('', '', '-', '.', '/', ' ', ...DASHES, ...SPACES, ...REFERENCES),
    centurySep: fc.constantFrom('', '', ' '),
    sameDateSep: fc.boolean(),
    otherDateSep: fc.constantFrom('', '-', '.', ' ', '\u2010', '\u00A0'),
    tailSep: fc.constantFrom(
      ...['', '-', '+', '/', ' ', ' - ', ' \u2013 ', ' -', '&nbsp;-&nbsp;'],
      ...DASHES,
      ...SPACES,
      ...REFERENCES,
    ),
    pairs: fc.boolean(), // the last four as "12 12"
    invisibles: fc.array(fc.record({ at: fc.nat(), ch: fc.constantFrom(...INVISIBLES) }), {
      maxLength: 4,
    }),
  })
  .map((o) => {
    const d = (s: string, i: number) =>
      [...s]
        .map((c, k) =>
          digitAs(c, o.mixDigits ? DIGIT_FORMS[(i + k) % DIGIT_FORMS.length] : o.digitForm),
        )
        .join('');
    const [cc, yy, mm, dd, tail] = [
      DIGITS.slice(0, 2),
      DIGITS.slice(2, 4),
      DIGITS.slice(4, 6),
      DIGITS.slice(6, 8),
      DIGITS.slice(8),
    ];
    const sep2 = o.sameDateSep ? o.dateSep : o.otherDateSep;
    const last = o.pairs ? `${d(tail.slice(0, 2), 8)} ${d(tail.slice(2), 10)}` : d(tail, 8);
    const text =
      (o.century ? d(cc, 0) + o.centurySep : '') +
      `${d(yy, 2)}${o.dateSep}${d(mm, 4)}${sep2}${d(dd, 6)}${o.tailSep}${last}`;
    // Invisible characters between any two characters of the number (a character reference
    // counts as one).
    const units = text.match(/&[#\w]+;|[^]/gu)!;
    for (const { at, ch } of o.invisibles) units.splice(1 + (at % (units.length - 1)), 0, ch);
    return units.join('');
  });

/** No trace of a digit left: every digit of the number went into the mask. */
const hasDigit = (s: string) => /\p{N}/u.test(s) || /\d/.test(s.normalize('NFKC'));

describe('personnummer as people paste them', () => {
  it('masks the forms from Word, Outlook, PDFs and web forms', () => {
    const variants = [
      '1912-12-12-1212',
      '19 12 12-1212',
      '1912.12.12-1212',
      '12.12.12-1212',
      '12-12-12-1212',
      '1912 12 12 1212',
      '19121212 \u2013 1212',
      '19121212\u20111212',
      '19121212\u22121212',
      '121212\uFE581212',
      '\uFF11\uFF19\uFF11\uFF12\uFF11\uFF12\uFF11\uFF12\uFF0D\uFF11\uFF12\uFF11\uFF12',
      '1912\u200B1212\u200B1212',
      '19121212\u00AD-\u00AD1212',
      '\u202A19121212-1212\u202C',
      '\u200E121212\u00A0-\u00A01212',
      '19\u202F12\u202F12\u202F12\u202F12\u202F12',
      '121212+1212',
      '1912/12/12-1212',
      '19121212&#8209;1212',
      '121212&nbsp;1212',
      '1912&#x2011;12&#45;12&ndash;1212',
      '191212121212',
      '1212121212',
    ];
    for (const v of variants) {
      const out = maskPersonnummer(`Patient: ${v}, rullator`);
      assert.ok(out.includes(PERSONNUMMER_MASK), `${JSON.stringify(v)} → ${JSON.stringify(out)}`);
      assert.ok(!hasDigit(out), `${JSON.stringify(v)} → ${JSON.stringify(out)}`);
    }
  });

  it('keeps the rest of the text as written: only the number is replaced', () => {
    const text = 'Beställ\u00A0rullator ﬁn till\u200B 19121212\u20131212 – tack! ＡＢＣ';
    assert.equal(
      maskPersonnummer(text),
      `Beställ\u00A0rullator ﬁn till\u200B ${PERSONNUMMER_MASK} – tack! ＡＢＣ`,
    );
  });

  it('masks every pasted form of the test number, inside any text (property)', () => {
    fc.assert(
      fc.property(
        surrounding,
        fc.constantFrom('', ' ', ': ', '\n', '\u00A0', '('),
        pasted,
        fc.constantFrom('', ' ', '.', ',', ')', '\n'),
        surrounding,
        (before, open, number, close, after) => {
          const text = `${before}${open}${number}${close}${after}`;
          const out = maskPersonnummer(text);
          return out.includes(PERSONNUMMER_MASK) && !hasDigit(out) && !containsPersonnummer(out);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('masks a pasted number once, and masking again changes nothing (property)', () => {
    fc.assert(
      fc.property(surrounding, pasted, surrounding, (before, number, after) => {
        const once = maskPersonnummer(`${before} ${number} ${after}`);
        return maskPersonnummer(once) === once && once.split(PERSONNUMMER_MASK).length === 2;
      }),
    );
  });

  it('masks pasted forms inside card data and log objects', () => {
    const data = maskDeep({ description: 'pnr \uFF11\uFF19121212\u20131212', n: 1 });
    assert.deepEqual(data, { description: `pnr ${PERSONNUMMER_MASK}`, n: 1 });
  });
});

// Shapes of the numbers support sees that are not personnummer (knowledge/ and the seeds: 5–6
// digit article numbers, 7–9 digit order and hämtorder numbers, individnummer searched by their
// first or last digits, the support phone number, dates and times, amounts).
const articleNumber = fc.integer({ min: 10_000, max: 999_999 }).map(String);
const orderNumber = fc.integer({ min: 1_000_000, max: 999_999_999 }).map(String);
const individNumber = fc
  .tuple(fc.constantFrom('', '*'), fc.integer({ min: 100, max: 99_999_999 }), fc.boolean())
  .map(([star, n, after]) => (after ? `${n}${star}` : `${star}${n}`));
const otherNumber = fc.oneof(
  fc.constantFrom('010-473 80 80', '0372-78 91 58', '412 63', '2 895 000 kr', '7.00-16.00'),
  fc
    .date({ min: new Date('2000-01-01'), max: new Date('2030-12-31'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)), // 2025-01-15
  fc
    .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
    .map(([h, m]) => `kl. ${h}.${String(m).padStart(2, '0')}`),
);
const fullWidth = (s: string) =>
  s.replace(/\d/g, (d) => String.fromCodePoint(0xff10 + Number(d))).replace(/-/g, '\uFF0D');
const word = fc.constantFrom(
  'artikel',
  'artikelnummer',
  'order',
  'hämtorder',
  'individ',
  'individnummer',
  'beställning',
  'rullator',
  'säng',
  'ring',
  'den',
  'och',
  'st',
  'Varukatalog',
  'nr:',
  '(restnoterad)',
);

describe('numbers that are not personnummer', () => {
  it('leaves article, order and individual numbers, phone numbers and dates alone (property)', () => {
    const number = fc.oneof(articleNumber, orderNumber, individNumber, otherNumber);
    const piece = fc
      .tuple(fc.array(word, { minLength: 1, maxLength: 3 }), number, fc.boolean())
      .map(([words, n, wide]) => `${words.join(' ')} ${wide ? fullWidth(n) : n}`);
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 6 }), (pieces) => {
        const text = pieces.join(' ');
        return maskPersonnummer(text) === text && !containsPersonnummer(text);
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves them alone in the seeds’ own shapes', () => {
    for (const text of [
      'kan du kolla när order 2345678 levereras',
      'varför står min order 1122334 som restnoterad?',
      'artikelnummer 14190 och 123456',
      'individnummer som avslutas med *123',
      'Tolvgatan 12 12125 STOCKHOLM',
      'perioden 2025-01-01 - 2025-12-31',
      'perioden 2025-01-01 \u2013 2025-12-31',
      'ring 010\u2011473\u00A080\u00A080',
      'hämtorder 987654321, 2025-02-04 kl. 12.00-13.00',
      'Piotr Gabrys 20210921',
    ])
      assert.equal(maskPersonnummer(text), text, text);
  });
});

describe('a pasted personnummer through /api/messages', function () {
  this.timeout(30_000);
  let connector: FakeConnector;
  let bot: RunningApp;
  let dataDir: string;
  let logged = '';
  const flow = ticketFlow(
    () => bot,
    () => connector,
  );

  beforeEach(async () => {
    connector = await startFakeConnector();
    dataDir = await tempDir();
    logged = '';
    const sink = new Writable({ write: (chunk, _enc, done) => ((logged += chunk), done()) });
    bot = await startBot(
      testConfig({ DATA_DIR: dataDir, SUPPORT_STAFF_IDS: 'aad-staff-1', LOG_LEVEL: 'debug' }),
      // Wednesday 15 January 2025, 09:30 in Stockholm: support is open.
      { now: () => new Date('2025-01-15T08:30:00Z'), log: createLog('debug', sink) },
    );
  });
  afterEach(async () => {
    await bot.stop();
    await connector.stop();
  });

  /** Every file under a folder, as text. */
  async function filesUnder(dir: string): Promise<string[]> {
    const out: string[] = [];
    for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true }))
      if (entry.isFile())
        out.push(await fs.readFile(path.join(entry.parentPath ?? entry.path, entry.name), 'utf8'));
    return out;
  }

  /**
   * The test number's digits in the text, found without the mask's own code: each stretch of
   * digits, separators and invisible characters, once normalised, read as digits alone.
   */
  const leaks = (text: string) =>
    (text.normalize('NFKC').match(/[\p{Nd}\s\p{Pd}\p{Cf}.+\u2212]+/gu) ?? []).filter((run) =>
      [...run]
        .map((c) => (/\p{Nd}/u.test(c) ? String(digitValue(c)) : ''))
        .join('')
        .includes(DIGITS.slice(2)),
    );
  /** Decimal digits come in runs of ten, zero first. */
  const digitValue = (c: string) => {
    let below = 0;
    while (/\p{Nd}/u.test(String.fromCodePoint(c.codePointAt(0)! - below - 1))) below++;
    return below % 10;
  };

  it('never reaches the connector, the stored files or the log unmasked', async () => {
    const questions = [
      'beställa rullator till \u202A1912\u200B1212\u2013 1212\u202C',
      'hämtorder för \uFF11\uFF19\uFF11\uFF12\uFF11\uFF12\uFF11\uFF12\uFF0D\uFF11\uFF12\uFF11\uFF12',
      'visa hjälpmedel för 12.12.12\u2011 1212 och 1912-12-12-1212',
    ];
    for (const q of questions) await flow.say('user-1', q);
    await flow.inChannel('staff-1', '<at>webSesam-hjälpen</at> registrera supportkanal');
    await flow.openTicket('user-1', 'vad blir det för middag på fredag', {
      description: 'Kan inte se ordern för patient 19\u00A012\u00A012\u22121212',
      reference: 'pnr \u200E19121212\u00AD1212\u200F, order 1122334',
    });
    assert.ok(await connector.waitFor(() => connector.created.length === 1));
    const card = textOf(channelCard(connector));
    assert.match(card, /\\\[personnummer\\\]/);
    assert.ok(
      findAll(channelCard(connector), 'facts')
        .flat()
        .some((f: any) => String(f.value).includes('order 1122334')),
      'the order number stays as written',
    );
    await bot.stop();
    const sent = JSON.stringify(connector.sent);
    const stored = await filesUnder(dataDir);
    assert.ok(stored.length > 0 && logged.length > 0);
    assert.deepEqual(leaks(sent), [], 'sent to the connector');
    for (const file of stored) assert.deepEqual(leaks(file), [], 'stored');
    assert.deepEqual(leaks(logged), [], 'logged');
    assert.ok(stored.some((f) => f.includes(PERSONNUMMER_MASK)));
    bot = await startBot(testConfig({ DATA_DIR: dataDir }));
  });
});
