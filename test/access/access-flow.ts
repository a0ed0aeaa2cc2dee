import assert from 'node:assert/strict';
import {
  cardAction,
  cardsOf,
  findAll,
  personalMessage,
  postActivity,
  teamsActivity,
  textOf,
} from '../support/activities.js';
import type { FakeConnector } from '../support/fake-connector.js';

/** The three people of an access request, and how they talk to the bot in these tests. */
export const APPLICANT = 'user-1';
export const MANAGER = 'mgr-1';
export const STAFF = 'staff-1';
export const SUPPORT_CHANNEL = '19:support@thread.tacv2';
export const personalChat = (user: string) => `a:personal-${user}`;

const names: Record<string, string> = {
  'user-1': 'Anna Andersson',
  'mgr-1': 'Maria Chef',
  'staff-1': 'Sara Support',
  'user-2': 'Olle Obehörig',
};

/** A complete, valid form as the card sends it on Fortsätt. */
export const filledForm = (o: Record<string, string> = {}) => ({
  kind: 'ny',
  subjectName: 'Nils Nyanställd',
  subjectContact: 'nils.nyanstalld@example.se',
  unit: 'Rehab Mölndal',
  organisation: 'Västra Götalandsregionen',
  role: 'Förskrivare, ska kunna beställa hjälpmedel',
  fromDate: '2026-12-14',
  managerId: `aad-${MANAGER}`,
  managerEmail: '',
  ...o,
});

export function accessFlow(botUrl: () => string, connector: () => FakeConnector) {
  const c = () => connector();

  async function say(user: string, text: string) {
    const before = c().sent.length;
    const res = await postActivity(
      botUrl(),
      personalMessage(c().serviceUrl, text, { user, userName: names[user] }),
    );
    assert.equal(res.status, 200);
    return c()
      .sent.slice(before)
      .map((s) => s.activity);
  }

  async function inChannel(user: string, text: string) {
    const res = await postActivity(
      botUrl(),
      teamsActivity(c().serviceUrl, {
        user,
        userName: names[user],
        text,
        conversationType: 'channel',
        conversationId: SUPPORT_CHANNEL,
        teamId: 'team-1',
      }),
    );
    assert.equal(res.status, 200);
  }

  /** A click in the personal chat; the invoke response body (the updated card or a text). */
  async function click(
    user: string,
    verb: string,
    data: Record<string, unknown>,
    tenantId?: string,
  ) {
    const res = await postActivity(
      botUrl(),
      cardAction(c().serviceUrl, verb, data, { user, userName: names[user], tenantId }),
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body as { type: string; value: any };
  }

  /** A click on the request's card in the channel thread. */
  async function staffClick(user: string, verb: string, data: Record<string, unknown>) {
    const res = await postActivity(
      botUrl(),
      cardAction(c().serviceUrl, verb, data, {
        user,
        userName: names[user],
        conversationType: 'channel',
        conversationId: threadOf(c())?.id ?? SUPPORT_CHANNEL,
        teamId: 'team-1',
      }),
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body as { type: string; value: any };
  }

  /** From "jag behöver behörighet" to the confirmation card. */
  async function apply(user: string, form: Record<string, string> = filledForm()) {
    const replies = await say(user, 'jag behöver behörighet');
    // The form card, not whatever else arrived meanwhile: the outbox may deliver an earlier
    // request's notice (an approval, a reminder) to the same chat at the same moment.
    const formCard = replies
      .flatMap((r) => cardsOf(r))
      .find((card) => findAll(card, 'verb').includes('access.review'));
    assert.ok(formCard, textOf(replies));
    const draftId = (findAll(formCard, 'data')[0] as { draftId: string }).draftId;
    const review = await click(user, 'access.review', { draftId, ...form });
    assert.equal(review.type, 'application/vnd.microsoft.card.adaptive', JSON.stringify(review));
    const submit = (review.value.actions as any[]).find((a) => a.verb === 'access.submit');
    assert.ok(submit, textOf(review.value));
    const confirmation = await click(user, 'access.submit', submit.data);
    return {
      formCard,
      summary: review.value,
      submitData: submit.data,
      confirmation: confirmation.value,
    };
  }

  /** Waits for an outbox message in someone's personal chat whose text matches. */
  async function waitInChat(user: string, pattern: RegExp) {
    const found = () =>
      c()
        .to(personalChat(user))
        .find((s) => pattern.test(textOf(s.activity)));
    assert.ok(await c().waitFor(() => !!found(), 15_000), `nothing like ${pattern} to ${user}`);
    return found()!.activity;
  }

  return { say, inChannel, click, staffClick, apply, waitInChat };
}

/** Everything a person reads on a card, fact values included. */
export const shown = (node: unknown) =>
  [textOf(node), ...findAll(node, 'value').filter((v) => typeof v === 'string')].join('\n');

/** The thread the request's support card started, if any. */
export const threadOf = (connector: FakeConnector, index = 0) =>
  connector.created.filter((cr) => findAll(cr.params, 'verb').includes('access.register'))[index];

/** The support card as it stands in the thread now: the first card or its latest update. */
export function supportCard(connector: FakeConnector, index = 0) {
  const thread = threadOf(connector, index);
  const updates = connector.sent.filter(
    (s) => s.method === 'PUT' && s.conversationId === thread.id && s.id === thread.activityId,
  );
  return cardsOf(updates.length ? updates[updates.length - 1].activity : thread.params.activity)[0];
}

export const requestIdOf = (card: unknown) => findAll(card, 'requestId')[0] as string;
export const versionOf = (card: unknown) =>
  findAll(card, 'version').find((v) => typeof v === 'number') as number;
