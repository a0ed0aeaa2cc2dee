import type restify from 'restify';
import { z } from 'zod';
import type { Knowledge } from '../knowledge/knowledge.js';
import { OUT_OF_SCOPE } from '../knowledge/taught-index.js';
import { teachTexts } from '../knowledge/teach-texts.js';
import { TeachInputError, type Teaching } from '../knowledge/teaching.js';
import type { Log } from '../log.js';
import type { AccessResult } from './access.js';

export interface TaughtRoutesDeps {
  teaching: Teaching;
  knowledge: Knowledge;
  /** The statistics tab's access rule: loopback in local mode, else a staff member's token. */
  access: (req: restify.Request) => Promise<AccessResult>;
  log: Log;
}

const API_HEADERS = { 'cache-control': 'no-store' };

// Strings of any length get through here, so that a too-long phrase gets its own message.
const teachBody = z.object({ question: z.string(), topicId: z.string().max(200) });

/**
 * "Lär boten" over HTTP, the contract a script can rely on:
 *   POST   /api/knowledge/taught        {"question": "...", "topicId": "<topic id>" | "out-of-scope"} → 201
 *   GET    /api/knowledge/taught        every taught phrase with its status (active, replaced, undone)
 *   DELETE /api/knowledge/taught/{id}   undoes one → 200
 *   GET    /api/knowledge/topics        what can be taught: answerable topics and out of scope
 */
export function taughtRoutes({ teaching, knowledge, access, log }: TaughtRoutesDeps) {
  async function allowed(req: restify.Request, res: restify.Response) {
    const who = await access(req);
    if (!who.ok) {
      res.send(
        who.status,
        { error: who.status === 401 ? 'Inloggning krävs' : 'Ingen behörighet' },
        API_HEADERS,
      );
      return undefined;
    }
    return who;
  }

  return (server: restify.Server) => {
    server.get('/api/knowledge/taught', async (req, res) => {
      if (!(await allowed(req, res))) return;
      res.send(200, { items: await teaching.list() }, API_HEADERS);
    });

    server.get('/api/knowledge/topics', async (req, res) => {
      if (!(await allowed(req, res))) return;
      res.send(
        200,
        {
          topics: [
            ...knowledge.topics().map((t) => ({ id: t.id, title: t.title, category: t.category })),
            { id: OUT_OF_SCOPE, title: teachTexts.outOfScopeChoice, category: null },
          ],
        },
        API_HEADERS,
      );
    });

    server.post('/api/knowledge/taught', async (req, res) => {
      const who = await allowed(req, res);
      if (!who) return;
      const body = teachBody.safeParse(req.body);
      if (!body.success) {
        res.send(
          400,
          { error: 'Skicka JSON med "question" (frågan) och "topicId" (ämnets id).' },
          API_HEADERS,
        );
        return;
      }
      try {
        const { item, replaced } = await teaching.teach({
          question: body.data.question,
          topicId: body.data.topicId,
          by: { id: who.userId, name: '' },
          via: 'api',
        });
        log.info({ id: item.id, topicId: item.topicId, via: 'api' }, 'phrase taught');
        res.send(201, { ...item, replaced: replaced ?? null }, API_HEADERS);
      } catch (e) {
        if (!(e instanceof TeachInputError)) throw e;
        res.send(400, { error: teachTexts.problem[e.problem], problem: e.problem }, API_HEADERS);
      }
    });

    server.del('/api/knowledge/taught/:id', async (req, res) => {
      const who = await allowed(req, res);
      if (!who) return;
      const undone = await teaching.undo(String(req.params.id), { id: who.userId, name: '' });
      if (!undone) {
        res.send(404, { error: teachTexts.notFound }, API_HEADERS);
        return;
      }
      log.info({ id: undone.id }, 'taught phrase undone');
      res.send(200, undone, API_HEADERS);
    });
  };
}
