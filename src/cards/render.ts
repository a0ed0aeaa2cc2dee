import * as ACData from 'adaptivecards-templating';
import answerJson from './templates/answer.json' with { type: 'json' };
import categoryJson from './templates/category.json' with { type: 'json' };
import choicesJson from './templates/choices.json' with { type: 'json' };
import helpJson from './templates/help.json' with { type: 'json' };
import noAnswerJson from './templates/no-answer.json' with { type: 'json' };
import welcomeJson from './templates/welcome.json' with { type: 'json' };
import type { CardModels } from './models.js';

export type AdaptiveCard = Record<string, unknown> & { type: 'AdaptiveCard' };
export type CardName = keyof CardModels;

// Parsed once, expanded per reply.
const templates = new Map<string, ACData.Template>();

/** Registers a template under a name; feature modules add their own cards this way. */
export function registerTemplate(name: string, json: object): void {
  templates.set(name, new ACData.Template(json));
}

registerTemplate('answer', answerJson);
registerTemplate('choices', choicesJson);
registerTemplate('no-answer', noAnswerJson);
registerTemplate('welcome', welcomeJson);
registerTemplate('help', helpJson);
registerTemplate('category', categoryJson);

/** Expands a named template with its data model into an Adaptive Card. */
export function renderCard<N extends CardName>(name: N, data: CardModels[N]): AdaptiveCard;
export function renderCard(name: string, data: object): AdaptiveCard;
export function renderCard(name: string, data: object): AdaptiveCard {
  const template = templates.get(name);
  if (!template) throw new Error(`No card template named ${name}`);
  return withSubmitFallback(template.expand({ $root: data }) as AdaptiveCard);
}

/**
 * Universal Actions (Action.Execute) need a recent Teams client; older clients fall back to an
 * Action.Submit that carries the same verb and data, and the bot treats both alike.
 */
function withSubmitFallback(card: AdaptiveCard): AdaptiveCard {
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (n.type === 'Action.Execute' && !n.fallback) {
      n.fallback = {
        type: 'Action.Submit',
        title: n.title,
        data: { ...(n.data as object), verb: n.verb },
      };
    }
    // A card's refresh action is run by the client itself, never shown: it needs no fallback.
    for (const [key, value] of Object.entries(n)) if (key !== 'refresh') visit(value);
  };
  visit(card);
  return card;
}

/**
 * Text from a user shown on a card is plain text: Markdown and HTML characters are escaped so that
 * what someone typed can never become a link, a heading or formatting.
 */
export function plainCardText(text: string): string {
  return text.replace(/([\\`*_{}\[\]()#+\-.!|>~<&])/g, '\\$1');
}
