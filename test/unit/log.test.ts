import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLog } from '../../src/log.js';

describe('logging', () => {
  it('masks personnummer in messages and in logged objects', async () => {
    let out = '';
    const sink = new Writable({ write: (chunk, _enc, done) => ((out += chunk), done()) });
    const log = createLog('info', sink);
    log.info(
      { question: 'hämtorder för 19121212-1212', nested: { pnr: '191212121212' } },
      'fick 121212-1212',
    );
    await new Promise((r) => setImmediate(r));
    assert.match(out, /\[personnummer\]/);
    assert.doesNotMatch(out, /121212-?1212/);
  });
});
