import { plainCardText } from '../cards/render.js';
import approvalJson from '../cards/templates/access-approval.json' with { type: 'json' };
import formJson from '../cards/templates/access-form.json' with { type: 'json' };
import listJson from '../cards/templates/access-list.json' with { type: 'json' };
import staffJson from '../cards/templates/access-staff.json' with { type: 'json' };
import summaryJson from '../cards/templates/access-summary.json' with { type: 'json' };
import userJson from '../cards/templates/access-user.json' with { type: 'json' };
import { card, type Reply } from '../conversation/replies.js';
import { formatTime } from '../tickets/cards.js';
import type { AccessDraft } from './draft.js';
import { TEXT_FIELDS, type AccessForm } from './form.js';
import { accessTexts as T } from './texts.js';
import { ACCESS_KINDS, type AccessKind, type AccessRequest } from './request.js';

/**
 * The access cards' data and how a request fills them. Whatever a person typed is escaped, so it
 * can never become a link or formatting on a card someone else reads.
 */

/** The access cards, by template name (the access feature registers them). */
export const accessTemplates = {
  'access-form': formJson,
  'access-summary': summaryJson,
  'access-approval': approvalJson,
  'access-staff': staffJson,
  'access-user': userJson,
  'access-list': listJson,
};

interface Fact {
  title: string;
  value: string;
}

const kindTitle = (form: AccessForm, kind: string) =>
  ACCESS_KINDS.includes(kind as AccessKind) ? form.kinds[kind as AccessKind] : '';

const short = (s: string, max = 80) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** A field's shown value: a choice by its title, a typed text escaped. */
function shown(form: AccessForm, name: (typeof TEXT_FIELDS)[number], value: string): string {
  const choice = form.fields[name].choices?.find((c) => c.value === value);
  return choice ? choice.title : plainCardText(value);
}

export interface AccessCardContext {
  form: AccessForm;
  timeZone: string;
}

export function formCard(
  ctx: AccessCardContext,
  d: AccessDraft,
  problem: string | null = null,
  managerName = '',
): Reply {
  const { form } = ctx;
  return card('access-form', {
    heading: form.heading,
    intro: form.intro,
    problem,
    draftId: d.draftId,
    kind: d.kind,
    kinds: ACCESS_KINDS.map((k) => ({ title: form.kinds[k], value: k })),
    fields: TEXT_FIELDS.map((name) => {
      const f = form.fields[name];
      return {
        id: name,
        // The role is not asked of an avslut, so the card leaves it to the check after Fortsätt.
        label: f.required || name === 'role' ? f.label : `${f.label} (valfritt)`,
        placeholder: f.placeholder ?? '',
        maxLength: f.maxLength,
        multiline: f.maxLength > 200,
        required: f.required && name !== 'role',
        value: d[name],
        choices: f.choices ?? [],
      };
    }),
    fromDateLabel: form.fields.fromDate.label,
    fromDate: d.fromDate,
    managerLabel: form.fields.manager.label,
    managerPlaceholder: form.fields.manager.placeholder,
    managerId: d.managerId,
    managerChoices: d.managerId ? [{ title: managerName || d.managerId, value: d.managerId }] : [],
    managerEmailLabel: form.fields.manager.emailLabel,
    managerEmail: d.managerEmail,
  });
}

function draftFacts(form: AccessForm, d: AccessDraft, managerShown: string): Fact[] {
  return [
    { title: 'Gäller', value: kindTitle(form, d.kind) },
    ...TEXT_FIELDS.filter((n) => d[n]).map((n) => ({
      title: form.fields[n].label,
      value: shown(form, n, d[n]),
    })),
    { title: form.fields.fromDate.label, value: d.fromDate },
    { title: form.fields.manager.label, value: managerShown },
  ];
}

export function summaryCard(ctx: AccessCardContext, d: AccessDraft, managerName: string): Reply {
  const managerShown = plainCardText(managerName || d.managerEmail || d.managerId);
  return card('access-summary', {
    facts: draftFacts(ctx.form, d, managerShown),
    managerShown,
    draft: { ...d, managerName },
  });
}

