import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { RunningApp } from '../../src/app.js';
import { createFeatureTable, type Feature } from '../../src/features/feature.js';
import { startBot, tempDir, testConfig } from '../support/bot.js';

const TEMPLATES = path.resolve('src/cards/templates');

/**
 * Handlers that no template sends, each with the reason. A verb here must still have a handler;
 * one that gains a template (or loses its handler) must leave the list.
 */
const HANDLED_WITHOUT_TEMPLATE: Record<string, string> = {
  'access.start':
    'opens a blank access form; the chat opens it itself ("jag behöver behörighet"), no card sends it yet',
};

/** Every verb a template can send: Action.Execute (also a card's refresh) and Action.Submit data. */
function verbsOf(node: unknown, found: Set<string>): Set<string> {
  if (Array.isArray(node)) for (const n of node) verbsOf(n, found);
  else if (node && typeof node === 'object') {
    const n = node as Record<string, unknown>;
    if (n.type === 'Action.Execute') {
      assert.equal(
        typeof n.verb,
        'string',
        `an Action.Execute without a verb: ${JSON.stringify(n)}`,
      );
      found.add(n.verb as string);
    }
    if (n.type === 'Action.Submit') {
      const verb = (n.data as Record<string, unknown> | undefined)?.verb;
      if (verb !== undefined) found.add(String(verb));
    }
    for (const value of Object.values(n)) verbsOf(value, found);
  }
  return found;
}

describe('card verbs and their handlers', () => {
  let app: RunningApp;
  const onTemplates = new Map<string, string[]>(); // verb → template files
  let templateFiles: string[];

  before(async () => {
    templateFiles = (await fs.readdir(TEMPLATES)).filter((f) => f.endsWith('.json')).sort();
    for (const file of templateFiles) {
      const json = JSON.parse(await fs.readFile(path.join(TEMPLATES, file), 'utf8'));
      for (const verb of verbsOf(json, new Set()))
        onTemplates.set(verb, [...(onTemplates.get(verb) ?? []), file]);
    }
    app = await startBot(testConfig({ DATA_DIR: await tempDir() }));
  });
  after(() => app?.stop());

  it('reads verbs from the templates', () => {
    assert.ok(templateFiles.length >= 20, `only ${templateFiles.length} templates`);
    // One of each kind, so that the walk above is known to find them.
    assert.deepEqual(onTemplates.get('ticket.refresh'), ['ticket-staff.json']); // a refresh action
    assert.ok(onTemplates.get('feedback.give')?.includes('answer.json'));
  });

  it('every verb on a template has a handler in some feature', () => {
    const missing = [...onTemplates]
      .filter(([verb]) => !app.features.verbs.has(verb))
      .map(([verb, files]) => `${verb} (${files.join(', ')})`);
    assert.deepEqual(missing, []);
  });

  it('every verb is noun.verb', () => {
    const verbs = new Set([...onTemplates.keys(), ...app.features.verbs.keys()]);
    const odd = [...verbs].filter((v) => !/^[a-z]+\.[a-z]+$/.test(v));
    assert.deepEqual(odd, []);
  });

  it('every handler has a template that sends its verb, or a stated reason', () => {
    const unsent = [...app.features.verbs.keys()].filter(
      (verb) => !onTemplates.has(verb) && !(verb in HANDLED_WITHOUT_TEMPLATE),
    );
    assert.deepEqual(unsent, []);
    for (const verb of Object.keys(HANDLED_WITHOUT_TEMPLATE)) {
      assert.ok(
        app.features.verbs.has(verb),
        `${verb} is listed as an exception but has no handler`,
      );
      assert.ok(!onTemplates.has(verb), `${verb} is on a template now: take it off the list`);
    }
  });

  it('every template file is registered by one feature, and every registered one is a file', () => {
    const registered = [...app.features.templates.keys()].map((n) => `${n}.json`).sort();
    assert.deepEqual(registered, templateFiles);
  });

  it('a verb that keeps the chat belongs to the feature that says so', () => {
    for (const feature of app.features.features)
      for (const verb of feature.remembersChat ?? [])
        assert.equal(app.features.featureOf(verb), feature, `${feature.name}: ${verb}`);
  });
});

describe('the feature table', () => {
  const noop = async () => ({ replies: [] });
  const a: Feature = { name: 'a', verbs: { 'x.go': noop }, templates: { x: {} } };

  it('refuses a verb claimed by two features, naming both', () => {
    const b: Feature = { name: 'b', verbs: { 'x.go': noop }, templates: {} };
    assert.throws(() => createFeatureTable([a, b]), /x\.go is claimed by a and b/);
  });

  it('refuses a template registered twice', () => {
    const b: Feature = { name: 'b', verbs: {}, templates: { x: {} } };
    assert.throws(() => createFeatureTable([a, b]), /template x is registered twice/);
  });

  it('refuses a feature that keeps the chat for a verb it does not handle', () => {
    const b: Feature = { name: 'b', verbs: {}, templates: {}, remembersChat: ['x.go'] };
    assert.throws(() => createFeatureTable([a, b]), /b remembers the chat for x\.go/);
  });

  it('knows which feature owns a verb', () => {
    const table = createFeatureTable([a]);
    assert.equal(table.featureOf('x.go'), a);
    assert.equal(table.featureOf('y.go'), undefined);
  });
});
