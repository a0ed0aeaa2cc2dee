import assert from 'node:assert/strict';
import type { RunningApp } from '../../src/app.js';
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

/** The support channel of these tests, and how its staff and users talk to the bot. */
export const SUPPORT_CHANNEL = '19:support@thread.tacv2';

const staffName = (user: string) =>
  ({ 'staff-1': 'Sara Support', 'staff-2': 'Erik Koordinator' })[user] ?? 'Okänd Person';

export function ticketFlow(bot: () => RunningApp, connector: () => FakeConnector) {
  const c = () => connector();

  async function say(user: string, text: string) {
    const before = c().sent.length;
    const res = await postActivity(bot().url, personalMessage(c().serviceUrl, text, { user }));
    assert.equal(res.status, 200);
    return c()
      .sent.slice(before)
      .map((s) => s.activity);
  }

  async function inChannel(user: string, text: string) {
    const res = await postActivity(
      bot().url,
      teamsActivity(c().serviceUrl, {
        user,
        userName: staffName(user),
        text,
        conversationType: 'channel',
        conversationId: SUPPORT_CHANNEL,
        teamId: 'team-1',
      }),
    );
    assert.equal(res.status, 200);
  }

  /** A click in the personal chat; returns the invoke response body and anything sent meanwhile. */
  async function click(
    user: string,
    verb: string,
    data: Record<string, unknown>,
    tenantId?: string,
  ) {
    const before = c().sent.length;
    const res = await postActivity(
      bot().url,
      cardAction(c().serviceUrl, verb, data, { user, tenantId }),
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return {
      body: res.body,
      sent: c()
        .sent.slice(before)
        .map((s) => s.activity),
    };
  }

  /** A click on the ticket card in the channel thread, as a staff member (or anyone) sees it. */
  async function staffClick(
    user: string,
    verb: string,
    data: Record<string, unknown>,
    tenantId?: string,
  ) {
    const thread = c().created[0]?.id ?? SUPPORT_CHANNEL;
    const res = await postActivity(
      bot().url,
      cardAction(c().serviceUrl, verb, data, {
        user,
        userName: staffName(user),
        tenantId,
        conversationType: 'channel',
        conversationId: thread,
        teamId: 'team-1',
      }),
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  }

  /** From a question the bot cannot answer to the confirmation card; returns it and the ticket id. */
  async function openTicket(
    user: string,
    question: string,
    o: { description?: string; reference?: string; urgency?: string } = {},
  ) {
    const replies = await say(user, question);
    let form = replies;
    if (!findAll(replies, 'verb').includes('ticket.review')) {
      assert.ok(
        findAll(replies, 'verb').includes('ticket.start'),
        `no "Skapa ärende" on the reply to "${question}": ${textOf(replies)}`,
      );
      const startData = findAll(replies, 'data').find((d: any) => d && 'questionId' in d) as Record<
        string,
        unknown
      >;
      form = (await click(user, 'ticket.start', { questionId: startData.questionId })).sent;
    }
    const formCard = cardsOf(form[form.length - 1])[0];
    const reviewData = findAll(formCard, 'data')[0] as Record<string, unknown>;
    const prefilled = findAll(formCard, 'value')[0] as string;
    const review = await click(user, 'ticket.review', {
      ...reviewData,
      description: o.description ?? prefilled,
      reference: o.reference ?? '',
      urgency: o.urgency ?? 'normal',
    });
    assert.equal(
      review.body.type,
      'application/vnd.microsoft.card.adaptive',
      JSON.stringify(review.body),
    );
    const submitData = (review.body.value.actions as any[]).find(
      (a) => a.verb === 'ticket.submit',
    ).data;
    const confirmation = await click(user, 'ticket.submit', submitData);
    return {
      confirmation: confirmation.body.value,
      formCard,
      summary: review.body.value,
      submitData,
    };
  }

  return { say, inChannel, click, staffClick, openTicket };
}

/** The ticket card as it stands in the channel now: the created thread's card, or its last update. */
export function channelCard(connector: FakeConnector, threadIndex = 0) {
  const thread = connector.created[threadIndex];
  const updates = connector.sent.filter(
    (s) => s.method === 'PUT' && s.conversationId === thread.id && s.id === thread.activityId,
  );
  const activity = updates.length ? updates[updates.length - 1].activity : thread.params.activity;
  return cardsOf(activity)[0];
}

export const ticketIdOf = (card: unknown) => findAll(card, 'ticketId')[0] as string;
export const versionOf = (card: unknown) =>
  findAll(card, 'version').find((v) => typeof v === 'number') as number;
