import { z } from 'zod';

const MAX_ID = 1024;
const account = z.object({ id: z.string().min(1).max(MAX_ID) }).loose();

/**
 * The least an activity must hold for the bot to act on it and answer. CloudAdapter checks only
 * `type`; without a conversation, sender or serviceUrl a turn would fail halfway, so such a
 * request is refused with 400 before it starts.
 */
export const incomingActivity = z
  .object({
    type: z.string().min(1).max(64),
    serviceUrl: z.url().max(2048),
    channelId: z.string().min(1).max(64),
    from: account,
    recipient: account,
    conversation: account,
    text: z.string().max(100_000).optional(),
    name: z.string().max(256).optional(),
  })
  .loose();

export function checkIncoming(body: unknown): { ok: true } | { ok: false; problem: string } {
  const parsed = incomingActivity.safeParse(body);
  if (parsed.success) return { ok: true };
  const issue = parsed.error.issues[0];
  return { ok: false, problem: `${issue.path.join('.') || 'body'}: ${issue.message}` };
}
