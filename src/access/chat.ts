import type { VerbTable } from '../features/feature.js';
import {
  text,
  type ActionResult,
  type MessageHandler,
  type Reply,
  type Requester,
} from '../conversation/replies.js';
import type { Access } from './access.js';
import {
  approvalCard,
  formCard,
  listCard,
  staffCard,
  summaryCard,
  userCard,
  type AccessCardContext,
} from './cards.js';
import type { AccessDraft } from './draft.js';
import { AccessInputError } from './errors.js';
import { asksForAccess, asksForMyRequests } from './intent.js';
import type { PeopleDirectory } from './ports.js';
import type { AccessRequest, Actor } from './request.js';
import { accessTexts as T } from './texts.js';

export interface AccessChatDeps {
  access: Access;
  directory: PeopleDirectory;
  cards: AccessCardContext;
  newId: () => string;
}

export const toActor = (r: Requester): Actor => ({
  id: r.userId,
  name: r.name,
  tenantId: r.tenantId,
});

// Card data is untrusted; a too long value is kept long enough to be refused, not silently cut.
const field = (data: Record<string, unknown>, key: string, max = 20_000) =>
  typeof data[key] === 'string' ? (data[key] as string).slice(0, max) : '';

/** Card data is untrusted: a version is a whole number or nothing that matches. */
const versionOf = (data: Record<string, unknown>) => {
  const v = data.version;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^\d{1,9}$/.test(v)) return Number(v);
  return -1;
};

export function problemText(e: AccessInputError): string {
  if (e.field === 'draftId') return T.formUnknown;
  const name = T.field[e.field] ?? e.field;
  if (e.problem === 'too-long')
    return T.tooLong(name.charAt(0).toUpperCase() + name.slice(1), e.max ?? 0);
  if (e.problem === 'missing') return T.missing(name);
  if (e.problem === 'invalid') return T.invalid(name);
  return T.unknownValue(name);
}

/**
 * The chat side of access requests: the words that open the form or list one's requests, and
 * every access card verb. It turns card data into use-case calls and requests into cards.
 */
export function createAccessChat({ access, directory, cards, newId }: AccessChatDeps) {
  const draftOf = (data: Record<string, unknown>): AccessDraft => ({
    draftId: field(data, 'draftId', 64),
    kind: field(data, 'kind', 20),
    subjectName: field(data, 'subjectName'),
    subjectContact: field(data, 'subjectContact'),
    unit: field(data, 'unit'),
    organisation: field(data, 'organisation'),
    role: field(data, 'role'),
    fromDate: field(data, 'fromDate', 20),
    managerId: field(data, 'managerId', 200),
    managerEmail: field(data, 'managerEmail', 400),
  });

  const blank = (kind: string): AccessDraft => ({
    draftId: newId(),
    kind,
    subjectName: '',
    subjectContact: '',
    unit: '',
    organisation: '',
    role: '',
    fromDate: '',
    managerId: '',
    managerEmail: '',
  });

  async function managerName(d: AccessDraft): Promise<string> {
    const found = await directory.find({
      id: d.managerId || null,
      email: d.managerId ? null : d.managerEmail || null,
    });
    return found?.name ?? '';
  }

  const personalOnly = (r: Requester): ActionResult | undefined =>
    r.conversationType === 'personal' ? undefined : { replies: [text(T.onlyPersonal)] };

  function confirmation(r: AccessRequest): Reply {
    const manager = r.manager.name || r.manager.email || T.unnamedManager;
    const notice = r.routed
      ? {
          'self-manager': T.confirmedSelfManager,
          'manager-unreachable': T.confirmedUnreachable(manager),
          'filed-by-manager': T.confirmedFiledByManager,
          'filed-by-support': T.confirmedFiledBySupport,
        }[r.routed]
      : T.confirmedToManager(manager);
    return userCard(cards, r, T.confirmedHeading(r.number), [notice]);
  }

  const handler: MessageHandler = async (requester, question) => {
    if (asksForMyRequests(question)) {
      if (requester.conversationType !== 'personal') return [text(T.onlyPersonal)];
      return [listCard(cards, await access.mine(toActor(requester)))];
    }
    const asked = asksForAccess(question);
    if (!asked) return undefined;
    if (requester.conversationType !== 'personal') return [text(T.onlyPersonal)];
    return [formCard(cards, blank(asked.kind))];
  };

  const refusedInput = (d: AccessDraft, e: unknown, name: string): ActionResult => {
    if (e instanceof AccessInputError)
      return { replies: [], updatedCard: formCard(cards, d, problemText(e), name) };
    throw e;
  };

  const verbs = {
    'access.start': async (r, data) =>
      personalOnly(r) ?? { replies: [formCard(cards, blank(field(data, 'kind', 20)))] },

    'access.review': async (r, data) => {
      const refused = personalOnly(r);
      if (refused) return refused;
      const d = draftOf(data);
      const name = await managerName(d);
      try {
        access.checkDraft(d);
      } catch (e) {
        return refusedInput(d, e, name);
      }
      return { replies: [], updatedCard: summaryCard(cards, d, name) };
    },

    'access.edit': async (_r, data) => {
      const d = draftOf(data);
      return { replies: [], updatedCard: formCard(cards, d, null, await managerName(d)) };
    },

    'access.submit': async (r, data) => {
      const refused = personalOnly(r);
      if (refused) return refused;
      const d = draftOf(data);
      try {
        const { request } = await access.apply(toActor(r), d);
        return { replies: [], updatedCard: confirmation(request) };
      } catch (e) {
        return refusedInput(d, e, await managerName(d));
      }
    },

    'access.approve': async (r, data) => {
      const req = await access.approve(data.requestId, toActor(r), versionOf(data), data.comment);
      return {
        replies: [],
        updatedCard: approvalCard(cards, req, { decided: T.managerApprovedDone }),
      };
    },
    'access.decline': async (r, data) => {
      const req = await access.decline(data.requestId, toActor(r), versionOf(data), data.comment);
      return {
        replies: [],
        updatedCard: approvalCard(cards, req, { decided: T.managerDeclinedDone }),
      };
    },

    'access.register': async (r, data) => ({
      replies: [],
      updatedCard: staffCard(
        cards,
        await access.register(data.requestId, toActor(r), versionOf(data), data.note),
      ),
    }),
    'access.ask': async (r, data) => ({
      replies: [],
      updatedCard: staffCard(
        cards,
        await access.askInfo(data.requestId, toActor(r), versionOf(data), data.question),
      ),
    }),
    'access.reject': async (r, data) => ({
      replies: [],
      updatedCard: staffCard(
        cards,
        await access.reject(data.requestId, toActor(r), versionOf(data), data.reason),
      ),
    }),

    'access.answer': async (r, data) => {
      const req = await access.answer(data.requestId, toActor(r), versionOf(data), data.answer);
      return {
        replies: [],
        updatedCard: userCard(cards, req, T.heading(req.number), [T.answerThanks]),
      };
    },

    'access.show': async (r, data) => {
      const actor = toActor(r);
      const req = await access.view(data.requestId, actor);
      const personal = r.conversationType === 'personal';
      const own = personal && (req.applicant.id === actor.id || req.manager.id === actor.id);
      const answerable = req.applicant.id === actor.id;
      return {
        replies: [
          own ? userCard(cards, req, T.heading(req.number), [], answerable) : staffCard(cards, req),
        ],
      };
    },
  } satisfies VerbTable;

  return {
    handler,
    /** The card verbs; the feature registers them. */
    verbs,
  };
}
