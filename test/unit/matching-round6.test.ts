import assert from 'node:assert/strict';
import { scopeOf } from '../../src/knowledge/scope.js';
import { contentWords } from '../../src/knowledge/text.js';
import { answered, concepts, lexicon, loadKnowledge, offered } from './matching-helpers.js';
import type { Knowledge } from '../../src/knowledge/knowledge.js';

// The sixth round's rules, each on a question of its own (none of them from a question set).

describe('matching, sixth round', () => {
  let knowledge: Knowledge;

  before(async () => {
    knowledge = await loadKnowledge();
  });

  it('reads "ingen aning" and "förut" as filler, not as an outage or a first order', () => {
    assert.deepEqual(contentWords('ingen aning, aldrig beställt förut'), ['aldrig', 'bestallt']);
    assert.equal(
      answered(knowledge.ask('har ingen aning om hur man gör en hämtorder på en vårdsäng')),
      'hamtorder',
    );
    assert.equal(
      answered(knowledge.ask('jag har aldrig förskrivit till en brukare förut, hur går det till')),
      'bestalla-till-patient',
    );
  });

  it('holds a seat width as a choice of size, but not a wrong size to be undone', () => {
    assert.equal(scopeOf('vilken sitsbredd ska jag ta till rullstolen', lexicon)?.why, 'advice');
    assert.equal(
      scopeOf('beställde fel storlek på dynan, vill hellre ta bort beställningen', lexicon),
      undefined,
    );
  });

  it('answers a choice made in webSesam and a request to come and fetch', () => {
    assert.equal(
      scopeOf('hämtas eller utföres på arbetsordern, vilken ska jag välja för sängen', lexicon),
      undefined,
    );
    assert.equal(scopeOf('rollatorn behövs inte längre, kan ni hämta den', lexicon), undefined);
    assert.equal(
      scopeOf('ska avsluta hyran på elrullstolen, var i websesam gör jag det', lexicon),
      undefined,
    );
    assert.equal(
      scopeOf('hmc har inte skickat den än, kan jag själv stryka ordern', lexicon),
      undefined,
    );
    assert.equal(
      scopeOf('can you cancel an order in websesam after sending it', lexicon),
      undefined,
    );
  });

  it('reads the Hjälpmedel page beside a task as where, not what', () => {
    // The page's own topic names the task too, so it stays a choice, after the task.
    for (const question of [
      'var skriver man hämtorder, från hjälpmedelsbilden?',
      'hur gör jag hämtorder från hjälpmedelssidan',
      'kan man göra arbetsorder direkt från patientens lista',
    ])
      assert.match(offered(knowledge.ask(question))[0], /^(hamtorder|arbetsorder)$/, question);
    assert.ok(concepts('står på hjälpmedelssidan').includes('hjälpmedelssidan'));
  });

  it('knows definite compounds of "nummer", "hen", a new therapist and a card that cannot be read', () => {
    assert.ok(concepts('var hittar jag artikelnumret').includes('artikelnummer'));
    assert.ok(concepts('individnumret är bortnött').includes('individnummer'));
    assert.ok(concepts('beställa till hen').includes('till patient'));
    assert.ok(concepts('vår nya arbetsterapeut behöver komma åt systemet').includes('behörighet'));
    assert.ok(concepts('det står att kortet inte kunde läsas').includes('logga in'));
  });

  it('holds which model suits, one product or another, how to drive a device and what support did', () => {
    const held = [
      'which walker model would suit a tall patient, I will order it in websesam after',
      'vilken modell ska jag välja i websesam, rollatorn är till en brukare på 140 kg',
      'rollator eller gåbord, pat med yrsel?',
      'hur kör man taklyften säkert, personalen är osäker',
      'lagade ni rullstolen hos pat i tisdags som det var sagt?',
      'skickade en felrapport om sängen förra veckan, vad sa hmc',
    ];
    for (const question of held) assert.ok(scopeOf(question, lexicon), question);
    // A choice in webSesam's own words still answers.
    assert.equal(
      scopeOf('vilken orsak ska jag välja på hämtordern för rollatorn', lexicon),
      undefined,
    );
  });
});
