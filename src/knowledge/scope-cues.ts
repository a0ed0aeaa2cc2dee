/**
 * The words and phrases that tell an out-of-scope question (see `scope.ts`), in folded text
 * (å/ä/ö are a/a/o): one order's status, advice on a product, a price, the rules, trouble in
 * something outside webSesam. Swedish first, then the English a half-English message uses.
 */

// Folded text: å/ä/ö are a/a/o.
export const HOW_TO =
  /\b(hur|how|var (i (ws|websesam|systemet) )?(gor|hittar|ser|finns|skriver|anmaler|rapporterar|kollar|letar|soker)|vart (vander|ska|ringer)|felrapport\w*|felanmal\w*|reklamer\w*|klag\w*|makuler\w*|avbestall\w*|avbryt\w*|vad gor jag|vad ska jag gora|kan man|kan (jag|vi) (sjalv |sjalva )?(avbryta|angra|makulera|aendra|andra|ta bort|stoppa|stryka|avbestalla|lagga|skriva|gora|bestalla|soka|hitta|bifoga|koppla|reservera|felrapportera|anmala)|gar det att|steg for steg|vilka steg|what steps|which steps|(can|could) (you|i|we|one) \w+( \w+){0,3} in (ws|websesam))\b/;
// One case asked about whatever process word the question also names ("varför blev min kundorder
// makulerad", "felrapporten jag skickade, har nån tittat på den"): only support can look.
export const STRONG_STATUS = [
  // "blev min felrapport besvarad? vad sa hmc": what support answered on one case.
  /\bvad (sa|svarade) (hmc|supporten|ni)\b/,
  // "när rullstolen jag beställde i tisdags kommer": when one order, placed already, arrives.
  /\bnar (\w+ ){0,8}(bestallde|bestalldes|forskrev|skickade|skrev|lade|la)( \w+){0,8} (kommer|levereras|hamtas|anlander)\b/,
  /\b(varfor|why) (ar|is|blev|was|has|har) (min|mitt|mina|var|vart|vara|our|my|the) (\w+ )?(faktura\w*|invoice\w*|order\w*|kundorder\w*|arbetsorder\w*|hamtorder\w*|bestallning\w*)\b/,
  /\bhar (hmc|ni|de|dom) (borjat|hunnit) (plocka|skicka|leverera|hamta|titta|behandla)\b/,
  /\bhar (ni|hmc|supporten) fatt (den|det|dem|dom|min|mitt|mina|felrapporten|ordern|bestallningen)\b/,
  /\bhar (hamtningen|leveransen|lagningen|reparationen|servicen)( \w+){0,6} (gjorts|skett|blivit av|genomforts|utforts)\b/,
  /\bhar (nan|nagon|ni|hmc|supporten)( pa hmc| dar| hos er)? (tittat|kollat) pa (den|det|dem|dom|min|mitt|mina|ordern|arendet|felrapporten)\b/,
  /\bvar ar (han|hon|teknikern|chaufforen|tekniker|chauffor)\b/,
  /\bkan (ni|hmc|supporten|du) (kolla|se|titta) (vad|om|nar|hur) (som )?(hander|det|den|ordern|felrapporten)\b/,
  /\bhar (teknikern|chaufforen|hmc|ni|de|dom) (varit|kommit)\b/,
  /\bar (han|hon|de|dom|teknikern|chaufforen) pa vag\b/,
  /\b(han|hon|de|dom|teknikern|chaufforen|leveransen|bilen) (ar|is|are) (pa vag|on (its|the|their) way)\b/,
  /\bvet (ni|du) (om|nar|var) (han|hon|teknikern|chaufforen|ordern|bestallningen|leveransen)\b/,
];
export const STATUS = [
  // "När är telefonsupporten öppen?" asks for opening hours, not an order's status.
  /\bnar (kommer|kan|blir|far|levereras|hamtas|skickas)\b/,
  /\bnar ar (den|det|de|dom|min|mitt|mina|ordern|bestallningen|leveransen|arbetsordern|hamtordern|hjalpmedlet)\b(?! (oppet|oppen|oppna|stangt))/,
  /\bhar (hmc|ni|dom|de|hjalpmedelscentralen|supporten|teknikern)( \w+)? (fatt|tagit emot|sett|behandlat|skickat|registrerat|godkant|bokat|hamtat|levererat|lagat|svarat)\b/,
  /\bhinner (den|det|de|dom|ordern|bestallningen|leveransen|hjalpmedlet)\b/,
  /\bhar (den|det|ordern|bestallningen|\w*ordern|felrapporten|min \w+|mitt \w+)( \w+){0,3} gatt igenom\b/,
  /\bvad (sa|svarade) (hmc|supporten|ni|de|dom)\b/,
  // "hämtade ni sängen igår som planerat?": whether support did something on one case.
  /\b(hamtade|levererade|lagade|skickade|servade) (ni|hmc)\b/,
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
  // "… check if the work order is done" asks support; "I want to check if she already got one" does not.
  /(?<!\b(to|i|we|can|will|ll) )\bcheck (if|whether) (the|my|our|it|he|she)\b/,
  /\b(has|have) (it|they|the|my|our)( \w+){0,6} been (shipped|delivered|sent|picked up|collected|repaired|fixed)\b/,
  /\b(has|have) been (shipped|delivered|sent|picked up|collected)\b/,
  /\b(has|have) (hmc|you|they|the driver|the technician) (picked up|collected|delivered|fixed|repaired|shipped|sent|received|looked at)\b/,
  /\bvet (ni|du) varfor (min|mitt|mina|ordern|bestallningen|leveransen)\b/,
  /\bvill veta nar (den|det|de|dom|ordern|leveransen|bestallningen|hjalpmedlet)\b/,
  // "… is ordered but not delivered yet" tells where things stand; "delivered yet?" asks it.
  /(?<!\bnot )\b(delivered|shipped|picked up|collected|fixed|repaired) yet\b/,
  /\bis (the|my|our|it) (\w+ ){0,5}(delivered|shipped|picked up|collected|repaired|fixed)\b/,
  /\b(can|could) you tell me (if|whether|when|the)\b/,
  /\b(lead time|delivery time)\b/,
  /\bis (the technician|the driver|he|she|someone) coming\b/,
  /\b(has|have) (the technician|the driver|hmc|someone|anyone) (already )?(been|come|visited)\b/,
  // One order by its number.
  /\b(min|mitt|order|ordern|kundorder|kundordern|arbetsorder|hamtorder|ordernummer|ordernr)( nr| nummer)? \d{5,}\b/,
  // "Vad händer med mitt konto" is no order: "min/mitt" only with an order's word after it.
  /\b(hur gar det med|vad hander med) ((min|mitt|mina) (\w*order\w*|bestallning\w*|leverans\w*|reparation\w*|lagning\w*|felrapport\w*)|ordern|bestallningen|leveransen|arbetsordern|hamtordern|reparationen|lagningen)\b/,
  /\b(any news|any update|what s happening) (on|with) (my|the|our)\b/,
  /\bhar (den|det|de|dom|ordern|bestallningen|leveransen|hjalpmedlet|arbetsordern|hamtordern)( \w+)? (levererats|skickats|hamtats|kommit|anlant|behandlats|registrerats|mottagits)\b/,
  /\b(levererats|skickats|hamtats|behandlats|kommit fram|gatt ivag|gatt igenom|levererad|skickad|hamtad|hamtat|bokad|inbokad|bokat) (an|annu)\b/,
  /\bblivit (hamtad|hamtat|hamtade|levererad|levererat|levererade|skickad|skickat|behandlad|behandlat|godkand|godkant|inbokad|inbokat|bokad|bokat)\b/,
  /\b(vilken tid|vilken dag|vilket datum|what time|which day) (kommer|ska|blir|far|levereras|hamtas|will|is)\b/,
  /\bvar ar (min|mitt|mina|ordern|bestallningen|leveransen)\b/,
  // Support asked to act on one order. Not "kan ni hämta den": that asks for a pick-up, which
  // the writer orders in webSesam.
  /\bkan (ni|hmc|supporten|du) (andra|aendra|flytta|skicka|leverera|boka|kolla|se|titta|snabba pa|prioritera)\b/,
  /\b(blev|har) (min|mitt) \w+ (besvarad|besvarat|behandlad|behandlat|lost|atgardad)\b/,
  /\b(where is my|where s my|when will (my|the|it)|when is my|has my|have you received|did you receive|is my order|status of)\b/,
];
// What suits a patient: advice whatever else the question says. "Bättre" only as a comparison
// ("pat har blivit bättre" is news, not a question of fit); the English cues only in an English
// message ("hur best man" is "hur beställer man").
export const ADVICE_CUES =
  /\b(hur (kor|manovrerar|styr) man|ar det (ok|okej|okay) att|is it (ok|okay) to|passar|passa|passande|lamplig\w*|bast|battre (for|till|an|lampad)|rekommend\w*|tycker (du|ni)|(borde|bor) (hon|han|pat|patienten|brukaren|vi) (fa|ha|byta|anvanda))\b/;
