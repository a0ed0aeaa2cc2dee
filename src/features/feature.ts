import type { MessageHandler, VerbHandler } from '../conversation/replies.js';

/** What a feature's card actions do: each `noun.verb` a template sends, and its handler. */
export type VerbTable<V extends string = string> = Record<V, VerbHandler>;

/**
 * A feature as the composition root sees it: what its cards send and what answers them, its card
 * templates, its chat commands. `app.ts` lists the features in order; one loop registers them.
 * `V` is the feature's verb names, so that what it says of a verb is checked against its table.
 */
export interface Feature<V extends string = string> {
  name: string;
  /** Card verbs (`noun.verb`) and their handlers. */
  verbs: VerbTable<V>;
  /** Card templates by name (the JSON under `src/cards/templates/`). */
  templates: Record<string, object>;
  /** Chat and channel commands, asked in order before the knowledge base. */
  handlers?: MessageHandler[];
  /**
   * Verbs whose card action keeps the conversation it came from as a recipient (the Teams side
   * asks this), so that later steps reach that chat or channel. Each is one of `verbs`.
   */
  remembersChat?: readonly V[];
}

/** The features together: every verb and template once, and which feature owns a verb. */
export interface FeatureTable {
  features: readonly Feature[];
  verbs: ReadonlyMap<string, VerbHandler>;
  templates: ReadonlyMap<string, object>;
  featureOf(verb: string): Feature | undefined;
}

/** Builds the table; a verb or a template claimed twice is a programming error, found at start. */
export function createFeatureTable(features: readonly Feature[]): FeatureTable {
  const verbs = new Map<string, VerbHandler>();
  const owners = new Map<string, Feature>();
  const templates = new Map<string, object>();
  for (const feature of features) {
    for (const [verb, handler] of Object.entries(feature.verbs)) {
      const owner = owners.get(verb);
      if (owner)
        throw new Error(`Card verb ${verb} is claimed by ${owner.name} and ${feature.name}`);
      verbs.set(verb, handler);
      owners.set(verb, feature);
    }
    for (const [name, json] of Object.entries(feature.templates)) {
      if (templates.has(name)) throw new Error(`Card template ${name} is registered twice`);
      templates.set(name, json);
    }
    for (const verb of feature.remembersChat ?? [])
      if (!(verb in feature.verbs))
        throw new Error(`${feature.name} remembers the chat for ${verb}, which it does not handle`);
  }
  return {
    features,
    verbs,
    templates,
    featureOf: (verb) => owners.get(verb),
  };
}

/** For a Teams middleware: does a card action with this verb keep its conversation? */
export function remembersChat(feature: Feature): (verb: string) => boolean {
  const verbs = new Set(feature.remembersChat ?? []);
  return (verb) => verbs.has(verb);
}
