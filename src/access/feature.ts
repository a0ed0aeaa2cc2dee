import type { Feature } from '../features/feature.js';
import { accessTemplates } from './cards.js';
import type { setupAccess } from './setup.js';

type AccessSetup = Awaited<ReturnType<typeof setupAccess>>;
type AccessVerb = keyof AccessSetup['chat']['verbs'];

/** Access requests: their cards, what the buttons do, the chat commands. */
export function accessFeature(access: AccessSetup): Feature<AccessVerb> {
  const verbs = access.chat.verbs;
  return {
    name: 'access',
    verbs,
    templates: accessTemplates,
    handlers: [access.chat.handler],
    // Every access action in a personal chat keeps the person reachable (approval, notices).
    remembersChat: Object.keys(verbs) as AccessVerb[],
  };
}
