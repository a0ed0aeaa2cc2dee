import type { TicketEvent, TicketStatus, Urgency } from './ticket.js';

/** Every sentence about tickets that a user or staff member reads outside the card templates. */
export const ticketTexts = {
  status: {
    open: 'Öppet',
    taken: 'Handläggs',
    resolved: 'Löst, väntar på användarens svar',
    closed: 'Avslutat',
  } satisfies Record<TicketStatus, string>,
  reopenedStatus: 'Återöppnat',
  urgency: {
    normal: 'Normal',
    urgent: 'Akut: jag kan inte arbeta',
  } satisfies Record<Urgency, string>,
  noCategory: 'Inget ämne',
  botAnswerNone: 'Inget svar: boten hittade inget i webSesam-guiden.',
  botAnswerAsked: 'Ingen fråga till boten: användaren bad om ett ärende.',
  botAnswerTopic: (title: string) => `Svarade med ämnet "${title}", men det hjälpte inte.`,
  level: (n: number, name: string) => `Nivå ${n}: ${name}`,

  event(e: TicketEvent, levelName: (n: number) => string): string {
    switch (e.kind) {
      case 'opened':
        return 'Skapade ärendet';
      case 'posted':
        return 'Lade ärendet i supportkanalen';
      case 'taken':
        return 'Tog ärendet';
      case 'answered':
        return `Svarade användaren: ${e.text ?? ''}`;
      case 'escalated':
        return `Eskalerade till ${ticketTexts.level(e.level ?? 0, levelName(e.level ?? 0))}: ${e.text ?? ''}`;
      case 'assigned':
        return `Tilldelade ärendet till ${e.to?.name ?? ''}`;
      case 'resolved':
        return `Löste ärendet: ${e.text ?? ''}`;
      case 'reopened':
        return e.byRequester
          ? 'Svarade att problemet inte är löst: ärendet öppnades igen'
          : 'Öppnade ärendet igen';
      case 'confirmed':
        return 'Bekräftade att problemet är löst';
    }
  },

  // To the user, in the personal chat.
  userTaken: (n: number, who: string, level: string) =>
    `${who} (${level}) har tagit ditt ärende ${n} och tittar på det.`,
  userAnswer: (n: number, who: string, text: string) =>
    `Svar på ditt ärende ${n} från ${who}:\n\n${text}`,
  userEscalated: (n: number, notice: string, answersReturn: string) =>
    `Nytt om ditt ärende ${n}: ${notice} ${answersReturn}`,
  userAssigned: (n: number, who: string) => `Ditt ärende ${n} handläggs nu av ${who}.`,
  userReopened: (n: number) => `Ditt ärende ${n} har öppnats igen av supporten.`,
  userResolvedHeading: (n: number) => `Ditt ärende ${n} är löst`,
  solvedQuestion: 'Löste det ditt problem?',
  solvedThanks: 'Tack! Ärendet är avslutat.',
  notSolvedThanks: 'Tack för att du sa till. Ärendet är öppnat igen och supporten tittar på det.',

  // In the support channel.
  takeButton: 'Ta ärendet',
  takeOverButton: 'Ta över ärendet',
  threadReopenedByUser: (n: number, who: string) =>
    `${who} svarade att lösningen inte hjälpte. Ärende ${n} är öppnat igen.`,
  threadConfirmed: (n: number, who: string) => `${who} bekräftade att ärende ${n} är löst.`,
  reminder: (n: number, hours: number) =>
    `Påminnelse: ärende ${n} har inte rörts på ${hours} ${hours === 1 ? 'supporttimme' : 'supporttimmar'}. Kan någon ta det?`,
  channelRegistered: 'Klart! Nya webSesam-ärenden läggs i den här kanalen, ett ärende per tråd.',
  channelRegisteredNamed: (name: string) =>
    `Klart! Den här kanalen tar emot ärenden som styrs till "${name}", ett ärende per tråd.`,
  channelPostedWaiting: (count: number) =>
    `${count} ${count === 1 ? 'ärende' : 'ärenden'} som väntade på en supportkanal läggs in nu.`,
  registerOnlyInChannel: 'Skriv kommandot i den kanal som ska ta emot ärendena.',

  // The user's side of opening.
  confirmedHeading: (n: number) => `Tack! Ditt ärende har nummer ${n}`,
  /** Only once a channel post or a mail was accepted (outbox status). */
  confirmedText:
    'Supporten har fått ditt ärende. Du får besked här i chatten när någon tar det, svarar eller löser det.',
  /** Saved, on its way: the later "fått" comes as a message of its own. */
  confirmedSavedText:
    'Ditt ärende är sparat och kommer att nå supporten. Du får besked här i chatten när supporten har fått det, och när någon tar det, svarar eller löser det.',
  /** Saved, but no channel and no e-mail take tickets now. */
  confirmedNoRouteText:
    'Ditt ärende är sparat, men supporten kan inte ta emot ärenden här just nu. Det skickas till supporten så snart det går, och du får besked här i chatten. Brådskar det, kontakta webSesam-supporten direkt.',
  userDelivered: (n: number) =>
    `Supporten har fått ditt ärende ${n}. Du får besked här i chatten när någon tar det.`,
  userUndelivered: (n: number) =>
    `Ditt ärende ${n} är sparat men har ännu inte nått supporten. Jag försöker igen. Brådskar det, kontakta webSesam-supporten direkt.`,
  closedNow: (next: string, hours: string) =>
    `Supporten har stängt just nu (öppet ${hours}, ej helgdagar). Den öppnar igen ${next}.`,
  onlyPersonal: 'Ärenden skapar du i den personliga chatten med mig.',
  noTickets: 'Du har inga ärenden.',

  // The ticket by e-mail to the support mailbox (plain text; replies to it reach nobody yet).
  mail: {
    subject: (n: number, category: string, urgent: boolean) =>
      `${urgent ? 'AKUT: ' : ''}webSesam-ärende ${n}: ${category}`,
    intro: 'Ett nytt ärende har kommit in via webSesam-hjälpen, boten i Teams.',
    facts: {
      number: 'Ärende',
      category: 'Kategori',
      urgency: 'Brådskande',
      level: 'Nivå',
      requester: 'Användare',
      opened: 'Skapat',
      reference: 'Patient/order',
    },
    question: 'Vad hände (användarens ord, personnummer maskerade):',
    botAnswer: 'Botens svar före ärendet:',
    howHeading: 'Så hanterar du ärendet i Teams:',
    howInChannel:
      'Ärendet ligger som en egen tråd i supportkanalen i Teams. Ta det, svara användaren, eskalera eller lös det med knapparna på kortet där; användaren får besked i chatten med boten vid varje steg.',
    howNoChannel:
      'Ingen supportkanal i Teams har tagit emot ärendet. Skriv "@webSesam-hjälpen registrera supportkanal" i den kanal som ska ta emot ärenden: ärendet läggs in där och kan sedan tas, besvaras och lösas från kortet.',
    noReply: 'Svara inte på det här mejlet: svaret når inte användaren. Svara från kortet i Teams.',
  },
  noRouteWarning:
    'Nya ärenden når ingen: ingen supportkanal är registrerad och ärenden skickas inte med e-post (TICKET_EMAIL_MODE, SMTP_URL). Skriv "@webSesam-hjälpen registrera supportkanal" i supportens kanal.',
  emailWithoutSmtpWarning:
    'TICKET_EMAIL_MODE ber om e-post, men SMTP_URL saknas: ärenden skickas inte med e-post.',

  // Refusals and problems, short.
  notStaff: 'Bara webSesam-supporten kan hantera ärenden. Inget har ändrats.',
  notRequester: 'Det här ärendet är inte ditt. Inget har ändrats.',
  otherTenant: 'Ärendet hör till en annan organisation. Inget har ändrats.',
  notFound: 'Jag hittar inget sådant ärende.',
  stale: 'Ärendet har ändrats sedan kortet visades. Här är det senaste läget: inget har ändrats.',
  closed: 'Ärendet är redan löst eller avslutat. Öppna det igen först.',
  notClosed: 'Ärendet är inte löst, så det behöver inte öppnas igen.',
  topLevel: 'Ärendet är redan på den högsta nivån i kedjan.',
  alreadyYours: 'Du har redan det här ärendet.',
  sameAssignee: 'Ärendet är redan tilldelat den personen.',
  missing: (field: string) => `Fyll i ${field}.`,
  tooLong: (field: string, max: number) =>
    `${field} är för lång (högst ${max} tecken). Korta den gärna.`,
  unknownValue: (field: string) => `Välj ${field} i listan.`,
  noChannel: 'Ingen supportkanal är registrerad än.',
  field: {
    description: 'vad som hände',
    reference: 'referensen',
    urgency: 'hur brådskande det är',
    text: 'texten',
    reason: 'anledningen',
    solution: 'lösningen',
    assignee: 'vem som ska ta ärendet',
  } as Record<string, string>,
};
