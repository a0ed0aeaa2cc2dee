import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { createKnowledge } from '../../src/knowledge/knowledge.js';
import { lexiconDir, loadLexicon } from '../../src/knowledge/lexicon.js';
import { KnowledgeFileError, loadTopics } from '../../src/knowledge/load.js';
import { rankMessage, weighSentences } from '../../src/knowledge/message.js';
import { editDistance, TopicMatcher } from '../../src/knowledge/matcher.js';
import { scopeOf } from '../../src/knowledge/scope.js';
import { words } from '../../src/knowledge/text.js';
import { tempDir } from '../support/bot.js';
import { KNOWLEDGE, THRESHOLDS } from './matching-helpers.js';

/** A knowledge folder with a few real topic files and the given lexicon files. */
async function knowledgeWith(lexicon: Record<string, string>): Promise<string> {
  const dir = await tempDir('wsh-lexicon-');
  for (const f of ['arbetsorder.md', 'hamtorder.md', 'utanfor-ovrigt.md', 'utanfor-it.md'])
    await fs.copyFile(path.join(KNOWLEDGE, f), path.join(dir, f));
  await fs.mkdir(lexiconDir(dir));
  for (const [name, text] of Object.entries(lexicon))
    await fs.writeFile(path.join(lexiconDir(dir), name), text);
  return dir;
}

describe('the domain lexicon', () => {
  it('reads a concept in its inflected, compound and multi-word forms', () => {
    const lexicon = loadLexicon(lexiconDir(KNOWLEDGE));
    const names = (text: string) =>
      lexicon
        .annotate(words(text))
        .flat()
        .map((c) => c.name);
    assert.ok(names('rollatorerna').includes('rollator'));
    assert.ok(names('elrullstolen').includes('elrullstol'));
    assert.ok(names('duschpallen').includes('hygien'));
    assert.ok(names('den har gått sönder').includes('trasig'));
    assert.ok(names('how do I cancel an order').includes('makulera'));
    const stalift = lexicon.annotate(words('ståliften'))[0][0];
    assert.deepEqual(lexicon.tokensOf(stalift), ['#lyft', '#hjalpmedel']);
  });

  it('a broken lexicon file stops loading with an error that names the file', async () => {
    const yamlError = await knowledgeWith({ 'trasig.yaml': 'rullstol:\n  ord: [rullstol\n' });
    await assert.rejects(
      loadTopics(yamlError),
      (e: Error) => e instanceof KnowledgeFileError && /trasig\.yaml/.test(e.message),
    );
    const noWords = await knowledgeWith({ 'tom.yaml': 'rullstol:\n  är: hjälpmedel\n' });
    await assert.rejects(loadTopics(noWords), /tom\.yaml.*ord/s);
    const unknownBroader = await knowledgeWith({
      'okand.yaml': 'rullstol:\n  är: fordon\n  ord: [rullstol]\n',
    });
    await assert.rejects(loadTopics(unknownBroader), /okand\.yaml.*fordon/s);
    const badOutside = await knowledgeWith({
      'utanfor.yaml': 'diskmaskin:\n  utanför: finns-inte\n  ord: [diskmaskin]\n',
    });
    await assert.rejects(loadTopics(badOutside), /utanfor\.yaml.*finns-inte/s);
    const twice = await knowledgeWith({
      'a.yaml': 'käpp:\n  ord: [käpp]\n',
      'b.yaml': 'Käpp:\n  ord: [stödkäpp]\n',
    });
    await assert.rejects(loadTopics(twice), /b\.yaml.*finns redan/s);
    // A topic that requires a concept the lexicon lacks names the topic file.
    const requiresUnknown = await knowledgeWith({ 'a.yaml': 'trasig:\n  ord: [trasig]\n' });
    const topic = await fs.readFile(path.join(requiresUnknown, 'arbetsorder.md'), 'utf8');
    await fs.writeFile(
      path.join(requiresUnknown, 'arbetsorder.md'),
      topic.replace('\nkeywords:', '\nrequires: [trasig, okänt-begrepp]\nkeywords:'),
    );
    await assert.rejects(loadTopics(requiresUnknown), /arbetsorder\.md.*okänt-begrepp/s);
  });

  it('a product no topic names finds its process through the concepts', async () => {
    const dir = await knowledgeWith({
      'a.yaml': [
        'hjälpmedel:\n  ord: [hjälpmedel]',
        'lyft:\n  är: hjälpmedel\n  ord: [lyft, stålift]',
        'bräda:\n  är: hjälpmedel\n  ord: [badbräda]',
        'trasig:\n  ord: [trasig, sönder, lagt av]',
        'hämta:\n  ord: [hämta, hämtorder, behövs inte längre]',
      ].join('\n'),
    });
    const topics = await loadTopics(dir);
    const withLexicon = createKnowledge(topics, THRESHOLDS);
    const ask = (q: string) => {
      const r = withLexicon.ask(q);
      return r.outcome === 'answered' ? r.topic.id : r.outcome;
    };
    assert.equal(ask('ståliften har lagt av'), 'arbetsorder');
    assert.equal(ask('badbrädan behövs inte längre'), 'hamtorder');
  });
});

