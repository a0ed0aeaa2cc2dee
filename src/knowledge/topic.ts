/** A topic of the knowledge base: one file under `knowledge/`. */
export interface Topic {
  id: string;
  title: string;
  category: string;
  source: string;
  /** `answer`: answered from the file; `out-of-scope`: recognised, answered with the way to support. */
  kind: 'answer' | 'out-of-scope';
  /** For out-of-scope topics: the sentence that says why the bot cannot help. */
  reason?: string;
  /** For out-of-scope topics: where to send the user instead of webSesam support. */
  refer?: 'it-support';
  videos: Link[];
  links: Link[];
  keywords: string[];
  phrases: string[];
  /**
   * Concepts of the lexicon of which a question names at least one when it is about this topic
   * ("reklamera", "uteblev" for a fault report): without any, the topic ranks lower.
   */
  requires?: string[];
  /** The short answer, Markdown. */
  answer: string;
  /** Numbered steps, Markdown each. */
  steps: string[];
  /** "Bra att veta" bullets, Markdown each. */
  notes: string[];
  /** The file it was read from, for error messages. */
  file: string;
}

export interface Link {
  title: string;
  url: string;
}

export type TopicId = string;
