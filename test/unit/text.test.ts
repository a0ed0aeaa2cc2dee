import assert from 'node:assert/strict';
import { contentWords, fold, stem } from '../../src/knowledge/text.js';

describe('Swedish text handling', () => {
  it('folds å/ä/ö/é and case', () => {
    assert.equal(fold('HÄMTORDER på Förrådet, café'), 'hamtorder pa forradet, cafe');
  });

  it('drops filler words but keeps particles that carry meaning', () => {
    assert.deepEqual(contentWords('Hej, hur kan jag logga in i webSesam?'), ['logga', 'in']);
    assert.deepEqual(contentWords('ta bort komponent'), ['bort', 'komponent']);
  });

  it('stems inflected forms to one term', () => {
    assert.equal(stem('bestallningar'), stem('bestallning'));
    assert.equal(stem('bestallningen'), stem('bestallning'));
    assert.equal(stem('rullstolarna'), stem('rullstol'));
  });
});