describe('the scope decision', () => {
  const lexicon = loadLexicon(lexiconDir(KNOWLEDGE));
  const scope = (q: string) => scopeOf(q, lexicon)?.topicId;

  it('holds what is no hjälpmedel, another authority, system or general IT', () => {
    assert.equal(scope('diskmaskinen i personalrummet är trasig'), 'utanfor-ovrigt');
    assert.equal(scope('hur söker brukaren färdtjänst'), 'utanfor-ovrigt');
    assert.equal(scope('skrivaren på avdelningen skriver inte ut'), 'utanfor-it');
    assert.equal(scope('var i journalen dokumenterar jag det'), 'utanfor-andra-system');
  });

  it('holds product advice and one order’s status', () => {
    assert.equal(scope('vilken rullstol passar en patient som väger 130 kg'), 'utanfor-medicinskt');
    assert.equal(scope('which walker is best for a short patient'), 'utanfor-medicinskt');
    assert.equal(scope('när kommer rullatorn jag beställde i måndags?'), 'utanfor-orderstatus');
    assert.equal(scope('har hmc fått min beställning från i morse'), 'utanfor-orderstatus');
  });

  it('lets webSesam questions through although they share those words', () => {
    assert.equal(scope('hur skriver jag ut en kundorder i websesam'), undefined);
    assert.equal(scope('rullstolen är trasig, hur gör jag en arbetsorder'), undefined);
    assert.equal(scope('fel storlek på rullatorn som levererades'), undefined);
    assert.equal(scope('leveransen har inte kommit, hur felanmäler jag'), undefined);
    assert.equal(scope('vilket artikelnummer har rollatorn'), undefined);
  });
});

describe('the scope decision, second round', () => {
  const lexicon = loadLexicon(lexiconDir(KNOWLEDGE));
  const scope = (q: string) => scopeOf(q, lexicon)?.topicId;

  it('holds what is no hjälpmedel even when the question names webSesam or HMC', () => {
    assert.equal(
      scope('kan jag lägga en arbetsorder i websesam på kylskåpet i fikarummet'),
      'utanfor-ovrigt',
    );
    assert.equal(scope('kan hmc hjälpa mig med outlook på jobbdatorn'), 'utanfor-it');
    assert.equal(scope('kortet har gått ut, kan jag beställa ett nytt i websesam'), 'utanfor-it');
    assert.equal(
      scope('kan vi skicka tillbaka överblivna kanyler med en hämtorder'),
      'utanfor-medicinskt',
    );
    assert.equal(scope('går det att överklaga hmc:s beslut om elrullstol'), 'utanfor-ovrigt');
  });

  it('holds whether a patient may keep a hjälpmedel, and an order coming today', () => {
    assert.equal(scope('får brukaren ta med sig rullatorn till sommarhuset'), 'utanfor-ovrigt');
    assert.equal(scope('kommer sängen imorgon?'), 'utanfor-orderstatus');
    assert.equal(scope('has my order been delivered yet'), 'utanfor-orderstatus');
    assert.equal(scope('hur går det med min beställning av rullatorn?'), 'utanfor-orderstatus');
  });

  it('still lets the webSesam questions through', () => {
    assert.equal(scope('hur skriver jag en hämtorder när brukaren flyttar till säbo'), undefined);
    assert.equal(scope('rollatorn har gått sönder, hur gör jag en arbetsorder'), undefined);
    assert.equal(scope('var ser jag vilka hjälpmedel brukaren har'), undefined);
  });
});

