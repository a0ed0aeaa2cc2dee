import { card, text, type MessageHandler, type VerbHandler } from '../conversation/replies.js';
import { NotStaffError, UnknownCategoryError, type Statistics } from './statistics.js';
import { statsTexts } from './texts.js';

// "samtal", "samtal hämtorder", "Samtal: Beställning"
const CALL_COMMAND = /^\s*samtal\b[\s:]*(.*)$/i;

export interface CallCardData {
  title: string;
  intro: string;
  categories: { name: string }[];
}

function chooseCard(statistics: Statistics, intro: string) {
  const data: CallCardData = {
    title: statsTexts.callChooseTitle,
    intro,
    categories: statistics.callCategories().map((name) => ({ name })),
  };
  return card('call-register', data);
}

/**
 * `samtal <kategori>` from support staff registers a phone call. From anyone else it is not a
 * command: the text goes on to the knowledge base like any question.
 */
export function callCommand(statistics: Statistics): MessageHandler {
  return async (requester, question) => {
    const m = CALL_COMMAND.exec(question);
    if (!m || !statistics.isStaff(requester.userId)) return undefined;
    const given = m[1].trim();
    if (!given) return [chooseCard(statistics, statsTexts.callChooseIntro)];
    try {
      const r = await statistics.registerCall(requester.userId, given, 'command');
      return [text(statsTexts.callRegistered(r.entry.category, r.quarterLabel, r.countInQuarter))];
    } catch (e) {
      if (e instanceof UnknownCategoryError)
        return [chooseCard(statistics, statsTexts.callUnknownCategory(given))];
      throw e;
    }
  };
}

/** The card's buttons: `call.register` with the category; who clicked decides, not the card. */
export function callRegisterVerb(statistics: Statistics): VerbHandler {
  return async (requester, data) => {
    const category = typeof data.category === 'string' ? data.category.slice(0, 100) : '';
    try {
      const r = await statistics.registerCall(requester.userId, category, 'card');
      const done = text(
        statsTexts.callRegistered(r.entry.category, r.quarterLabel, r.countInQuarter),
      );
      return { replies: [], updatedCard: done };
    } catch (e) {
      if (e instanceof NotStaffError) return { replies: [text(statsTexts.callNotStaff)] };
      if (e instanceof UnknownCategoryError)
        return { replies: [chooseCard(statistics, statsTexts.callUnknownCategory(category))] };
      throw e;
    }
  };
}
