/** What the coordinator and staff read from the statistics module. */
export const statsTexts = {
  noCategory: 'Utan kategori',
  total: 'Totalt',
  category: 'Kategori',
  channel: 'Kanal',
  channels: {
    personal: 'Personlig chatt',
    channel: 'Supportkanalen',
    groupChat: 'Gruppchatt',
    phone: 'Telefon',
  },
  figures: {
    questions: 'Frågor till boten',
    answeredShare: 'Andel besvarade (direkt eller efter ”Menade du …?”)',
    helpfulShare: 'Andel nöjda (tumme upp) av svaren som fått omdöme',
    calls: 'Telefonsamtal',
    channels: 'Frågor och samtal per kanal',
    tickets: 'Ärenden',
    level2: 'Ärenden eskalerade till nivå 2',
    level3: 'Ärenden eskalerade till nivå 3',
    firstResponse: 'Median tid till första svar (supporttimmar)',
    resolution: 'Median lösningstid (supporttimmar)',
    resolutionCalendar: 'Median lösningstid (kalenderdygn)',
  },
  /** "Kvartalet i korthet": title and how each figure is worked out. */
  headlines: {
    questions: { title: 'Frågor', note: 'Frågor till boten, i alla kanaler.' },
    selfService: {
      title: 'Självbetjäningsgrad',
      note: 'Andel av frågorna och telefonsamtalen som boten besvarade (direkt eller efter ”Menade du …?”) utan att ett ärende öppnades efter svaret.',
    },
    tickets: { title: 'Ärenden', note: 'Ärenden som öppnades under kvartalet.' },
    calls: { title: 'Telefonsamtal', note: 'Samtal som supporten registrerade.' },
    resolution: {
      title: 'Median lösningstid',
      note: 'Supporttimmar från öppnat till löst, för ärenden öppnade under kvartalet.',
    },
  },
  callRegistered: (category: string, label: string, count: number) =>
    `Samtal registrerat: ${category}. ${label}: ${count} samtal i kategorin.`,
  callChooseTitle: 'Registrera ett telefonsamtal',
  callChooseIntro: 'Vilken kategori gällde samtalet?',
  callNotStaff: 'Bara supportpersonal kan registrera samtal.',
  callUnknownCategory: (given: string) =>
    `Jag känner inte till kategorin ”${given}”. Välj en av dessa:`,
};
