import type { Lexicon } from './lexicon.js';
import { isEnglish, words } from './text.js';
import type { TopicId } from './topic.js';

/**
 * Out of scope as a decision of its own, before any topic may win: a question that shares words
 * with a topic ("rullstol", "trasig", "beställning") but asks something webSesam does not answer.
 *
 * - about something outside webSesam: a thing that is no hjälpmedel (the staff room's
 *   dishwasher), general IT (the printer, Outlook), another authority (färdtjänst,
 *   Försäkringskassan, bostadsanpassning), another system (a journal system): the lexicon's
 *   concepts with `utanför`, unless the question also names something only webSesam has (a
 *   concept with `alltid: true` holds even then: the dishwasher, medicines, insurance);
 * - whether a patient may keep, have or take a hjälpmedel somewhere: the rules, not webSesam;
 * - advice on a product: which one suits a patient, its size, weight or price;
 * - one order's status, or a request that support act on one order: only support can see it.
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

// Folded text: å/ä/ö are a/a/o.
const HOW_TO =
  /\b(hur|how|var (gor|hittar|ser|finns|skriver|anmaler|rapporterar)|vart (vander|ska)|felrapport\w*|felanmal\w*|reklamer\w*|klag\w*|makuler\w*|avbestall\w*|vad gor jag|vad ska jag gora|kan man|kan (jag|vi) (avbryta|makulera|aendra|andra|ta bort|stoppa|avbestalla|lagga|skriva|gora|bestalla|soka|hitta|bifoga|koppla|reservera|felrapportera|anmala)|gar det att|steg for steg)\b/;
// One case asked about whatever process word the question also names ("varför blev min kundorder
// makulerad", "felrapporten jag skickade, har nån tittat på den"): only support can look.
const STRONG_STATUS = [
  /\b(varfor|why) (ar|is|blev|was|has|har) (min|mitt|mina|var|vart|vara|our|my|the) (\w+ )?(faktura\w*|invoice\w*|order\w*|kundorder\w*|arbetsorder\w*|hamtorder\w*|bestallning\w*)\b/,
  /\bhar (hmc|ni|de|dom) (borjat|hunnit) (plocka|skicka|leverera|hamta|titta|behandla)\b/,
  /\bhar (nan|nagon|ni|hmc|supporten) (tittat|kollat) pa (den|det|dem|dom|min|mitt|mina|ordern|arendet|felrapporten)\b/,
  /\bvar ar (han|hon|teknikern|chaufforen|tekniker|chauffor)\b/,
];
const STATUS = [
  // "När är telefonsupporten öppen?" asks for opening hours, not an order's status.
  /\bnar (kommer|kan|blir|far|levereras|hamtas|skickas)\b/,
  /\bnar ar (den|det|de|dom|min|mitt|mina|ordern|bestallningen|leveransen|arbetsordern|hamtordern|hjalpmedlet)\b/,
  /\bhar (hmc|ni|dom|de|hjalpmedelscentralen|supporten|teknikern)( \w+)? (fatt|tagit emot|sett|behandlat|skickat|registrerat|godkant|bokat|hamtat|levererat|lagat|svarat)\b/,
  /\bhinner (den|det|de|dom|ordern|bestallningen|leveransen|hjalpmedlet)\b/,
  /\bhar (den|det|ordern|bestallningen|\w*ordern|felrapporten|min \w+|mitt \w+)( \w+){0,3} gatt igenom\b/,
  /\bvad (sa|svarade) (hmc|supporten|ni|de|dom)\b/,
  /\bingen (har )?hort av sig\b/,
  /\b(can|could) you (please )?(move|change|check|transfer|send|fix|update|cancel|book|speed up)\b/,
  /\b(status|orderstatus|leveransstatus) (pa|for|av)\b/,
  /\b(ar|har) (min|mitt|mina|ordern|bestallningen|leveransen|arbetsordern|hamtningen) \w* ?(skickad|skickat|levererad|levererat|klar|klart|pa vag|godkand|mottagen|registrerad)\b/,
  /\bhur lang tid (tar|drojer)\b/,
  /\bhur manga (dagar|veckor|timmar) (tar|drojer)\b/,
  /\b(kommer|levereras|hamtas) (den|det|de|dom|hon|han|rullstolen|sangen|rollatorn) (idag|imorgon|i morgon|snart|i veckan|i dag)\b/,
  /\b(is it|is my order|is the order) on (its|the) way\b/,
  // "pls check if the work order is done": support is asked to look at one case.
  /\b(pls|plz|please|kindly) (check|confirm|look)\b/,
  /\bcheck (if|whether) (the|my|our|it|he|she)\b/,
  /\b(has|have) (it|they|the|my|our)( \w+){0,6} been (shipped|delivered|sent|picked up|collected|repaired|fixed)\b/,
  /\b(has|have) been (shipped|delivered|sent|picked up|collected)\b/,
  /\b(delivered|shipped|picked up|collected|fixed|repaired) yet\b/,
  /\bis (the|my|our|it) (\w+ ){0,5}(delivered|shipped|picked up|collected|repaired|fixed)\b/,
  /\bcan you tell me (if|whether|when)\b/,
  // One order by its number.
  /\b(min|mitt|order|ordern|kundorder|kundordern|arbetsorder|hamtorder|ordernummer|ordernr)( nr| nummer)? \d{5,}\b/,
  // "Vad händer med mitt konto" is no order: "min/mitt" only with an order's word after it.
  /\b(hur gar det med|vad hander med) ((min|mitt|mina) (\w*order\w*|bestallning\w*|leverans\w*|reparation\w*|lagning\w*|felrapport\w*)|ordern|bestallningen|leveransen|arbetsordern|hamtordern|reparationen|lagningen)\b/,
  /\b(any news|any update|what s happening) (on|with) (my|the|our)\b/,
  /\bhar (den|det|de|dom|ordern|bestallningen|leveransen|hjalpmedlet|arbetsordern|hamtordern)( \w+)? (levererats|skickats|hamtats|kommit|anlant|behandlats|registrerats|mottagits)\b/,
  /\b(levererats|skickats|hamtats|behandlats|kommit fram|gatt ivag|gatt igenom|levererad|skickad|hamtad|hamtat) (an|annu)\b/,
  /\bblivit (hamtad|hamtat|hamtade|levererad|levererat|levererade|skickad|skickat|behandlad|behandlat|godkand|godkant)\b/,
  /\b(vilken tid|vilken dag|vilket datum|what time|which day) (kommer|ska|blir|far|levereras|hamtas|will|is)\b/,
  /\bvar ar (min|mitt|mina|ordern|bestallningen|leveransen)\b/,
  /\bkan (ni|hmc|supporten|du) (andra|aendra|flytta|skicka|leverera|boka|hamta|kolla|se|titta|snabba pa|prioritera)\b/,
  /\b(blev|har) (min|mitt) \w+ (besvarad|besvarat|behandlad|behandlat|lost|atgardad)\b/,
  /\bvad (sa|svarade) (hmc|supporten|ni)\b/,
  /\b(where is my|where s my|when will (my|the|it)|when is my|has my|have you received|did you receive|is my order|status of)\b/,
];
// What suits a patient: advice whatever else the question says. "Bättre" only as a comparison
// ("pat har blivit bättre" is news, not a question of fit); the English cues only in an English
// message ("hur best man" is "hur beställer man").
const ADVICE_CUES =
  /\b(passar|passa|passande|lamplig\w*|bast|battre (for|till|an|lampad)|rekommend\w*|tycker (du|ni)|borde (hon|han|pat|patienten|brukaren) (fa|ha|byta|anvanda))\b/;
const ENGLISH_ADVICE_CUES =
  /\b(which|best|better (for|than|suited)|suitable|suits?|recommend\w*|should (the patient|she|he|they|my patient|we|i) (use|wear|have|get))\b/;
// A size, weight or price: advice, unless the question asks how to do something in webSesam
// ("hur beställer jag sitsbredd 45 cm"). The Swedish price words are held before this, by COST.
const MEASURE_CUES =
  /\b(storlek|storleken|vikt|vager|kg|kilo|cm|langd|bredd|sitthojd|debiter\w*|size|weighs?|price|cost|charged?)\b/;
// "Vilken storlek …": a choice of size, whether or not the product is named ("vilken modell det
// är" may be a look-up, so only the size).
const WHICH_SIZE = /\b(vilken|vilket|which|what) (storlek|size)\b/;
const COST =
  /\b(kostar|kosta|kostnaden|debiteras|debiterar|debitera|avgiften|hyran|pris|priset|billigare|dyrare|how much does|charged|cheaper|more expensive)\b/;
// Whether a patient may keep, have or take a hjälpmedel somewhere: the rules, not webSesam.
const ENTITLEMENT =
  /\b(far|fick|ska) (pat|patienten|brukaren|brukare|hon|han|kunden|mamma|pappa) (behalla|ha kvar|ha|lana|ta med( sig)?|anvanda)\b|\b(can|may) (the patient|she|he|my patient) (keep|have|borrow|take)\b|\bis (the patient|she|he) (allowed|entitled|eligible)\b|\b(have|has) the right to\b|\bhar (pat|patienten|brukaren|hon|han) ratt till\b|\bhur lange (far|kan) (en )?(pat|patienten|patient|brukaren|brukare|hon|han) (ha|behalla|lana|ha kvar)\b|\bkan (vi|jag) (fa )?lana (?!ut\b)/;
// How long or how often a device is charged, used or washed: the instructions for use, not webSesam.
const USE_OF_DEVICE =
  /\bhur (lange|ofta) (ska|bor|maste|kan|far) (\w+ ){0,4}(laddas|anvandas|tvattas|bytas|sta|sitta|ligga)\b|\bkan (pat|patienten|brukaren|hon|han|hen) (med \w+ )?(anvanda|ha|sitta i|sta i)\b/;
// Trouble in the thing outside webSesam ("kommer inte in i treserva", "vpn:en krånglar", "cosmic
// är nere"): the question is about it even when it also names webSesam.
const TROUBLE_BEFORE =
  /\b(in i|in pa|inne i|logga in i|loggar in i|inloggningen i|far inte upp|kan inte oppna|into|log in to|login to)$/;
const TROUBLE_AFTER = new RegExp(
  '^(en |n )?(hemifran |idag |fortfarande |just nu |helt )?' +
    '((ar|har varit|har legat|ligger|verkar vara|is|has been|seems) )?(nere|segt|seg|down|slow)\\b|' +
    '^(en |n )?(hemifran |idag |fortfarande |just nu |helt )?' +
    '((funkar|fungerar|gar|works?|is) (inte|not)|kraschar|kranglar|hanger sig|laddar inte|doesn t work|isn t working|keeps)\\b',
);
// Who may prescribe or order: the region's rules, not webSesam.
const WHO_MAY =
  /\b(far|kan|maste) (en |man )?(underskoterska|sjukskoterska|arbetsterapeut|fysioterapeut|ssk|usk|lakare|vikarie|student)\w* (forskriva|bestalla)\b|\bmaste (det|man) vara (en )?(arbetsterapeut|fysioterapeut|sjukskoterska|forskrivare)\b/;
const CHOICE = /\b(vilken|vilket|vilka|which|what)\b/;
const CHOICE_AFTER =
  /^(till|for|at|passar|ska|bor|behover|valja|valjer|ar bast|is best|for a|should)\b/;

/** Decides whether a (masked) question is out of scope whatever topic shares its words. */
export function scopeOf(question: string, lexicon: Lexicon): ScopeDecision | undefined {
  const ws = words(question);
  if (ws.length === 0) return undefined;
  const folded = ws.join(' ');
  const concepts = lexicon.annotate(ws);
  const all = concepts.flat();
  const anchored = all.some((c) => c.anchor);
  // "Hur går det med ordern?" asks how it is going, not how to do something.
  // "Hur mycket kostar …" asks a price, not how to do something.
  const howTo = HOW_TO.test(folded.replace(/\bhur (gar det (med|for)|mycket|manga|langt)\b/g, ''));

  const outside = all.find((c) => c.outside && c.always) ?? all.find((c) => c.outside);
  if (outside && (!anchored || outside.always))
    return { topicId: outside.outside!, why: 'outside' };
  const troubled = concepts.findIndex(
    (cs, i) =>
      cs.some((c) => c.outside) &&
      (TROUBLE_BEFORE.test(ws.slice(0, i).join(' ')) ||
        TROUBLE_AFTER.test(ws.slice(i + 1).join(' '))),
  );
  if (troubled >= 0)
    return { topicId: concepts[troubled].find((c) => c.outside)!.outside!, why: 'outside' };

  if (ENTITLEMENT.test(folded)) return { topicId: OTHER_TOPIC, why: 'outside' };
  if (USE_OF_DEVICE.test(folded)) return { topicId: ADVICE_TOPIC, why: 'advice' };
  if (!howTo && WHO_MAY.test(folded)) return { topicId: OTHER_TOPIC, why: 'outside' };
  // What something costs or is charged: the price list and the invoices' rules, not webSesam.
  if (!howTo && COST.test(folded)) return { topicId: OTHER_TOPIC, why: 'outside' };
  if (!anchored && !howTo && WHICH_SIZE.test(folded))
    return { topicId: ADVICE_TOPIC, why: 'advice' };

  // A kind of hjälpmedel named in the question, and where.
  const productAt = concepts.map((cs) =>
    cs.some((c) => lexicon.tokensOf(c).includes('#hjalpmedel')),
  );
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
    for (let i = 0; i < ws.length; i++) {
      if (!CHOICE.test(ws[i])) continue;
      for (let j = i + 1; j <= i + 3 && j < ws.length; j++)
        if (productAt[j] && CHOICE_AFTER.test(ws.slice(j + 1).join(' ')))
          return { topicId: ADVICE_TOPIC, why: 'advice' };
    }
  }

  if (STRONG_STATUS.some((re) => re.test(folded))) return { topicId: STATUS_TOPIC, why: 'status' };
  if (!howTo && STATUS.some((re) => re.test(folded)))
    return { topicId: STATUS_TOPIC, why: 'status' };
  return undefined;
}
