import type { Lexicon } from './lexicon.js';
import {
  HOW_TO,
  STRONG_STATUS,
  STATUS,
  ADVICE_CUES,
  ENGLISH_ADVICE_CUES,
  MEASURE_CUES,
  WHICH_SIZE,
  COST,
  ENTITLEMENT,
  USE_OF_DEVICE,
  TROUBLE_BEFORE,
  TROUBLE_AFTER,
  WHO_MAY,
  CHOICE,
  CHOICE_AFTER,
  CHOOSE_PRODUCT,
  CHOOSE_PRODUCT_NAMED,
  OTHER_COMPUTERS,
  NOT_WEBSESAM,
  ASIDE,
  STRONG_ADVICE,
} from './scope-cues.js';
import { asks, sentences } from './message.js';
import { fold, isEnglish, words } from './text.js';
import type { TopicId } from './topic.js';

/**
 * Out of scope as a decision of its own, before any topic may win: a question that shares words
 * with a topic ("rullstol", "trasig", "beställning") but asks something webSesam does not answer.
 *
 * - about something outside webSesam: a thing that is no hjälpmedel (the staff room's
 *   dishwasher), general IT (the printer, Outlook), another authority (färdtjänst,
 *   Försäkringskassan, bostadsanpassning), another system (a journal system): the lexicon's
 *   concepts with `utanför`, unless the question also names something only webSesam has (a
 *   concept with `alltid: true` holds even then: the dishwasher, medicines, insurance), or the
 *   outside thing is the one in trouble ("kommer inte in i treserva", "vpn:en krånglar");
 * - whether a patient may keep, have or take a hjälpmedel somewhere, who may prescribe: the
 *   rules, not webSesam;
 * - advice on a product: which one suits a patient, its size, weight or price, how long to use
 *   or charge it;
 * - one order's status, or a request that support act on one order: only support can see it.
 *
 * The cue phrases are in `scope-cues.ts`.
 *
 * The answer is the out-of-scope topic whose card says why.
 */

export interface ScopeDecision {
  topicId: TopicId;
  why: 'outside' | 'advice' | 'status';
}

export const ADVICE_TOPIC = 'utanfor-medicinskt';
export const STATUS_TOPIC = 'utanfor-orderstatus';
export const OTHER_TOPIC = 'utanfor-ovrigt';
const IT_TOPIC = 'utanfor-it';
const PRODUCT_TOKEN = '#hjalpmedel';
const LOGIN_CONCEPT = 'logga in';
const DIAGNOSIS_CONCEPT = 'medicinskt';
// Choices the writer makes in webSesam: how to log in, a work order's "hämtas eller utföres".
const WEBSESAM_CHOICES = new Set([LOGIN_CONCEPT, 'hämtas eller utföres']);
const PROCESS_CONCEPTS = new Set([
  'beställa',
  'hämta',
  'retur',
  'reparera',
  'reklamera',
  'makulera',
]);

/**
 * A message that asks how to do something in webSesam and then turns to something else ("var
 * skriver jag hämtorder? och förresten, är det ni som har bostadsanpassning") asks the webSesam
 * question first: an aside of its own, marked as one, does not hold it.
 */
export function scopeOfMessage(message: string, lexicon: Lexicon): ScopeDecision | undefined {
  const whole = scopeOf(message, lexicon);
  if (!whole) return undefined;
  const parts = sentences(message);
  if (parts.length < 2) return whole;
  const held = parts.map((part) => scopeOf(part, lexicon));
  const asides = parts.map((part) => ASIDE.test(fold(part)));
  // The sentences that are out of scope on their own are all marked asides …
  if (!held.some(Boolean) || held.some((h, i) => h && !asides[i])) return whole;
  // … and another sentence asks how to do something in webSesam.
  const asksInWebSesam = parts.some((part, i) => {
    if (held[i] || asides[i]) return false;
    const ws = words(part);
    if (!HOW_TO.test(ws.join(' ')) && !asks(part)) return false;
    // It names something of webSesam's: a process, a page, a thing done there (no mere product).
    return lexicon
      .read(ws)
      .concepts.flat()
      .some((c) => c.anchor || (!c.outside && !lexicon.tokensOf(c).includes(PRODUCT_TOKEN)));
  });
  return asksInWebSesam ? undefined : whole;
}