function requestFacts(form: AccessForm, r: AccessRequest, tz: string): Fact[] {
  const facts: Fact[] = [
    { title: 'Gäller', value: kindTitle(form, r.kind) },
    { title: form.fields.subjectName.label, value: plainCardText(r.subject.name) },
    { title: form.fields.subjectContact.label, value: plainCardText(r.subject.contact) },
    { title: form.fields.unit.label, value: shown(form, 'unit', r.subject.unit) },
    {
      title: form.fields.organisation.label,
      value: shown(form, 'organisation', r.subject.organisation),
    },
  ];
  if (r.role) facts.push({ title: form.fields.role.label, value: shown(form, 'role', r.role) });
  facts.push(
    { title: form.fields.fromDate.label, value: r.fromDate },
    {
      title: form.fields.manager.label,
      value: plainCardText(
        [
          r.manager.name,
          r.manager.email && r.manager.email !== r.manager.name ? r.manager.email : '',
        ]
          .filter(Boolean)
          .join(', ') || '–',
      ),
    },
    { title: 'Sökande', value: plainCardText(r.applicant.name) },
    { title: 'Skickad', value: formatTime(r.createdAt, tz) },
  );
  return facts;
}

const history = (r: AccessRequest, tz: string) =>
  r.history.map((e) => ({
    at: formatTime(e.at, tz),
    who: plainCardText(e.by.name),
    what: plainCardText(T.event(e)),
  }));

export function staffCard(ctx: AccessCardContext, r: AccessRequest): Reply {
  return card('access-staff', {
    requestId: r.id,
    version: r.version,
    heading: T.heading(r.number),
    status: T.status[r.status],
    marked: r.routed && r.routed !== 'filed-by-manager' ? T.routed[r.routed] : null,
    facts: requestFacts(ctx.form, r, ctx.timeZone),
    history: history(r, ctx.timeZone),
    atSupport: r.status === 'at-support',
    canReject: r.status === 'at-support' || r.status === 'needs-info',
  });
}

export function approvalCard(
  ctx: AccessCardContext,
  r: AccessRequest,
  o: { notice?: string; decided?: string } = {},
): Reply {
  return card('access-approval', {
    requestId: r.id,
    version: r.version,
    heading: T.approvalHeading(r.number),
    intro: T.approvalIntro(plainCardText(r.applicant.name)),
    notice: o.notice ?? null,
    decided: o.decided ?? null,
    facts: requestFacts(ctx.form, r, ctx.timeZone),
  });
}

export function userCard(
  ctx: AccessCardContext,
  r: AccessRequest,
  heading: string,
  notices: string[] = [],
  /** False for the manager's view: only the applicant answers support's question. */
  answerable = true,
): Reply {
  const asked =
    answerable && r.status === 'needs-info'
      ? [...r.history].reverse().find((e) => e.kind === 'info-requested')
      : undefined;
  return card('access-user', {
    requestId: r.id,
    version: r.version,
    heading,
    notices,
    question: asked ? plainCardText(asked.text ?? '') : null,
    facts: [
      { title: 'Status', value: T.status[r.status] },
      ...requestFacts(ctx.form, r, ctx.timeZone),
    ],
    history: r.history.map((e) => ({
      at: formatTime(e.at, ctx.timeZone),
      what: plainCardText(`${e.by.name}: ${T.event(e)}`),
    })),
  });
}

export function listCard(ctx: AccessCardContext, requests: AccessRequest[]): Reply {
  return card('access-list', {
    requests: requests.slice(0, 20).map((r) => ({
      requestId: r.id,
      number: r.number,
      status: T.status[r.status],
      summary: plainCardText(short(`${kindTitle(ctx.form, r.kind)}: ${r.subject.name}`)),
      createdAt: formatTime(r.createdAt, ctx.timeZone),
    })),
    empty: requests.length === 0,
  });
}