describe('matching, second round', () => {
  it('a typo is at most one edit away, so an ordinary word is not corrected to another', () => {
    assert.equal(editDistance('hamtoder', 'hamtorder'), 1);
    assert.equal(editDistance('rulaotr', 'rulator'), 1);
    assert.equal(editDistance('kommunen', 'kommentar'), 4);
  });

  it('a question that names two alternatives gets a choice, unless its situation decides', async () => {
    const knowledge = createKnowledge(await loadTopics(KNOWLEDGE), THRESHOLDS);
    const r = knowledge.ask('ska jag välja hämtorder eller retur?');
    assert.equal(r.outcome, 'choices');
    if (r.outcome === 'choices') {
      const ids = r.topics.map((t) => t.id);
      assert.ok(ids.includes('hamtorder') && ids.includes('retur'), ids.join());
    }
    // A bought device goes back by retur, a broken one is a work order: the situation decides.
    const bought = knowledge.ask(
      'är det retur eller hämtorder på en köpt rollator som ingen använder?',
    );
    assert.equal(bought.outcome === 'answered' && bought.topic.id, 'retur');
    const broken = knowledge.ask(
      'ska jag skriva arbetsorder eller felrapport när sängen har gått sönder?',
    );
    assert.equal(broken.outcome === 'answered' && broken.topic.id, 'arbetsorder');
  });
});

describe('long messages', () => {
  it('the sentences that ask weigh fully, the story less', () => {
    const parts = weighSentences(
      'Hej! Jag var hemma hos en brukare idag. Hennes säng går inte att höja. Hur får jag sängen lagad?',
    );
    const [story, asking] = [parts.slice(0, 3), parts[3]];
    assert.equal(asking.weight, 1);
    assert.ok(story.every((p) => p.weight === story[0].weight && p.weight < 1));
    // A question that says nothing of what ("vad kan jag göra?"): the story weighs almost fully.
    const thin = weighSentences('Sängen hos brukaren går inte att höja. Vad kan jag göra?');
    assert.deepEqual(
      thin.map((p) => p.weight),
      [0.9, 1],
    );
    // No sentence asks: the last is the request.
    assert.equal(weighSentences('Hej. Sängen ska hämtas hos brukaren.').at(-1)!.weight, 1);
  });

  it('a greeting and a story around the question do not drown it', async () => {
    const topics = await loadTopics(KNOWLEDGE);
    const matcher = new TopicMatcher(topics, {}, loadLexicon(lexiconDir(KNOWLEDGE)));
    const question = 'hur skapar jag en arbetsorder för att få rullatorn lagad?';
    const story =
      'Hej och god morgon! Jag jobbar som arbetsterapeut i hemsjukvården och var hemma hos en ' +
      'äldre dam igår som bor ensam i en lägenhet på tredje våningen. ';
    const alone = matcher.rank(question);
    const bagOfWords = matcher.rank(story + question);
    const weighed = rankMessage(matcher, story + question);
    assert.equal(weighed.matches[0].topicId, 'arbetsorder');
    assert.ok(weighed.confidence > bagOfWords.confidence);
    assert.ok(weighed.confidence >= alone.confidence * 0.8, `${weighed.confidence}`);
  });
});