/** Decides whether a (masked) question is out of scope whatever topic shares its words. */
export function scopeOf(question: string, lexicon: Lexicon): ScopeDecision | undefined {
  const ws = words(question);
  if (ws.length === 0) return undefined;
  const folded = ws.join(' ');
  const whole = lexicon.read(ws);
  const concepts = whole.concepts;
  const all = concepts.flat();
  const anchored = all.some((c) => c.anchor);
  // "Hur går det med ordern?" asks how it is going, not how to do something.
  // "Hur mycket kostar …" asks a price, not how to do something.
  const howTo = HOW_TO.test(
    folded.replace(/\b(hur (gar det (med|for)|mycket|manga|langt)|how (much|many))\b/g, ''),
  );

  // Read with its commas: "…, inte webSesam".
  if (NOT_WEBSESAM.test(fold(question))) return { topicId: OTHER_TOPIC, why: 'outside' };

  // Something outside webSesam named only in an aside is a detail, not the question ("ett
  // måttblad (scannat på skrivaren i rum 118), hur bifogar man en fil?").
  const withoutAsides = question.replace(/\([^()]*\)/g, ' ');
  const mainWords = withoutAsides === question ? ws : words(withoutAsides);
  // Nor is it the question when it ends a phrase about webSesam ("startat om datorn" is the
  // outage routine's step, not a question about the computer).
  const read = mainWords === ws ? whole : lexicon.read(mainWords);
  const mainConcepts = read.concepts.map((cs, i) =>
    read.formEnds[i].some((c) => !c.outside)
      ? cs.filter((c) => !c.outside || read.formEnds[i].includes(c))
      : cs,
  );
  const always = mainConcepts.flat().find((c) => c.outside && c.always);
  if (always) return { topicId: always.outside!, why: 'outside' };
  // The outside thing in trouble ("kommer inte in i treserva", "vpn:en krånglar"), even beside a
  // word only webSesam has.
  const troubled = mainConcepts.findIndex(
    (cs, i) =>
      cs.some((c) => c.outside) &&
      (TROUBLE_BEFORE.test(mainWords.slice(0, i).join(' ')) ||
        TROUBLE_AFTER.test(mainWords.slice(i + 1).join(' '))),
  );
  if (troubled >= 0)
    return { topicId: mainConcepts[troubled].find((c) => c.outside)!.outside!, why: 'outside' };
  // Otherwise it counts unless the question also names something only webSesam has. A login
  // question that names the computer it sits at ("kortet sitter i datorn men …") is the guide's
  // login, unless the computer itself is in trouble (held above).
  const login = all.some((c) => c.name === LOGIN_CONCEPT);
  // Nor when the writer tried other computers: then the fault is not the computer's.
  const notTheComputer = OTHER_COMPUTERS.test(folded);
  // A diagnosis told as the background of a how-to ("pat har fått stroke … hur beställer jag") is
  // the story, not a clinical question.
  const process = howTo && all.some((c) => PROCESS_CONCEPTS.has(c.name));
  const outside = anchored
    ? undefined
    : mainConcepts
        .flatMap((cs, i) =>
          cs.filter(
            (c) =>
              !(
                (login || notTheComputer) &&
                c.outside === IT_TOPIC &&
                !read.formEnds[i].includes(c)
              ) && !(process && c.name === DIAGNOSIS_CONCEPT),
          ),
        )
        .find((c) => c.outside);
  if (outside) return { topicId: outside.outside!, why: 'outside' };

  if (ENTITLEMENT.test(folded)) return { topicId: OTHER_TOPIC, why: 'outside' };
  if (USE_OF_DEVICE.test(folded)) return { topicId: ADVICE_TOPIC, why: 'advice' };
  if (!howTo && WHO_MAY.test(folded)) return { topicId: OTHER_TOPIC, why: 'outside' };
  // What something costs or is charged: the price list and the invoices' rules, not webSesam.
  if (!howTo && COST.test(folded)) return { topicId: OTHER_TOPIC, why: 'outside' };
  if (!anchored && !howTo && WHICH_SIZE.test(folded))
    return { topicId: ADVICE_TOPIC, why: 'advice' };

  // A kind of hjälpmedel named in the question, and where.
  const productAt = concepts.map((cs) =>
    cs.some((c) => lexicon.tokensOf(c).includes(PRODUCT_TOKEN)),
  );
  // "Vilken rullstol till …": a choice word, a product within `reach` words, then what follows.
  const namesChoiceOfProduct = (after: RegExp, reach: number) =>
    ws.some(
      (w, i) =>
        CHOICE.test(w) &&
        Array.from({ length: reach }, (_, d) => i + 1 + d).some(
          (j) => productAt[j] && after.test(ws.slice(j + 1).join(' ')),
        ),
    );
  // "Vilken madrass ska hon välja (i varukatalogen)": which product, even where webSesam shows them.
  // "Ska jag välja stålift eller taklyft": one product or another.
  const choosesProduct =
    ws.some((w, i) => w === 'valja' && productAt[i + 1] && ws[i + 2] === 'eller') ||
    namesChoiceOfProduct(CHOOSE_PRODUCT_NAMED, 2);
  // "Vilket ska jag välja?" beside a login or a work order's "hämtas eller utföres" asks which
  // choice to make in webSesam, not which product.
  const choiceInWebSesam = all.some((c) => WEBSESAM_CHOICES.has(c.name));
  if (
    productAt.some(Boolean) &&
    (choosesProduct ||
      (!choiceInWebSesam && CHOOSE_PRODUCT.test(folded)) ||
      STRONG_ADVICE.test(folded))
  )
    return { topicId: ADVICE_TOPIC, why: 'advice' };
  if (productAt.some(Boolean) && !anchored) {
    const cue =
      ADVICE_CUES.exec(folded) ??
      (isEnglish(ws) ? ENGLISH_ADVICE_CUES.exec(folded) : null) ??
      (howTo ? null : MEASURE_CUES.exec(folded));
    // "fel storlek" is a wrong delivery, not a question of size.
    const wrongDelivery = cue && /\bfel\s*$/.test(folded.slice(0, cue.index));
    // "var söker man bäst": the best way to do something in webSesam, not the best product.
    const bestWay =
      cue?.[0] === 'bast' && /\b(var|vart|hur)( \w+){0,2}\s*$/.test(folded.slice(0, cue.index));
    if (cue && !wrongDelivery && !bestWay) return { topicId: ADVICE_TOPIC, why: 'advice' };
    // "vilken rullstol till en patient som …": which product, for whom.
    if (namesChoiceOfProduct(CHOICE_AFTER, 3)) return { topicId: ADVICE_TOPIC, why: 'advice' };
    // "duschstol eller duschpall, pat med dålig balans?": one product or another.
    if (!howTo && productAt.some((p, i) => p && ws[i + 1] === 'eller' && productAt[i + 2]))
      return { topicId: ADVICE_TOPIC, why: 'advice' };
  }

  if (STRONG_STATUS.some((re) => re.test(folded))) return { topicId: STATUS_TOPIC, why: 'status' };
  if (!howTo && STATUS.some((re) => re.test(folded)))
    return { topicId: STATUS_TOPIC, why: 'status' };
  return undefined;
}
