import type { CallEntry, CallLog } from '../../stats/calls.js';
import { JsonlLog } from './jsonl-log.js';

const isCall = (value: unknown): value is CallEntry => {
  const v = value as Partial<CallEntry> | null;
  return v?.kind === 'call' && typeof v.category === 'string' && typeof v.at === 'string';
};

/**
 * Registered phone calls as JSON Lines, like the question log. Staff are told "registrerat" only
 * after the line has been handed to the file system.
 */
export class JsonlCallLog extends JsonlLog<CallEntry> implements CallLog {
  constructor(file: string) {
    super(file, isCall);
  }
}