export const ENGLISH_ADVICE_CUES =
  /\b(which(?! (option|options|button|link|menu|tab|page|field|login|alternative|box|form|way|function|code))|best|better (for|than|suited)|suitable|suits?|recommend\w*|should (the patient|she|he|they|my patient|we|i) (use|wear|have|get))\b/;
// A size, weight or price: advice, unless the question asks how to do something in webSesam
// ("hur beställer jag sitsbredd 45 cm"). The Swedish price words are held before this, by COST.
export const MEASURE_CUES =
  /\b(storlek|storleken|vikt|vager|kg|kilo|cm|langd|bredd|sitthojd|debiter\w*|size|weighs?|price|cost|charged?)\b/;
// "Vilken storlek/sitsbredd …": a choice of size, whether or not the product is named ("vilken
// modell det är" may be a look-up, so only the measures).
export const WHICH_SIZE =
  /\b(vilken|vilket|which|what) (storlek|size|sitsbredd|sittbredd|sitthojd|sittdjup|bredd|hojd|langd|width|height|seat width|seat height)\b/;
export const COST =
  /\b(kostar|kosta|kostnaden|debiteras|debiterar|debitera|avgiften|egenavgift\w*|(?<!avsluta )hyran|pris|priset|priserna|billigare|dyrare|\w*kostnader|how much does|charged|cheaper|more expensive|monthly rent|rent for|monthly fee|hur mycket har (vi|var enhet|enheten|jag) (handlat|forskrivit|bestallt|kopt|hyrt))\b/;
