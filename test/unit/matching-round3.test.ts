import assert from 'node:assert/strict';
import { scopeOf } from '../../src/knowledge/scope.js';
import { contentWords, words } from '../../src/knowledge/text.js';
import { answered, concepts, lexicon, offered, loadKnowledge } from './matching-helpers.js';
import type { Knowledge } from '../../src/knowledge/knowledge.js';

// The third round's rules, each on a question of its own (none of them from a question set).

describe('matching, third round', () => {
  let knowledge: Knowledge;

  before(async () => {
    knowledge = await loadKnowledge();
  });

  it('reads a multi-word form with an inflected verb and the subject in between', () => {
    assert.ok(concepts('hur lägger jag till ett armstöd').includes('komplettera'));
    assert.ok(concepts('kommer åt').includes('behörighet'));
    assert.ok(!concepts('jag lägger en beställning').includes('komplettera'));
  });

  it('keeps ändra and svår apart from the filler words andra and svar while the accent shows', () => {
    assert.deepEqual(contentWords('andra'), []);
    assert.deepEqual(contentWords('ändra'), ['aendra']);
    assert.deepEqual(contentWords('andrar'), ['aendrar']);
    assert.notDeepEqual(contentWords('svårt'), contentWords('svart'));
    assert.deepEqual(words('telnr jobbnr'), ['telnummer', 'jobbnummer']);
  });

  it('lets a multi-word form outweigh its last word: a late delivery is not a delivery', () => {
    const r = knowledge.ask('vart rapporterar jag en sen leverans');
    assert.equal(offered(r)[0], 'felrapport-hjalpmedel', JSON.stringify(offered(r)));
  });

  it('does not read English words as Swedish ones', () => {
    // "matter" stems to the Swedish "mått", "file" is no attachment in "file a complaint".
    const cold = knowledge.ask('does cold weather matter for the battery of a powerchair');
    assert.notEqual(answered(cold), 'bifoga-fil');
    assert.notEqual(
      answered(knowledge.ask('where do I file a complaint about a repair')),
      'bifoga-fil',
    );
  });

  it('tells the support’s phone number from one’s own', () => {
    assert.equal(answered(knowledge.ask('vilket telnr har supporten')), 'kontakt-support');
    assert.equal(answered(knowledge.ask('hur ändrar jag mitt telnr')), 'personuppgifter');
  });

  it('holds a price, a charge, an opinion and a request that support act', () => {
    for (const q of [
      'hur mycket kostar en arbetsorder för enheten',
      'vad debiteras vi för en hämtning',
      'tycker du att hon ska ha rullator eller gåbord',
      'can you check the work order for room 3',
      'vilka regler gäller för att förskriva en elrullstol',
    ])
      assert.equal(knowledge.ask(q).outcome, 'out-of-scope', q);
    assert.ok(scopeOf('vilken storlek på höftskydd behöver hon', lexicon));
  });

  it('lets through what only looks like those: being better, a support’s opening hours', () => {
    assert.equal(
      scopeOf('pat har blivit bättre, hur skickar jag tillbaka den hyrda liften', lexicon),
      undefined,
    );
    assert.equal(scopeOf('när är telefonsupporten öppen', lexicon), undefined);
    assert.equal(scopeOf('vad händer med mitt konto när jag slutar', lexicon), undefined);
  });

  it('asks back when an out-of-scope topic is only just ahead of an answerable one', () => {
    const r = knowledge.ask('hur gör jag själva beställningen till henne, rollatorn är bestämd');
    assert.notEqual(r.outcome, 'out-of-scope');
    assert.ok(offered(r).includes('bestalla-till-patient'), JSON.stringify(offered(r)));
  });
});
