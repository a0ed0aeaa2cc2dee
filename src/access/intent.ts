import { words } from '../knowledge/text.js';
import type { AccessKind } from './request.js';

/**
 * Recognises a plain request to apply ("jag behöver behörighet", "ny användare i websesam",
 * "ändra behörighet", "ta bort behörighet för en som slutat") and "mina ansökningar".
 *
 * Every word must be part of the request or filler: a question ("hur ansöker jag om
 * behörighet?", "vem godkänner behörigheten?") stays with the knowledge base, which explains the
 * routine; a request gets the form.
 */

const THING = new Set([
  'behorighet',
  'behorigheten',
  'behorigheter',
  'behorighetsansokan',
  'konto',
  'kontot',
  'anvandare',
  'anvandaren',
  'atkomst',
  'inloggning',
]);
const NEW = new Set(['ny', 'nytt', 'nya', 'nyanstalld', 'skapa', 'lagga', 'upp']);
// "ändra" keeps its accent apart from "andra" (text.ts): both spellings.
const CHANGE = new Set([
  'andra',
  'aendra',
  'aendring',
  'aendrad',
  'aendrar',
  'utoka',
  'byta',
  'byte',
]);
const END = new Set(['avsluta', 'avslut', 'slutat', 'slutar', 'bort', 'ta', 'stanga', 'radera']);
const APPLY = new Set(['behover', 'ansoka', 'ansokan', 'soka', 'vill', 'fa', 'ha', 'bestalla']);
const FILLER = new Set([
  'jag',
  'vi',
  'en',
  'ett',
  'for',
  'som',
  'i',
  'till',
  'pa',
  'om',
  'av',
  'min',
  'mitt',
  'mina',
  'hen',
  'han',
  'hon',
  'har',
  'kan',
  'att',
  'med',
  'hej',
  'tack',
  'snalla',
  'garna',
  'websesam',
  'kollega',
  'kollegan',
  'medarbetare',
  'medarbetaren',
  'anstalld',
  'person',
  'personal',
  'nu',
  'och',
  'gora',
  'in',
]);

export function asksForAccess(text: string): { kind: AccessKind | '' } | undefined {
  const ws = words(text);
  if (!ws.length || ws.length > 12) return undefined;
  let thing = false;
  let kind: AccessKind | '' = '';
  let wants = false;
  for (const w of ws) {
    if (THING.has(w)) thing = true;
    else if (END.has(w)) kind = 'avslut';
    else if (CHANGE.has(w)) kind = kind || 'andring';
    else if (NEW.has(w)) kind = kind || 'ny';
    else if (APPLY.has(w)) wants = true;
    else if (!FILLER.has(w)) return undefined;
  }
  return thing && (wants || kind) ? { kind } : undefined;
}

export const asksForMyRequests = (text: string) => {
  const ws = words(text);
  return (
    ws.length === 2 &&
    ws[0] === 'mina' &&
    ['ansokningar', 'ansokan', 'behorighetsansokningar', 'behorigheter'].includes(ws[1])
  );
};
