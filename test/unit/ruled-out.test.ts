import assert from 'node:assert/strict';
import { weighRuledOut } from '../../src/knowledge/ruled-out.js';

const never = () => false;
const ruledOut = (text: string, isForm: (negation: string) => boolean = never) =>
  weighRuledOut(text, 1, isForm)
    .filter((p) => p.weight < 1)
    .map((p) => p.text.trim());

describe('what the writer rules out', () => {
  it('finds "inte X utan Y", an opening "inte X," and a trailing ", inte X"', () => {
    assert.deepEqual(ruledOut('beställ den inte till förrådet utan hem till pat'), [
      'till förrådet',
    ]);
    assert.deepEqual(ruledOut('inte en ny säng, bara en ny madrass till den gamla'), [
      'en ny säng',
    ]);
    assert.deepEqual(ruledOut('jag vill lämna tillbaka rollatorn, inte laga den.'), ['laga den']);
    assert.deepEqual(ruledOut("it's not broken, it's the wrong size"), ['broken']);
    assert.deepEqual(ruledOut('vill inte makulera hela ordern, bara ta bort en rad'), [
      'makulera hela ordern',
    ]);
  });

  it('finds a trailing "och inte X" and "istället för X", but not a bare "inte" at the end', () => {
    assert.deepEqual(
      ruledOut('hur beställer jag till vårt förråd och inte till en viss patient?'),
      ['till en viss patient'],
    );
    assert.deepEqual(ruledOut('vill lämna den direkt hos er istället för att vänta på hämtning'), [
      'att vänta på hämtning',
    ]);
    assert.deepEqual(ruledOut("we'd rather send it back to our store and not to HMC."), ['to HMC']);
    assert.deepEqual(ruledOut('kollegan säger att den inte gått iväg'), []);
  });

  it('keeps the weight of the rest of the text, scaled by the sentence weight', () => {
    const parts = weighRuledOut('inte laga utan lämna tillbaka', 0.5, never);
    assert.deepEqual(
      parts.map((p) => [p.text.trim(), p.weight]),
      [
        ['inte', 0.5],
        ['laga', 0.1],
        ['utan lämna tillbaka', 0.5],
      ],
    );
  });

  it('leaves a negation that says what happened, and "inte bara … utan också"', () => {
    // "inte kommit" is the lexicon's form of a delivery that never came.
    const isForm = (negation: string) => negation.startsWith('inte kommit');
    assert.deepEqual(ruledOut('sängen har inte kommit än, men vi väntar', isForm), []);
    assert.deepEqual(ruledOut('det gäller inte bara rollatorn utan också sängen'), []);
    assert.deepEqual(ruledOut('den är inte levererad än, hur makulerar jag'), []);
  });
});
