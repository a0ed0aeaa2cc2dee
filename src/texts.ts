/** Every sentence a user reads that is not in a knowledge file or a card template. */

export interface SupportContact {
  email: string;
  phone: string;
  phoneChoice: string;
  phoneHours: string;
}

export const texts = {
  welcomeTitle: 'Hej! Jag är webSesam-hjälpen',
  welcomeIntro:
    'Jag svarar på frågor om webSesam utifrån guiden och supportrutinen: inloggning, beställning, hämtorder, arbetsorder, felrapporter med mera. Skriv din fråga med egna ord.',
  welcomeExamplesHeading: 'Du kan till exempel fråga:',
  welcomeExamples: [
    'Hur skriver jag en hämtorder?',
    'Hur beställer jag till vårt förråd?',
    'Rullatorn som levererades var trasig',
  ],
  welcomeHelpHint: 'Skriv **hjälp** för att se allt jag kan svara på.',
  helpTitle: 'Det här kan jag hjälpa dig med',
  helpIntro: 'Välj ett område, eller skriv din fråga med egna ord.',
  categoryIntro: (category: string) => `Ämnen inom ${category}:`,
  choicesTitle: 'Menade du …?',
  choicesIntro: 'Jag är inte säker på vad du menar. Välj det som passar bäst:',
  noneOfThese: 'Inget av dessa',
  feedbackQuestion: 'Hjälpte svaret?',
  feedbackYes: '👍 Ja',
  feedbackNo: '👎 Nej',
  feedbackThanks: 'Tack för ditt svar!',
  feedbackSorry: 'Tack, det var synd att svaret inte hjälpte.',
  videosHeading: 'Videoinstruktion',
  linksHeading: 'Läs mer',
  stepsHeading: 'Gör så här',
  notesHeading: 'Bra att veta',
  sourceLabel: 'Källa',
  noAnswerTitle: 'Det kan jag tyvärr inte svara på',
  noAnswerText:
    'Jag hittar inget svar på det i webSesam-guiden. Kontakta webSesam-supporten, så hjälper de dig.',
  emptyQuestion: 'Skriv din fråga om webSesam med egna ord, så försöker jag hjälpa dig.',
  tooLong: (max: number) =>
    `Din fråga är lite för lång för mig (högst ${max} tecken). Skriv den gärna kortare.`,
  unknownAction: 'Den knappen fungerar inte längre. Skriv din fråga igen, så hjälper jag dig.',
  unknownTopic: 'Det ämnet finns inte längre. Skriv din fråga igen, så hjälper jag dig.',
  notText: 'Jag kan bara läsa text. Skriv din fråga om webSesam med egna ord.',
  supportHeading: 'Så når du webSesam-supporten',
  supportEmail: (c: SupportContact) => `E-post: ${c.email}`,
  supportPhone: (c: SupportContact) =>
    `Telefon: ${c.phone}, knappval ${c.phoneChoice} (${c.phoneHours})`,
  itSupportHeading: 'Så når du din IT-support',
  /** Shown when IT_SUPPORT_CONTACT is not set: no numbers, since the seeds give none. */
  itSupportDefault:
    'Kontakta din egen IT-support. Arbetar du i Västra Götalandsregionen vänder du dig till regionens IT-servicedesk, arbetar du i en kommun till kommunens IT-support.',
  itSupportTicketHint:
    'Gäller det ändå webSesam? Skriv **skapa ärende**, så skickar jag det till webSesam-supporten.',
  /** The invoke response when a click's answer is a new message in the chat: never an empty bar. */
  actionAnswered: 'Se svaret i chatten.',
  actionDone: 'Klart.',
  somethingWentWrong: 'Något gick fel hos mig. Försök igen om en stund.',
  slowDown: 'Du skickar många meddelanden på kort tid. Vänta en minut och fråga sedan igen.',
};
