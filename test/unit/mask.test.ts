import assert from 'node:assert/strict';
import fc from 'fast-check';
import { containsPersonnummer, maskDeep, maskPersonnummer } from '../../src/privacy/mask.js';

// Variants are made from the test number, so no other number shaped like a personnummer is ever
// written into the repository.
const TEST_NUMBER = '19121212-1212';
const withCheckDigit = (d: string) => TEST_NUMBER.slice(0, -1) + d;
const withDay = (dd: string) => TEST_NUMBER.slice(0, 6) + dd + TEST_NUMBER.slice(8);
const withMonth = (mm: string) => TEST_NUMBER.slice(0, 4) + mm + TEST_NUMBER.slice(6);

describe('personnummer masking', () => {
  const masked = '[personnummer]';

  it('masks the test number in every way people write it', () => {
    for (const written of [
      '19121212-1212',
      '191212121212',
      '121212-1212',
      '1212121212',
      '121212+1212',
      '19121212 1212',
      '121212 - 1212',
    ]) {
      assert.equal(maskPersonnummer(`pat ${written} behöver`), `pat ${masked} behöver`, written);
    }
  });

  it('masks with no word boundary before the digits, and a wrong check digit too', () => {
    assert.equal(maskPersonnummer(`pnr${withCheckDigit('3').replace('-', '')}`), `pnr${masked}`);
    assert.equal(maskPersonnummer(withCheckDigit('3')), masked);
  });

  it('masks samordningsnummer (day + 60)', () => {
    assert.equal(maskPersonnummer(withDay('72')), masked);
  });

  it('leaves article, order and individual numbers alone: their date part is not a date', () => {
    for (const number of [
      '14190',
      '2345678',
      '1122334',
      'order 123456789',
      '9999999999',
      withMonth('99'),
      '010-473 80 80',
    ]) {
      assert.equal(maskPersonnummer(number), number, number);
    }
  });

  it('masks any plausible date-shaped number inside any text (property)', () => {
    const date = fc.record({
      century: fc.constantFrom('', '19', '20'),
      yy: fc.integer({ min: 0, max: 99 }),
      mm: fc.integer({ min: 1, max: 12 }),
      dd: fc.oneof(fc.integer({ min: 1, max: 28 }), fc.integer({ min: 61, max: 88 })),
      sep: fc.constantFrom('', '-', '+', ' '),
      tail: fc.integer({ min: 0, max: 9999 }),
    });
    const pad = (n: number, w = 2) => String(n).padStart(w, '0');
    fc.assert(
      fc.property(fc.string(), date, fc.string(), (before, d, after) => {
        const pnr = `${d.century}${pad(d.yy)}${pad(d.mm)}${pad(d.dd)}${d.sep}${pad(d.tail, 4)}`;
        const text = `${before.replace(/\d/g, '')} ${pnr} ${after.replace(/\d/g, '')}`;
        const out = maskPersonnummer(text);
        return !out.includes(pnr) && !containsPersonnummer(out);
      }),
    );
  });

  it('masks every string inside card data', () => {
    assert.deepEqual(maskDeep({ a: ['x 19121212-1212'], b: { c: '1212121212' }, n: 3 }), {
      a: [`x ${masked}`],
      b: { c: masked },
      n: 3,
    });
  });
});