// Whether a patient may keep, have or take a hjälpmedel somewhere: the rules, not webSesam.
export const ENTITLEMENT =
  /\b(har|hade) (pat|patienten|brukaren|hon|han) ratt att (behalla|ha kvar|ta med|fa|lana)\b|\b(far|fick|ska) (pat|patienten|brukaren|brukare|hon|han|kunden|mamma|pappa) (behalla|ha kvar|ha|lana|ta med( sig)?|anvanda)\b|\bom (pat|patienten|brukaren|hon|han) far (behalla|ha kvar|lana|ta med( sig)?)\b|\b(can|may) (the patient|she|he|my patient) (keep|have|borrow|take)\b|\bis (the patient|she|he) (allowed|entitled|eligible)\b|\b(have|has) the right to\b|\bhar (pat|patienten|brukaren|hon|han) ratt till\b|\bar (pat|patienten|brukaren|hon|han|hen) berattigad\b|\bhur lange (far|kan) (en )?(pat|patienten|patient|brukaren|brukare|hon|han) (ha|behalla|lana|ha kvar)\b|\bkan (vi|jag) (fa )?lana (?!ut\b)/;
// How long or how often a device is charged, used or washed: the instructions for use, not webSesam.
export const USE_OF_DEVICE =
  /\bhur (kor|manovrerar|styr) man\b|\bhur man (kor|manovrerar|styr)\b|\bhur (laddar|laddas) (man |jag )?(\w+ ){0,2}batteri\w*\b|\b(ska|bor|maste) (det|den|batteriet) laddas\b|\bhur (lange|ofta) (ska|bor|maste|kan|far) (\w+ ){0,4}(laddas|anvandas|tvattas|bytas|sta|sitta|ligga|vanda|vandas)\b|\bkan (en )?(pat|patienten|brukaren|hon|han|hen) (med (\w+ ){1,2})?(anvanda|ha|sitta i|sta i)\b/;
