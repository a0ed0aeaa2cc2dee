import type { RecipientRepository } from '../recipients/repository.js';
import type { PeopleDirectory } from './ports.js';

/**
 * Managers are found among the people the bot can write to: the recipient store keeps a
 * conversation reference, keyed `user:<Entra object id>`, for everyone who installed the bot or
 * wrote to it. It keeps no e-mail addresses, so a typed address is matched against the addresses
 * Teams gave for people who used the access cards (`emails`), and otherwise is not found: the
 * request then goes to support, marked.
 */
export function recipientDirectory(
  recipients: RecipientRepository,
  emails: { userByEmail(email: string): Promise<string | undefined> },
): PeopleDirectory {
  return {
    async find({ id, email }) {
      const userId = id || (email ? await emails.userByEmail(email.toLowerCase()) : undefined);
      if (!userId) return undefined;
      const r = await recipients.get(`user:${userId}`);
      if (!r) return undefined;
      return { id: userId, name: r.name, reachable: !r.goneAt };
    },
  };
}
