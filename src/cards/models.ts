import type { Link } from '../knowledge/topic.js';
import type { SupportContact } from '../texts.js';

/** The data each card template is expanded with. */
export interface CardModels {
  answer: AnswerCardData;
  choices: ChoicesCardData;
  'no-answer': NoAnswerCardData;
  welcome: WelcomeCardData;
  help: HelpCardData;
  category: CategoryCardData;
}

export interface AnswerCardData {
  topicId: string;
  questionId: string;
  title: string;
  answer: string;
  steps: { number: number; text: string }[];
  notes: string[];
  videos: Link[];
  links: Link[];
  source: string;
  /** A one-line notice of an ongoing outage, shown on top. */
  banner?: string | null;
  feedback?: 'helpful' | 'not-helpful' | null;
}

export interface ChoicesCardData {
  questionId: string;
  choices: { id: string; title: string }[];
  /** Title of the topic the user chose; the card then shows the choice instead of buttons. */
  chosen?: string | null;
}

export interface NoAnswerCardData {
  questionId: string;
  reason: string;
  support: SupportContact;
  /** Offers "Skapa ärende" once tickets exist. */
  ticketsEnabled: boolean;
  banner?: string | null;
  /** For general IT: the user's own IT support, shown instead of webSesam's. */
  itSupport?: { heading: string; text: string } | null;
  /** A line saying how to open a webSesam ticket anyway, when the card offers no button. */
  ticketHint?: string | null;
}

export interface WelcomeCardData {
  examples: string[];
}

export interface HelpCardData {
  categories: { name: string }[];
}

export interface CategoryCardData {
  category: string;
  topics: { id: string; title: string }[];
}
