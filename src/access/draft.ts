import { AccessInputError } from './errors.js';
import { TEXT_FIELDS, type AccessForm } from './form.js';
import { ACCESS_KINDS, type AccessKind, type Subject } from './request.js';

/** What the applicant filled in on the form, not yet trusted. */
export interface AccessDraft {
  draftId: string;
  kind: string;
  subjectName: string;
  subjectContact: string;
  unit: string;
  organisation: string;
  role: string;
  fromDate: string;
  /** Entra object id from the people picker. */
  managerId: string;
  /** Typed e-mail, the fallback where the picker is not offered. */
  managerEmail: string;
}

export interface CheckedDraft {
  kind: AccessKind;
  subject: Subject;
  role: string;
  fromDate: string;
  managerId: string | null;
  managerEmail: string | null;
}

// An Entra object id is a GUID; the local client and tests use other shapes, so any short id
// without spaces is taken, and whether it is someone the bot can reach is asked separately.
const PERSON_ID = /^[\w:.@-]{1,100}$/;
const EMAIL = /^[^\s@<>()[\]\\,;:"]{1,64}@[^\s@<>()[\]\\,;:"]{1,190}\.[a-z]{2,}$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function realDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s && Number(m[1]) >= 2000 && Number(m[1]) <= 2100;
}

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** Checks a draft against the configured form; the first problem is thrown, named by field. */
export function checkDraft(form: AccessForm, draft: AccessDraft): CheckedDraft {
  if (typeof draft.draftId !== 'string' || !/^[\w-]{8,64}$/.test(draft.draftId))
    throw new AccessInputError('draftId', 'unknown');
  const kind = str(draft.kind);
  if (!kind) throw new AccessInputError('kind', 'missing');
  if (!ACCESS_KINDS.includes(kind as AccessKind)) throw new AccessInputError('kind', 'unknown');
  const values = {} as Record<(typeof TEXT_FIELDS)[number], string>;
  for (const name of TEXT_FIELDS) {
    const f = form.fields[name];
    const v = str(draft[name]);
    // An avslut has no role to ask for: what ends is the person's access.
    const required = f.required && !(name === 'role' && kind === 'avslut');
    if (!v && required) throw new AccessInputError(name, 'missing');
    if (v.length > f.maxLength) throw new AccessInputError(name, 'too-long', f.maxLength);
    if (v && f.choices && !f.choices.some((c) => c.value === v))
      throw new AccessInputError(name, 'unknown');
    values[name] = v;
  }
  const fromDate = str(draft.fromDate);
  if (!fromDate) throw new AccessInputError('fromDate', 'missing');
  if (!realDate(fromDate)) throw new AccessInputError('fromDate', 'invalid');
  const managerId = str(draft.managerId);
  const managerEmail = str(draft.managerEmail).toLowerCase();
  if (!managerId && !managerEmail) throw new AccessInputError('manager', 'missing');
  if (managerId && !PERSON_ID.test(managerId)) throw new AccessInputError('manager', 'unknown');
  if (!managerId && !EMAIL.test(managerEmail))
    throw new AccessInputError('managerEmail', 'invalid');
  return {
    kind: kind as AccessKind,
    subject: {
      name: values.subjectName,
      contact: values.subjectContact,
      unit: values.unit,
      organisation: values.organisation,
    },
    role: values.role,
    fromDate,
    managerId: managerId || null,
    managerEmail: managerId ? null : managerEmail,
  };
}
