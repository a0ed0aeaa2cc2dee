/**
 * A message pasted from an e-mail ends with a closing and a signature ("Med vänlig hälsning /
 * Anna Andersson / Arbetsterapeut, Rehab Väst / 010-123 45 67", "Skickat från min iPhone"). The
 * signature names a title, a unit and a phone, none of them the question, and its words would
 * weigh like the question's ("iPhone" is general IT, "Arbetsterapeut" a word of several topics).
 */

const MAX_SIGNATURE_LINES = 8; // closing, name, title, unit, phones, "Skickat från"
// A line that closes a letter; what follows it is the signature.
const CLOSING =
  /^(med )?(vänlig(a)?|vänliga|bästa|många) hälsning(ar)?\b|^hälsningar\b|^hälsning\b|^mvh\b|^vh\b|^(best|kind|warm) regards\b|^regards\b|^br\b|^cheers\b|^thanks\b[,!.]*$|^thank you\b[,!.]*$|^tack (på förhand|igen|så mycket)?[,!.]*$/i;
// A line that is only the writer's name ("/Lina", "// Anna").
const NAME_ONLY = /^\/+\s*\p{L}+(\s+\p{L}+)?\s*$/u;
// The phone's own signature.
const SENT_FROM = /^(skickat från|sent from) min(a)? |^(skickat från|sent from) my /i;

/** The message without its closing, signature and "Skickat från min iPhone". */
export function withoutSignature(message: string): string {
  const lines = message.split(/\r?\n/);
  if (lines.length < 2) return message;
  let end = lines.length;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i].trim();
    const closes = CLOSING.test(line) || NAME_ONLY.test(line) || SENT_FROM.test(line);
    // A signature is short and asks nothing: "Tack!" before the question is no closing.
    const rest = lines.slice(i);
    if (closes && rest.length <= MAX_SIGNATURE_LINES && !rest.some((l) => l.includes('?'))) {
      end = i;
      break;
    }
  }
  const kept = lines.slice(0, end).join('\n').trim();
  return kept.length > 0 ? kept : message;
}
