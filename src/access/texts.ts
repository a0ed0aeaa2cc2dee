import type { AccessEvent, AccessKind, AccessStatus, RoutedReason } from './request.js';

/** Every sentence about access requests that a person reads outside the card templates. */
export const accessTexts = {
  kindShort: {
    ny: 'ny behörighet',
    andring: 'ändring av behörighet',
    avslut: 'avslut av behörighet',
  } satisfies Record<AccessKind, string>,
  status: {
    'awaiting-manager': 'Väntar på chefens godkännande',
    'at-support': 'Hos webSesam-supporten',
    'needs-info': 'Supporten behöver komplettering',
    registered: 'Registrerad',
    rejected: 'Avslagen',
  } satisfies Record<AccessStatus, string>,
  routed: {
    'self-manager': 'Den sökande angav sig själv som chef: chefens godkännande saknas.',
    'manager-unreachable': 'Boten kunde inte nå chefen i Teams: chefens godkännande saknas.',
    'filed-by-manager': 'Ansökt av den ansvariga chefen själv.',
    'filed-by-support': 'Registrerad av supporten.',
  } satisfies Record<RoutedReason, string>,
  heading: (n: number) => `Behörighetsansökan ${n}`,
  noComment: 'Ingen kommentar.',

  event(e: AccessEvent): string {
    switch (e.kind) {
      case 'applied':
        return 'Skickade ansökan';
      case 'approved':
        return e.text ? `Godkände: ${e.text}` : 'Godkände';
      case 'declined':
        return `Avslog: ${e.text ?? ''}`;
      case 'routed':
        return 'Chefen kunde inte nås i Teams: ansökan gick till supporten';
      case 'posted':
        return 'Lade ansökan i supportkanalen';
      case 'registered':
        return e.text ? `Registrerade behörigheten: ${e.text}` : 'Registrerade behörigheten';
      case 'info-requested':
        return `Bad om komplettering: ${e.text ?? ''}`;
      case 'info-given':
        return `Kompletterade: ${e.text ?? ''}`;
      case 'rejected':
        return `Avslog: ${e.text ?? ''}`;
      case 'redacted':
        return 'Personuppgifterna togs bort (gallring)';
    }
  },

  // To the applicant, in the personal chat.
  confirmedHeading: (n: number) => `Tack! Din ansökan har nummer ${n}`,
  confirmedToManager: (manager: string) =>
    `Ansökan har skickats till ${manager} för godkännande. Du får besked här i chatten när chefen har svarat och när supporten har registrerat den.`,
  confirmedSelfManager:
    'Du angav dig själv som ansvarig chef. En ansökan ska godkännas av ansvarig chef eller motsvarande, så den går till webSesam-supporten, som tar ställning till den. Du får besked här i chatten.',
  /** Where a manager has neither name nor e-mail (a picked id the bot does not know). */
  unnamedManager: 'den chef du angav',
  confirmedUnreachable: (manager: string) =>
    `Jag kan inte skicka ansökan till ${manager} i Teams (chefen har inte pratat med mig än). Den går i stället till webSesam-supporten, märkt att chefens godkännande saknas. Du får besked här i chatten.`,
  confirmedFiledByManager:
    'Du är själv ansvarig chef, så ansökan om avslut går direkt till webSesam-supporten. Du får besked här i chatten när den är registrerad.',
  confirmedFiledBySupport: 'Ansökan om avslut ligger nu hos webSesam-supporten.',
  applicantApproved: (n: number, manager: string) =>
    `${manager} har godkänt din behörighetsansökan ${n}. Den ligger nu hos webSesam-supporten.`,
  applicantDeclined: (n: number, manager: string, why: string) =>
    `${manager} har avslagit din behörighetsansökan ${n}:\n\n${why}`,
  applicantUnreachable: (n: number, manager: string) =>
    `Jag kunde inte nå ${manager} i Teams med din behörighetsansökan ${n}. Den har gått till webSesam-supporten, märkt att chefens godkännande saknas.`,
  applicantRegistered: (n: number, note: string) =>
    `Din behörighetsansökan ${n} är registrerad av webSesam-supporten.${note ? `\n\n${note}` : ''}`,
  applicantRejected: (n: number, why: string) =>
    `webSesam-supporten har avslagit din behörighetsansökan ${n}:\n\n${why}`,
  applicantQuestionHeading: (n: number) => `Supporten behöver mer om din behörighetsansökan ${n}`,
  answerThanks: 'Tack! Svaret har skickats till webSesam-supporten.',

  // To the manager, in their personal chat.
  approvalHeading: (n: number) => `Godkänn behörighetsansökan ${n}?`,
  approvalIntro: (applicant: string) =>
    `${applicant} har ansökt om behörighet till webSesam och angett dig som ansvarig chef. Godkänn eller avslå ansökan.`,
  reminder: (hours: number) =>
    `Påminnelse: ansökan har väntat på ditt svar i ${hours} supporttimmar.`,
  managerApprovedDone: 'Du har godkänt ansökan. Den ligger nu hos webSesam-supporten.',
  managerDeclinedDone: 'Du har avslagit ansökan. Den sökande har fått besked.',
  managerRegistered: (n: number, subject: string) =>
    `Behörighetsansökan ${n} för ${subject} är registrerad av webSesam-supporten.`,
  managerRejected: (n: number, subject: string, why: string) =>
    `webSesam-supporten har avslagit behörighetsansökan ${n} för ${subject}:\n\n${why}`,

  // In the support channel.
  answeredThread: (n: number, who: string) => `${who} har kompletterat behörighetsansökan ${n}.`,

  // Chat.
  onlyPersonal: 'Behörighet ansöker du om i den personliga chatten med mig.',
  listHeading: 'Mina ansökningar',
  noRequests: 'Du har inga behörighetsansökningar.',

  // Refusals and problems, short.
  notManager: 'Bara den chef som ansökan anger kan godkänna eller avslå den. Inget har ändrats.',
  notStaff: 'Bara webSesam-supporten kan hantera behörighetsansökningar. Inget har ändrats.',
  notApplicant: 'Den här ansökan är inte din. Inget har ändrats.',
  otherTenant: 'Ansökan hör till en annan organisation. Inget har ändrats.',
  notFound: 'Jag hittar ingen sådan ansökan.',
  stale: 'Ansökan har ändrats sedan kortet visades. Här är det senaste läget: inget har ändrats.',
  notAwaitingManager: 'Ansökan väntar inte längre på chefens svar. Inget har ändrats.',
  notAtSupport: 'Ansökan ligger inte hos supporten just nu. Inget har ändrats.',
  notNeedsInfo: 'Supporten väntar inte på någon komplettering. Inget har ändrats.',
  formUnknown: 'Jag känner inte igen formuläret. Skriv "jag behöver behörighet" så börjar vi om.',
  missing: (field: string) => `Fyll i ${field}.`,
  tooLong: (field: string, max: number) =>
    `${field} är för lång (högst ${max} tecken). Korta den gärna.`,
  unknownValue: (field: string) => `Välj ${field} i listan.`,
  invalid: (field: string) => `Kontrollera ${field}.`,
  field: {
    kind: 'vad ansökan gäller (ny, ändring eller avslut)',
    subjectName: 'namnet på den som ansökan gäller',
    subjectContact: 'e-postadress eller HSA-id',
    unit: 'arbetsplats eller enhet',
    organisation: 'organisation',
    role: 'roll och vad ansökan gäller',
    fromDate: 'datumet (ÅÅÅÅ-MM-DD)',
    manager: 'ansvarig chef (sök på namn eller skriv e-postadressen)',
    managerEmail: 'chefens e-postadress',
    comment: 'en kommentar',
    note: 'anteckningen',
    question: 'frågan till den sökande',
    reason: 'anledningen',
    answer: 'ditt svar',
  } as Record<string, string>,
};
