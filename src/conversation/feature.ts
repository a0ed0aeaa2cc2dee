import answerJson from '../cards/templates/answer.json' with { type: 'json' };
import categoryJson from '../cards/templates/category.json' with { type: 'json' };
import choicesJson from '../cards/templates/choices.json' with { type: 'json' };
import helpJson from '../cards/templates/help.json' with { type: 'json' };
import noAnswerJson from '../cards/templates/no-answer.json' with { type: 'json' };
import welcomeJson from '../cards/templates/welcome.json' with { type: 'json' };
import type { Feature } from '../features/feature.js';
import type { Conversation } from './conversation.js';

/** The answer cards, by template name. */
export const answerTemplates = {
  answer: answerJson,
  choices: choicesJson,
  'no-answer': noAnswerJson,
  welcome: welcomeJson,
  help: helpJson,
  category: categoryJson,
};

/** Answers from the knowledge base: their cards and what their buttons do. */
export const answersFeature = (conversation: Conversation): Feature => ({
  name: 'answers',
  verbs: conversation.verbs,
  templates: answerTemplates,
});
