import type { TeachProblem } from './teaching.js';

/** What staff read about teaching the bot and reloading the knowledge base. */
export const teachTexts = {
  outOfScopeChoice: 'Utanför webSesam',
  outOfScopeReason:
    'Det ligger utanför det jag kan hjälpa till med. Jag svarar på frågor om hur webSesam fungerar.',
  problem: {
    empty: 'Skriv frågan som boten ska lära sig.',
    'too-long': 'Frågan är för lång (högst 2000 tecken). Korta den till själva frågan.',
    'no-words': 'Frågan har inga ord som boten kan lära sig av. Skriv den med fler ord.',
    'unknown-topic': 'Det ämnet finns inte i kunskapsbasen. Välj ett ämne i listan.',
  } satisfies Record<TeachProblem, string>,
  notStaff: 'Bara supportpersonalen kan lära boten.',
  notFound: 'Den inlärda frågan finns inte.',
  ticketGone: 'Ärendet finns inte längre.',
  taught: (question: string, topic: string, by: string) =>
    `${by} lärde boten: "${question}" får nu svaret "${topic}".`,
  taughtOutOfScope: (question: string, by: string) =>
    `${by} lärde boten: "${question}" gäller inte webSesam, boten svarar inte på den.`,
  replaced: (topic: string) => `Tidigare fick frågan "${topic}". Det finns kvar i historiken.`,
  reloadNotStaff: 'Bara supportpersonalen kan ladda om kunskapsbasen.',
  reloaded: (topics: number) => `Kunskapsbasen är omladdad: ${topics} ämnen.`,
  reloadFailed: (message: string) =>
    `Kunskapsbasen laddades inte om. Boten svarar som förut. ${message}`,
  watchFailed: (message: string) =>
    `En ändrad kunskapsfil kunde inte läsas. Boten svarar som förut tills filen är rättad. ${message}`,
};
