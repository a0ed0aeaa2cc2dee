import type { LogEntry, QuestionLog } from '../../conversation/question-log.js';
import { JsonlLog } from './jsonl-log.js';

/** The question log as JSON Lines (see JsonlLog): logging a question never rewrites the others. */
export class JsonlQuestionLog extends JsonlLog<LogEntry> implements QuestionLog {}
