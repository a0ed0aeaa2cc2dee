import type { Config } from '../config.js';

/**
 * The tenants whose users may talk to the bot: ALLOWED_TENANTS, or else the tenant a single-tenant
 * registration names. Empty means any, which only local mode should ever see.
 */
export function allowedTenants(config: Config): string[] {
  const listed = config.ALLOWED_TENANTS.length
    ? config.ALLOWED_TENANTS
    : config.MicrosoftAppTenantId
      ? [config.MicrosoftAppTenantId]
      : [];
  return listed.map((t) => t.toLowerCase());
}

/** The tenant Teams says the activity comes from; the Bot Connector sets it, a user cannot. */
export function tenantOf(body: Record<string, any>): string | undefined {
  const fromChannelData = body.channelData?.tenant?.id;
  const fromConversation = body.conversation?.tenantId;
  const id = typeof fromChannelData === 'string' ? fromChannelData : fromConversation;
  return typeof id === 'string' && id ? id.toLowerCase() : undefined;
}

export function createTenantCheck(allowed: string[]): (body: Record<string, unknown>) => boolean {
  if (!allowed.length) return () => true;
  const set = new Set(allowed.map((t) => t.toLowerCase()));
  return (body) => {
    const tenant = tenantOf(body);
    return tenant !== undefined && set.has(tenant);
  };
}
