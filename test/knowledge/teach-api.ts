import assert from 'node:assert/strict';
import type { RunningApp } from '../../src/app.js';
import { findAll, personalMessage, postActivity, textOf } from '../support/activities.js';
import type { FakeConnector } from '../support/fake-connector.js';

/** The taught-phrase API and asking the bot, as the tests and the bench use them. */

export async function teachApi(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}/api/knowledge/taught`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

export async function listTaught(url: string) {
  const res = await fetch(`${url}/api/knowledge/taught`);
  assert.equal(res.status, 200);
  return ((await res.json()) as { items: any[] }).items;
}

export async function undoTaught(url: string, id: string) {
  const res = await fetch(`${url}/api/knowledge/taught/${encodeURIComponent(id)}`, {
    method: 'DELETE',
  });
  return { status: res.status, body: await res.json() };
}

/** Asks as a user; returns the topic answered (undefined: none) and the replies' text. */
export async function askTopic(bot: RunningApp, connector: FakeConnector, q: string, user = 'u1') {
  const before = connector.sent.length;
  const res = await postActivity(bot.url, personalMessage(connector.serviceUrl, q, { user }));
  assert.equal(res.status, 200);
  const replies = connector.sent.slice(before).map((s) => s.activity);
  return { topicId: findAll(replies, 'topicId')[0] as string | undefined, text: textOf(replies) };
}
