import type { Affected, NoticeKind } from './notice.js';

/** Every sentence of outage notices that is not in a card template or in knowledge/driftstorning/. */
export const outageTexts = {
  kindTitle: {
    planned: 'Planerat driftstopp i webSesam',
    unplanned: 'Driftstörning i webSesam',
  } satisfies Record<NoticeKind, string>,
  affected: {
    alla: 'Hela webSesam',
    inloggning: 'Inloggning (SITHS)',
    bestallning: 'Beställning',
    funktion: 'En funktion',
  } satisfies Record<Affected, string>,
  affectedFunction: (name: string) => `Funktionen ${name}`,
  when: (start: string, end: string) =>
    end ? `${start} – ${end}` : `Från ${start}, slut ännu inte känt`,
  statePlanned: 'Planerat',
  stateActive: 'Pågår nu',
  stateEnded: 'Driften är återställd.',
  banner: (title: string, affected: string, end: string) =>
    `${title} pågår: ${affected}.${end ? ` Beräknas klart ${end}.` : ''}`,
  reminder: (title: string, affected: string, when: string) =>
    `Påminnelse: ${title.charAt(0).toLowerCase()}${title.slice(1)} (${affected}), ${when}.`,
  ended: (affected: string) => `Driften är återställd: ${affected} fungerar igen.`,
  affectedThanks: 'Tack! Supporten ser att du också påverkas.',
  notStaff: 'Bara webSesam-supporten kan skicka driftmeddelanden.',
  formTitle: 'Nytt driftmeddelande',
  audience: (users: number, channels: number) =>
    `${users} användare och ${channels} ${channels === 1 ? 'kanal' : 'kanaler'}`,
  previewSentTitle: 'Skickat: så här ser användarna meddelandet',
  previewTitle: 'Förhandsgranskning: så här ser användarna meddelandet',
  sent: (n: number) =>
    `Driftmeddelandet är sparat och skickas nu till ${n} mottagare. Leveransrapporten uppdateras under tiden.`,
  alreadySent: 'Det här driftmeddelandet är redan skickat. Inget skickades igen.',
  alreadyEnded: 'Driftmeddelandet är redan avslutat.',
  unknownNotice: 'Driftmeddelandet finns inte.',
  updated: (end: string) => `Nytt beräknat slut: ${end}. Meddelandet ändras hos alla mottagare.`,
  endedByStaff: 'Avslutat. Alla mottagare får veta att driften är återställd.',
  channelRegistered: 'Kanalen får nu driftmeddelanden från webSesam-hjälpen.',
  channelAlreadyRegistered: 'Kanalen får redan driftmeddelanden.',
  channelOnly: 'Skriv kommandot i den kanal som ska få driftmeddelanden.',
  reportTitle: (title: string) => `Leveransrapport: ${title}`,
  eta: (seconds: number) =>
    seconds < 60 ? 'under en minut' : `cirka ${Math.ceil(seconds / 60)} min`,
  allDone: 'Alla utskick är klara.',
  errors: {
    kind: 'Välj planerat driftstopp eller oplanerad driftstörning.',
    affected: 'Välj vad som påverkas.',
    functionName: 'Skriv vilken funktion som påverkas.',
    emptyMessage: 'Skriv ett meddelande till användarna.',
    longMessage: 'Meddelandet får vara högst 1000 tecken.',
    start: 'Ange start med datum och tid.',
    end: 'Slutet är inte ett giltigt datum och en giltig tid.',
    plannedEnd: 'Ange beräknat slut för ett planerat driftstopp.',
    endBeforeStart: 'Slutet måste vara efter starten.',
    plannedInPast: 'Ett planerat driftstopp kan inte börja i det förflutna.',
    endInPast: 'Det nya slutet måste ligga framåt i tiden.',
  },
};
