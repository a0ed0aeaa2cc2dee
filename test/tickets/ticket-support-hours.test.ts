import assert from 'node:assert/strict';
import { createSupportHours, parseOpeningHours } from '../../src/support-hours/support-hours.js';

describe('support hours (weekdays 08–12, Swedish holidays closed)', () => {
  const hours = createSupportHours({
    ...parseOpeningHours('08:00-12:00'),
    timeZone: 'Europe/Stockholm',
    country: 'SE',
  });
  // Stockholm is UTC+1 in winter, UTC+2 in summer.
  const at = (iso: string) => new Date(iso);

  it('is open on a weekday morning and closed after noon', () => {
    assert.equal(hours.isOpen(at('2025-01-15T08:30:00Z')), true); // Wed 09:30
    assert.equal(hours.isOpen(at('2025-01-15T11:00:00Z')), false); // Wed 12:00
    assert.equal(hours.isOpen(at('2025-01-15T06:59:00Z')), false); // Wed 07:59
  });

  it('is closed at the weekend and opens on Monday at 08', () => {
    const saturday = at('2025-01-18T09:00:00Z');
    assert.equal(hours.isOpen(saturday), false);
    assert.equal(hours.nextOpening(saturday).toISOString(), '2025-01-20T07:00:00.000Z');
    assert.equal(hours.format(hours.nextOpening(saturday)), 'måndag 20 januari kl. 08.00');
  });

  it('is closed on Swedish public holidays: nationaldagen, and midsommarafton the day before a weekend', () => {
    const nationalDay = at('2025-06-06T08:00:00Z'); // Friday 6 June, 10:00
    assert.equal(hours.isOpen(nationalDay), false);
    assert.equal(hours.format(hours.nextOpening(nationalDay)), 'måndag 9 juni kl. 08.00');
    const midsummerEve = at('2025-06-20T07:00:00Z'); // Friday, 09:00
    assert.equal(hours.isOpen(midsummerEve), false);
    assert.equal(hours.nextOpening(midsummerEve).toISOString(), '2025-06-23T06:00:00.000Z');
  });

  it('after noon before Christmas, next opening is after the Christmas holidays and the weekend', () => {
    assert.equal(
      hours.format(hours.nextOpening(at('2025-12-23T11:30:00Z'))),
      'måndag 29 december kl. 08.00',
    );
  });

  it('counts only open hours between two instants, across a weekend and a DST change', () => {
    // Thursday 27 March 08:00 to Monday 31 March 10:00 (DST starts Sunday 30 March): 4 + 4 + 2.
    assert.equal(hours.hoursBetween(at('2025-03-27T07:00:00Z'), at('2025-03-31T08:00:00Z')), 10);
  });

  it('refuses opening hours it cannot read', () => {
    assert.throws(() => parseOpeningHours('morgnar'), /Ogiltiga öppettider/);
    assert.throws(() => parseOpeningHours('12-08'), /Ogiltiga öppettider/);
  });
});
