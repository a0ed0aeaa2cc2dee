/** A phone call to support, registered by staff so the quarter's report covers every channel. */
export interface CallEntry {
  kind: 'call';
  id: string;
  at: string;
  category: string;
  /** Entra ID object id of the staff member who registered it. */
  registeredBy: string;
  /** Where it was registered: the chat command, the card or the tab's form. */
  via: 'command' | 'card' | 'tab';
}

/** Append-only, like the question log. */
export interface CallLog {
  append(entry: CallEntry): Promise<void>;
  readAll(): AsyncIterable<CallEntry>;
}

/** Calls about something outside the knowledge base's categories (behörighet, fakturor …). */
export const OTHER_CATEGORY = 'Övrigt';
