// The Discord settings as the admin page edits them: lists of Discord ids and "channel: models" lines as typed,
// to and from what /api/admin/discord takes (the server validates them, and names what is wrong).
import type { DiscordChannelModels } from '../types.ts';

/** Ids typed one a line, or separated by commas or spaces. */
export const idsOf = (text: string) => text.split(/[\s,]+/).filter((id) => id.length > 0);

export const idsText = (ids: readonly string[]) => ids.join('\n');

/** `channelId: model, model` lines; a line without a colon is left for the server to refuse. */
export function channelModelsOf(text: string): DiscordChannelModels {
  const value: DiscordChannelModels = {};
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const colon = line.indexOf(':');
    // Model ids hold a colon too (`provider:model`): the channel is what comes before the first one.
    const channelId = (colon < 0 ? line : line.slice(0, colon)).trim();
    value[channelId] = colon < 0 ? [] : idsOf(line.slice(colon + 1));
  }
  return value;
}

export const channelModelsText = (value: DiscordChannelModels) =>
  Object.entries(value)
    .map(([channelId, modelIds]) => `${channelId}: ${modelIds.join(', ')}`)
    .join('\n');
