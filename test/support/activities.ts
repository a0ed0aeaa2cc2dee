/** Real Teams-shaped activities, as the Bot Connector posts them to the bot. */

let seq = 0;

export interface ActivityOptions {
  text?: string;
  user?: string;
  userName?: string;
  conversationId?: string;
  conversationType?: 'personal' | 'channel' | 'groupChat';
  tenantId?: string;
  teamId?: string;
  value?: unknown;
  name?: string;
  type?: string;
  extra?: Record<string, unknown>;
}

export function teamsActivity(
  serviceUrl: string,
  o: ActivityOptions = {},
): Record<string, unknown> {
  const user = o.user ?? 'user-1';
  const tenantId = o.tenantId ?? 'tenant-1';
  const conversationType = o.conversationType ?? 'personal';
  return {
    type: o.type ?? 'message',
    id: `in-${Date.now()}-${++seq}`,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl,
    from: { id: `29:${user}`, name: o.userName ?? 'Anna Andersson', aadObjectId: `aad-${user}` },
    conversation: { id: o.conversationId ?? `a:personal-${user}`, conversationType, tenantId },
    recipient: { id: '28:bot-id', name: 'webSesam-hjälpen' },
    locale: 'sv-SE',
    text: o.text,
    value: o.value,
    name: o.name,
    channelData: {
      tenant: { id: tenantId },
      ...(o.teamId
        ? { team: { id: o.teamId }, channel: { id: o.conversationId, name: 'Support' } }
        : {}),
    },
    ...o.extra,
  };
}

export const personalMessage = (serviceUrl: string, text: string, o: ActivityOptions = {}) =>
  teamsActivity(serviceUrl, { ...o, text });

/** An Action.Execute click, as Teams sends it: an `adaptiveCard/action` invoke. */
export const cardAction = (
  serviceUrl: string,
  verb: string,
  data: Record<string, unknown>,
  o: ActivityOptions = {},
) =>
  teamsActivity(serviceUrl, {
    ...o,
    type: 'invoke',
    name: 'adaptiveCard/action',
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  });

export async function postActivity(
  botUrl: string,
  activity: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${botUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof activity === 'string' ? activity : JSON.stringify(activity),
  });
  const text = await res.text();
  let body: any = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  return { status: res.status, body };
}

/** Every string value under the key, anywhere in a JSON value. */
export function findAll(node: unknown, key: string): unknown[] {
  const out: unknown[] = [];
  const visit = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(visit);
    else if (n && typeof n === 'object')
      for (const [k, v] of Object.entries(n)) {
        if (k === key) out.push(v);
        visit(v);
      }
  };
  visit(node);
  return out;
}

/** The Adaptive Cards in an activity. */
export const cardsOf = (activity: Record<string, any>) =>
  (activity.attachments ?? [])
    .filter((a: any) => a.contentType === 'application/vnd.microsoft.card.adaptive')
    .map((a: any) => a.content);

/** All the text of a card or activity, for assertions on what a person reads. */
export function textOf(node: unknown): string {
  return findAll(node, 'text')
    .concat(findAll(node, 'title'))
    .filter((x) => typeof x === 'string')
    .join('\n');
}
