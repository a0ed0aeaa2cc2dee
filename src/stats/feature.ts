import callRegisterJson from '../cards/templates/call-register.json' with { type: 'json' };
import type { Feature } from '../features/feature.js';
import type { StatisticsSetup } from '../tab/setup.js';
import { callRegisterVerb } from './call-command.js';

/** Statistics: `samtal <kategori>` from staff, and its card's `call.register`. */
export const statisticsFeature = (stats: StatisticsSetup): Feature => ({
  name: 'statistics',
  verbs: { 'call.register': callRegisterVerb(stats.statistics) },
  templates: { 'call-register': callRegisterJson },
  handlers: [stats.handler],
});
