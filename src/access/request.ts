import { withEvent as withVersionedEvent } from '../history/with-event.js';
/**
 * An access request (behörighet): a user or a manager applies, the responsible manager approves,
 * support registers it in the access system. Everything that happened stays in the history.
 */

export type AccessRequestId = string;
export const ACCESS_KINDS = ['ny', 'andring', 'avslut'] as const;
export type AccessKind = (typeof ACCESS_KINDS)[number];

export type AccessStatus =
  /** Sent to the named manager, waiting for Godkänn / Avslå. */
  | 'awaiting-manager'
  /** With support: approved, or routed there for a reason (see `routed`). */
  | 'at-support'
  /** Support asked the applicant a question; back to support once answered. */
  | 'needs-info'
  | 'registered'
  | 'rejected';

/** Why a request went to support without the manager's approval. */
export type RoutedReason =
  /** The applicant named themselves as manager. */
  | 'self-manager'
  /** The bot cannot write to the manager: never talked to the bot, or Teams said 403/404. */
  | 'manager-unreachable'
  /** An avslut filed by the named manager: the filing is the approval. */
  | 'filed-by-manager'
  /** An avslut filed by support staff. */
  | 'filed-by-support';

/** Someone acting on a request, as the domain knows them. */
export interface Actor {
  /** Entra ID object id where Teams gives one. */
  id: string;
  name: string;
  tenantId: string;
}

export interface Person {
  id: string;
  name: string;
}

/** The person the request is for (who may not be the applicant). */
export interface Subject {
  name: string;
  /** E-mail address or HSA-id. */
  contact: string;
  unit: string;
  /** The region, or which municipality. */
  organisation: string;
}

export interface Manager {
  /** Entra object id, once known (chosen in the people picker, or matched from the e-mail). */
  id: string | null;
  name: string;
  email: string | null;
}

export type AccessEventKind =
  | 'applied'
  | 'approved'
  | 'declined'
  | 'routed'
  | 'posted'
  | 'registered'
  | 'info-requested'
  | 'info-given'
  | 'rejected'
  | 'redacted';

/** One line of the history: who, when, what. `version` is the request version it produced. */
export interface AccessEvent {
  version: number;
  kind: AccessEventKind;
  at: string;
  by: Person;
  /** Comment, note, question or answer (personnummer masked). */
  text?: string;
  /** For `applied` and `routed`: why it went to support without the manager's approval. */
  reason?: RoutedReason;
}

export interface AccessRequest {
  id: AccessRequestId;
  /** Human-friendly, unique. */
  number: number;
  /** Optimistic concurrency: each change adds one; a save must follow the version it read. */
  version: number;
  /** The form it came from: Skicka twice gives one request. */
  draftId: string;
  kind: AccessKind;
  status: AccessStatus;
  applicant: Actor;
  subject: Subject;
  /** Role and what is asked for. */
  role: string;
  /** YYYY-MM-DD */
  fromDate: string;
  manager: Manager;
  /** Set when the request went to support without the manager's approval, and why. */
  routed: RoutedReason | null;
  /** True once the named manager approved (or filed an avslut themselves). */
  managerApproved: boolean;
  /** Recipient id of the channel whose thread carries the support card, once posted. */
  channel: string | null;
  createdAt: string;
  updatedAt: string;
  /** Set once personal details were removed after the retention time. */
  redactedAt: string | null;
  history: AccessEvent[];
}

/** The request after one more event: a new object, the old one untouched. */
export const withEvent = (
  r: AccessRequest,
  event: Omit<AccessEvent, 'version'>,
  change: Partial<AccessRequest> = {},
): AccessRequest => withVersionedEvent<AccessEvent, AccessRequest>(r, event, change);

export const isOpen = (r: AccessRequest) =>
  r.status === 'awaiting-manager' || r.status === 'at-support' || r.status === 'needs-info';

export const isClosed = (r: AccessRequest) => !isOpen(r);

/** When the request last went to the manager: what an approval reminder counts from. */
export const sentToManagerAt = (r: AccessRequest): Date => new Date(r.createdAt);
