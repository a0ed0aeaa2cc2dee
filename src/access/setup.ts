import type { Log } from '../log.js';
import type { Outbox } from '../outbox/outbox.js';
import type { RecipientRepository } from '../recipients/repository.js';
import { createSupportHours, parseOpeningHours } from '../support-hours/support-hours.js';
import type { SupportChannelRepository } from '../tickets/repository.js';
import { createAccess } from './access.js';
import type { AccessCardContext } from './cards.js';
import { createAccessChat } from './chat.js';
import { recipientDirectory } from './directory.js';
import { loadAccessForm } from './form.js';
import { createAccessNotifier } from './notifications.js';
import type { AccessRequestRepository } from './repository.js';
import { createAccessUpkeep } from './upkeep.js';

export interface AccessSettings {
  formFile: string;
  /** Registered channel name for access requests; '' (or unregistered) means the support channel. */
  channelName: string;
  openingHours: string;
  timeZone: string;
  reminderAfterHours: number;
  retentionMonths: number;
  staffIds: string[];
  tickSeconds: number;
}

export interface AccessSetupDeps {
  settings: AccessSettings;
  repo: AccessRequestRepository;
  channels: SupportChannelRepository;
  recipients: RecipientRepository;
  outbox: Outbox;
  now: () => Date;
  newId: () => string;
  log: Log;
}

/** Access requests composed: form from its file, use cases, chat, notifications, scheduler. */
export async function setupAccess(deps: AccessSetupDeps) {
  const { settings, repo, channels, outbox, now, log } = deps;
  const form = await loadAccessForm(settings.formFile);
  const hours = createSupportHours({
    ...parseOpeningHours(settings.openingHours),
    timeZone: settings.timeZone,
    country: 'SE',
  });
  const staffIds = new Set(settings.staffIds);
  const cards: AccessCardContext = { form, timeZone: settings.timeZone };
  const notify = createAccessNotifier({ outbox, cards });
  const directory = recipientDirectory(deps.recipients, repo);
  const supportChannel = async () =>
    (settings.channelName && (await channels.get(settings.channelName))) ||
    (await channels.get('')) ||
    null;
  const access = createAccess({
    repo,
    directory,
    form,
    isStaff: (a) => staffIds.has(a.id),
    notify,
    supportChannel,
    now,
    newId: deps.newId,
  });
  const upkeep = createAccessUpkeep({
    access,
    repo,
    notify,
    hours,
    supportChannel,
    now,
    reminderAfterHours: settings.reminderAfterHours,
    retentionMonths: settings.retentionMonths,
  });
  const chat = createAccessChat({ access, directory, cards, newId: deps.newId });

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const tick = async () => {
    if (running) return running; // one tick at a time: a slow store must not pile them up
    running = (async () => {
      try {
        const done = await upkeep.tick();
        if (Object.values(done).some(Boolean)) log.info(done, 'access request upkeep');
      } catch (e) {
        log.error({ err: (e as Error).message }, 'access request upkeep failed');
      }
    })();
    try {
      await running;
    } finally {
      running = undefined;
    }
  };

  return {
    access,
    cards,
    chat,
    upkeep,
    tick,
    async start() {
      const recovered = await access.recover();
      if (recovered)
        log.info({ recovered }, 'access messages handed to the outbox after a restart');
      timer = setInterval(tick, settings.tickSeconds * 1000);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
