import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Bot Connector service: the bot sends its replies, proactive messages,
 * card updates and new conversations here, and tests read what arrived.
 */
export interface SentActivity {
  method: 'POST' | 'PUT' | 'DELETE';
  conversationId: string;
  /** The id the connector gave the activity (or the one updated). */
  id: string;
  /** Set for replies (POST …/activities/{replyToId}). */
  replyToId?: string;
  activity: Record<string, any>;
  at: number;
}

export interface CreatedConversation {
  id: string;
  activityId: string;
  params: Record<string, any>;
}

/** Decides a response for a request before it is recorded; return undefined to accept it. */
export type Fault = (req: {
  method: string;
  path: string;
  conversationId: string;
  attempt: number;
}) => { status: number; headers?: Record<string, string>; body?: unknown } | undefined;

export interface FakeConnector {
  serviceUrl: string;
  sent: SentActivity[];
  created: CreatedConversation[];
  /** Requests seen, accepted or refused. */
  requests: number;
  setFault(fault: Fault | undefined): void;
  /** Activities sent to one conversation, typing indicators left out. */
  to(conversationId: string): SentActivity[];
  /** Waits until `predicate` holds or the time is up; returns whether it held. */
  waitFor(predicate: () => boolean, ms?: number): Promise<boolean>;
  stop(): Promise<void>;
}

export async function startFakeConnector(): Promise<FakeConnector> {
  const sent: SentActivity[] = [];
  const created: CreatedConversation[] = [];
  let fault: Fault | undefined;
  let n = 0;
  let requests = 0;
  const attempts = new Map<string, number>();

  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      requests++;
      const url = new URL(req.url ?? '/', 'http://x');
      const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
      const json = (status: number, obj: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(obj ?? {}));
      };
      const conversationId = parts[2] ?? '';
      const key = `${req.method} ${url.pathname} ${body}`;
      const attempt = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, attempt);
      const refused = fault?.({
        method: req.method ?? '',
        path: url.pathname,
        conversationId,
        attempt,
      });
      if (refused)
        return json(
          refused.status,
          refused.body ?? { error: { code: 'Fault', message: 'injected' } },
          refused.headers,
        );

      let parsed: Record<string, any> = {};
      try {
        parsed = body ? JSON.parse(body) : {};
      } catch {
        return json(400, { error: { code: 'BadSyntax', message: 'not JSON' } });
      }
      if (parts[0] !== 'v3') return json(404, {});
      if (parts[1] === 'conversations' && parts.length === 2 && req.method === 'POST') {
        const id = `created-${++n}`;
        const activityId = `act-${++n}`;
        created.push({ id, activityId, params: parsed });
        if (parsed.activity)
          sent.push({
            method: 'POST',
            conversationId: id,
            id: activityId,
            activity: parsed.activity,
            at: Date.now(),
          });
        return json(201, { id, activityId });
      }
      if (parts[1] === 'conversations' && parts[3] === 'activities') {
        if (req.method === 'POST') {
          const id = `act-${++n}`;
          sent.push({
            method: 'POST',
            conversationId,
            id,
            replyToId: parts[4],
            activity: parsed,
            at: Date.now(),
          });
          return json(200, { id });
        }
        if (req.method === 'PUT') {
          sent.push({
            method: 'PUT',
            conversationId,
            id: parts[4],
            activity: parsed,
            at: Date.now(),
          });
          return json(200, { id: parts[4] });
        }
        if (req.method === 'DELETE') {
          sent.push({
            method: 'DELETE',
            conversationId,
            id: parts[4],
            activity: {},
            at: Date.now(),
          });
          return json(200, {});
        }
      }
      if (parts[1] === 'conversations' && parts[3] === 'members') {
        const uid = parts[4] ?? 'user';
        const member = {
          id: uid,
          name: 'Test Person',
          aadObjectId: `aad-${uid}`,
          tenantId: 'tenant-1',
        };
        return json(200, parts[4] ? member : [member]);
      }
      if (parts[1] === 'conversations' && parts[3] === 'pagedmembers')
        return json(200, { members: [] });
      if (parts[1] === 'teams')
        return json(200, { id: parts[2], name: 'Support', aadGroupId: 'grp' });
      return json(404, {});
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const serviceUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  return {
    serviceUrl,
    sent,
    created,
    get requests() {
      return requests;
    },
    setFault: (f) => (fault = f),
    to: (conversationId) =>
      sent.filter((s) => s.conversationId === conversationId && s.activity?.type !== 'typing'),
    async waitFor(predicate, ms = 5000) {
      const until = Date.now() + ms;
      while (Date.now() < until) {
        if (predicate()) return true;
        await new Promise((r) => setTimeout(r, 10));
      }
      return predicate();
    },
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
