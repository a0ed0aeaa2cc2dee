import type { Feature } from '../features/feature.js';
import type { KnowledgeSetup } from './setup.js';

/** The live knowledge base: `ladda om kunskap`, and staff teaching a phrase from a ticket card. */
export const knowledgeFeature = (live: KnowledgeSetup): Feature => ({
  name: 'knowledge',
  verbs: live.verbs,
  templates: {},
  handlers: [live.handler],
});