// Trouble in the thing outside webSesam ("kommer inte in i treserva", "vpn:en krånglar", "cosmic
// är nere"): the question is about it even when it also names webSesam.
export const TROUBLE_BEFORE =
  /\b((inte|ej|not|cant|cannot)( \w+){0,2} (in i|in pa|inne i|upp|oppna|at|into|in to)|(logga|loggar|loggade)( \w+)? in i|inloggningen i|log in to|login to)$/;
export const TROUBLE_AFTER =
  /^(en |n )?(hemifran |idag |fortfarande |just nu |helt )?(((ar|har varit|har legat|ligger|verkar vara|is|has been|seems) )?(nere|segt|seg|down|slow)|(funkar|fungerar|gar|works?|is) (inte|not)|kraschar|kranglar|hanger sig|laddar inte|loggar ut (mig|oss)|har pappersstopp|offline|skriver inte ut|doesn t work|isn t working|keeps)\b/;
// Who may prescribe or order: the region's rules, not webSesam.
export const WHO_MAY =
  /\b(far|kan|maste) (en |man )?(underskoterska|sjukskoterska|arbetsterapeut|fysioterapeut|ssk|usk|lakare|vikarie|student)\w* (forskriva|bestalla)\b|\bmaste (det|man) vara (en )?(arbetsterapeut|fysioterapeut|sjukskoterska|forskrivare)\b/;
// "Vilken madrass ska hon välja i varukatalogen": the writer asks which product, even while
// naming where webSesam shows them.
export const CHOOSE_PRODUCT =
  /\b(vilken|vilket|vilka) ((modell|sort|variant|produkt|fabrikat|typ av \w+) )?(ska|bor|borde) (jag|vi|man|hon|han|hen) (valja|forskriva)\b|\btips pa (modell|produkt|vilken)\b|\bwhich (one|model) should\b/;
export const CHOOSE_PRODUCT_NAMED =
  /^(\w+ )?(ska|bor|borde) (jag|vi|man|hon|han|hen) (valja|ta|forskriva)\b/;
// Which product suits best or is recommended: advice even beside a webSesam word ("… ska beställa i ws").
export const STRONG_ADVICE =
  /\b(passar (bast|battre)|(vilken|vilket|vilka) (\w+ )?passar|lamplig\w*|rekommender\w*|tycker (du|ni)|(ar|blir) det battre (med|utan|att)|(vilken|vilket|vilka) (\w+ )?ar bast|hellre (ha|valja|ta(?! bort))|is it better (with|without|to)|would suit|suits? (her|him|them|the patient) best|best suited|which (\w+ ){0,2}model (would|should|to))\b/;
// "Sidan kraschar … på båda datorerna": tried on other computers, so not the computer's fault.
export const OTHER_COMPUTERS =
  /\b(pa|med|fran|i) (bada|alla|flera|olika|andra|en annan|annan|kollegans|min kollegas) (datorer|datorerna|datorn|dator)\b/;
// "…, inte webSesam": the writer says it is not about webSesam; "inte ett hjälpmedel": nor a hjälpmedel.
export const NOT_WEBSESAM =
  /(^|,\s*|\bmen |\butan )(inte|not) (i |in )?(websesam|ws)\b|\binte (en )?fraga om (systemet|websesam)\b|\bnot about (the system|websesam)\b|\b(inte|not) (ett|nagot|nat|a|an) (hjalpmedel|assistive device)\b/;
// A sentence that turns to something else: "och förresten …", "sen har vi en fråga om …", "also, …".
export const ASIDE =
  /\b(forresten|for ovrigt|en annan sak|en annan fraga|sen har vi|by the way|btw|also|one more thing|another thing|redan anmalt|tar jag med)\b/;
export const CHOICE = /\b(vilken|vilket|vilka|which|what)\b/;
export const CHOICE_AFTER =
  /^(till|for|at|passar|ska|bor|behover|valja|valjer|ar bast|is best|for a|should)\b/;
