import type { Feature } from '../features/feature.js';
import { outageTemplates } from './cards.js';
import type { Outages } from './outages.js';

type OutageVerb = keyof Outages['verbs'];

/** Outage notices: the staff's form and report, the notice itself, `driftstörning` in chat. */
export const outagesFeature = (outages: Outages): Feature<OutageVerb> => ({
  name: 'outages',
  verbs: outages.verbs,
  templates: outageTemplates,
  handlers: [outages.handler],
  // A notice sent from a channel: the channel is kept so the report card can be posted there.
  remembersChat: ['outage.send'],
});
