import assert from 'node:assert/strict';
import {
  asksForMyTickets,
  asksForTicket,
  registerChannelCommand,
} from '../../src/tickets/intent.js';

describe('asking for a ticket in words', () => {
  it('recognises clear requests, with typos and without å/ä/ö', () => {
    for (const q of [
      'jag vill prata med någon',
      'Jag vill prata med nagon',
      'skapa ärende',
      'skapa arende',
      'skpa ärnde',
      'kontakta support',
      'kontakta supporten tack',
      'kan jag få prata med en människa?',
      'jag vill lägga ett ärende',
    ])
      assert.equal(asksForTicket(q), true, q);
  });

  it('leaves questions about contacting support to the knowledge base (kontakt-support)', () => {
    for (const q of [
      'telefonnummer till supporten',
      'telefonnummer till websesamsupporten',
      'när har supporten öppet',
      'nar har supporten oppet',
      'hur kontaktar jag supporten',
      'mejladress till er',
      'vilket knappval ska jag trycka när jag ringer kundtjänst',
      'lång svarstid på mitt ärende, var klagar jag',
      'support',
    ])
      assert.equal(asksForTicket(q), false, q);
  });

  it('knows "mina ärenden" and the channel command', () => {
    assert.equal(asksForMyTickets('mina ärenden'), true);
    assert.equal(asksForMyTickets('visa mina arenden'), true);
    assert.equal(asksForMyTickets('mina beställningar'), false);
    assert.deepEqual(registerChannelCommand('registrera supportkanal'), { name: '' });
    assert.deepEqual(registerChannelCommand('Registrera supportkanal Ekonomi'), {
      name: 'ekonomi',
    });
    assert.equal(registerChannelCommand('hur registrerar jag en supportkanal'), undefined);
  });
});
