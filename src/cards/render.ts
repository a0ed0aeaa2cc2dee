import * as ACData from 'adaptivecards-templating';
import type { CardModels } from './models.js';

export type AdaptiveCard = Record<string, unknown> & { type: 'AdaptiveCard' };
export type CardName = keyof CardModels;

/** Expands a named template with its data model into an Adaptive Card. */
export type RenderCard = (name: CardName | string, data: object) => AdaptiveCard;

/**
 * A renderer over the features' templates (name → template JSON), each parsed once and expanded
 * per reply. An unknown name is a programming error.
 */
export function createCardRenderer(templates: Iterable<[string, object]>): RenderCard {
  const parsed = new Map<string, ACData.Template>();
  for (const [name, json] of templates) parsed.set(name, new ACData.Template(json));
  return (name, data) => {
    const template = parsed.get(name);
    if (!template) throw new Error(`No card template named ${name}`);
    return withSubmitFallback(template.expand({ $root: data }) as AdaptiveCard);
  };
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
