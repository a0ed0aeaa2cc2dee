import assert from 'node:assert/strict';
import { scopeOf, scopeOfMessage } from '../../src/knowledge/scope.js';
import { answered, concepts, lexicon, loadKnowledge } from './matching-helpers.js';
import type { Knowledge } from '../../src/knowledge/knowledge.js';

// The fifth round's rules, each on a question of its own (none of them from a question set).

describe('matching, fifth round', () => {
  let knowledge: Knowledge;

  before(async () => {
    knowledge = await loadKnowledge();
  });

  it('holds which product to choose even when the question names the catalogue', () => {
    assert.equal(
      scopeOf('vilken rollator ska jag välja i varukatalogen till en lång pat', lexicon)?.why,
      'advice',
    );
    assert.equal(
      scopeOf('toalettstol med eller utan armstöd, vilken ska jag välja i katalogen', lexicon)?.why,
      'advice',
    );
    // A choice in webSesam's own form is no product advice.
    assert.equal(
      scopeOf('vilken orsak ska jag välja på hämtordern för rollatorn', lexicon),
      undefined,
    );
  });

  it('holds when one order already placed will arrive', () => {
    assert.equal(
      scopeOf('kollegan undrar när sängen hon beställde i fredags kommer', lexicon)?.why,
      'status',
    );
    assert.equal(scopeOf('när kommer teknikern och hur bokar man det', lexicon), undefined);
  });

  it('holds trouble reaching the VPN even when the question names webSesam', () => {
    assert.equal(
      scopeOf('jag kommer inte åt vpn:en och därför inte åt websesam heller', lexicon)?.topicId,
      'utanfor-it',
    );
  });

  it('reads a fault seen on other computers as webSesam’s, not the computer’s', () => {
    const question = 'websesam hänger sig när jag sparar ordern, på alla datorer på enheten';
    assert.equal(scopeOf(question, lexicon), undefined);
    assert.equal(answered(knowledge.ask(question)), 'driftstorning');
    assert.equal(scopeOf('datorn hänger sig hela tiden', lexicon)?.topicId, 'utanfor-it');
  });

  it('holds medical equipment that is no hjälpmedel, and buying out a rented one', () => {
    assert.equal(
      scopeOf('pulsoximetern på enheten är trasig, kan hmc laga den', lexicon)?.topicId,
      'utanfor-ovrigt',
    );
    assert.equal(
      scopeOf('kan brukaren köpa loss rullstolen hon har hyrt', lexicon)?.topicId,
      'utanfor-ovrigt',
    );
    // A patient not yet admitted is a detail of reserving, not a private matter.
    assert.equal(
      scopeOf('hur reserverar jag en säng i förrådet, pat är inte inskriven än', lexicon),
      undefined,
    );
  });

  it('holds what the writer says is not webSesam or not a hjälpmedel', () => {
    assert.equal(
      scopeOf('jag behöver behörighet i journalsystemet, inte websesam', lexicon)?.why,
      'outside',
    );
    assert.equal(
      scopeOf('kaffemaskinen är trasig, inte ett hjälpmedel, kan jag anmäla det i ws', lexicon)
        ?.why,
      'outside',
    );
    // "Funkar inte websesam?" is webSesam's own trouble.
    assert.equal(scopeOf('funkar inte websesam idag?', lexicon), undefined);
  });

  it('holds a choice between two products, cleaning and infection, and the patient fee', () => {
    assert.equal(
      scopeOf('ska jag välja rollator eller gåbord till en pat med dålig balans', lexicon)?.why,
      'advice',
    );
    assert.equal(
      scopeOf('ska jag välja hämtas eller utföres på ao för sängen', lexicon),
      undefined,
    );
    assert.equal(
      scopeOf('vilket desinfektionsmedel tar vi på rullstolen innan hämtorder', lexicon)?.topicId,
      'utanfor-medicinskt',
    );
    assert.equal(
      scopeOf('måste pat betala egenavgift för duschpallen', lexicon)?.topicId,
      'utanfor-ovrigt',
    );
  });

  it('answers the webSesam question of a message that turns to something else in a marked aside', () => {
    assert.equal(
      scopeOfMessage(
        'hur skriver jag en hämtorder på rollatorn? och förresten, vem har hand om bostadsanpassning',
        lexicon,
      ),
      undefined,
    );
    // Without the marker the other thing is the question ("… kan jag göra en arbetsorder på den?").
    assert.equal(
      scopeOfMessage('diskmaskinen läcker. kan jag göra en arbetsorder på den i ws?', lexicon)?.why,
      'outside',
    );
  });

  it('reads "I want to check if …" as the writer’s own check, and holds a status asked in English', () => {
    assert.equal(
      scopeOf(
        'where do i see the devices a patient has? want to check if she has a walker',
        lexicon,
      ),
      undefined,
    );
    assert.equal(scopeOf('has hmc picked up the bed yet?', lexicon)?.why, 'status');
    assert.equal(scopeOf('om hon får ta med rullatorn på flyget', lexicon)?.why, 'outside');
  });

  it('holds advice, rights, a battery and another system in the words of the last sets', () => {
    const why = (q: string) => scopeOf(q, lexicon)?.why;
    assert.equal(why('vilken rullstol är bäst för grusvägar? vill beställa i ws idag'), 'advice');
    assert.equal(why('bör hon ha en annan rollator'), 'advice');
    assert.equal(
      why('inte en fråga om systemet, men ska vi hellre ha stålift eller taklyft'),
      'outside',
    );
    assert.equal(why('ska det laddas varje natt, batteriet på elrullstolen'), 'advice');
    assert.equal(why('har pat rätt att behålla rollatorn när hon flyttar'), 'outside');
    assert.equal(why('cosmic loggar ut mig hela tiden, websesam funkar'), 'outside');
    assert.equal(why('skickade en felrapport i måndags, har ni fått den?'), 'status');
  });

  it('holds which product suits best even when the writer will order it in webSesam', () => {
    assert.equal(
      scopeOf('vilken rullstol passar bäst för en lång man? ska beställa i ws idag', lexicon)?.why,
      'advice',
    );
  });

  it('knows a colleague who left, others with the same problem, and an adaptation', () => {
    assert.ok(concepts('kollegan har slutat, ska kontot stängas').includes('behörighet'));
    assert.ok(concepts('fler användare har samma problem').includes('driftstörning'));
    assert.ok(concepts('anmärkning på anpassningen av sitsen').includes('reparera'));
  });

  it('reads an English "which option" as a choice in webSesam, not product advice', () => {
    assert.equal(
      scopeOf(
        'i clicked the article number of the walker, which option do i pick to return it',
        lexicon,
      ),
      undefined,
    );
    assert.equal(scopeOf('which walker is lightest for a small lady', lexicon)?.why, 'advice');
  });

  it('answers how staff at the pick-up counter behaved as a fault report, not its opening hours', () => {
    assert.equal(
      scopeOf(
        'personalen i utlämningen var otrevlig, hur anmäler jag bemötandet i websesam',
        lexicon,
      ),
      undefined,
    );
    assert.equal(scopeOf('när har utlämningen öppet', lexicon)?.why, 'outside');
  });

  it('reads a word longer than any compound as one unknown word, not as parts', () => {
    // Pasted garbage made of real parts ("rullstolshjulsbyte" 110 times) is no question.
    assert.equal(knowledge.ask('rullstolshjulsbyte'.repeat(110)).outcome, 'no-answer');
    assert.equal(knowledge.ask('a'.repeat(2_000)).outcome, 'no-answer');
  });

  it('answers a film about a task with the task, whose answer shows its video', () => {
    assert.equal(
      answered(knowledge.ask('finns det en video om hur man skriver en arbetsorder')),
      'arbetsorder',
    );
    assert.equal(answered(knowledge.ask('finns det instruktionsfilmer')), 'utbildning');
  });

  it('knows the card in the reader and a pick-up that never happened', () => {
    assert.ok(concepts('kortet sitter i läsaren men inget händer').includes('logga in'));
    assert.ok(concepts('hämtningen blev aldrig av').includes('hämtades aldrig'));
    assert.ok(concepts('besöket blev aldrig av').includes('uteblev'));
    assert.ok(concepts('var ser jag mina ao').includes('tidigare'));
    assert.ok(concepts("the page won't load").includes('driftstörning'));
    assert.ok(concepts('numret börjar på 0032').includes('del av numret'));
    assert.ok(concepts('rollatorn kom skitig').includes('fel leverans'));
  });
});
