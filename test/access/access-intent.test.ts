import assert from 'node:assert/strict';
import { asksForAccess, asksForMyRequests } from '../../src/access/intent.js';

describe('access request words', () => {
  it('opens the form for a plain request, with the kind when the words say it', () => {
    const cases: [string, string][] = [
      ['jag behöver behörighet', ''],
      ['Jag behöver behörighet till websesam', ''],
      ['ny användare i websesam', 'ny'],
      ['ny anvandare i websesam', 'ny'],
      ['ändra behörighet', 'andring'],
      ['andra behorighet', 'andring'],
      ['ta bort behörighet för en som slutat', 'avslut'],
      ['avsluta behörighet för en som slutat', 'avslut'],
      ['jag vill ansöka om behörighet', ''],
    ];
    for (const [text, kind] of cases) assert.deepEqual(asksForAccess(text), { kind }, text);
  });

  it('leaves questions about the routine to the knowledge base', () => {
    for (const text of [
      'hur ansöker jag om behörighet till websesam',
      'vem godkänner behörigheten',
      'jag saknar behörighet att beställa',
      'var finns blanketten för behörighet',
      'behörighet',
      'min användare är låst',
      'ändra leveransadress',
      'ta bort en rad i varukorgen',
    ])
      assert.equal(asksForAccess(text), undefined, text);
  });

  it('knows "mina ansökningar" and nothing longer', () => {
    assert.ok(asksForMyRequests('mina ansökningar'));
    assert.ok(asksForMyRequests('Mina ansokningar!'));
    assert.ok(!asksForMyRequests('mina ärenden'));
    assert.ok(!asksForMyRequests('hur ser jag mina ansökningar'));
  });
});
