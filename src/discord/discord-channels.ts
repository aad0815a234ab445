// Channels are conversations: each Discord channel, thread or direct message has one current conversation (origin
// `discord`), opened by its first message and joined by everyone who writes there. A new one starts with the
// models the admin chose for the channel, else with the settings and models of the channel's previous
// conversation (or, for a thread, its parent's). `/new` ends the current one and opens another; a deleted channel
// ends its conversation. Ended conversations keep all their data.
import { listSelectableModels } from '../chat/model-selection.ts';
import { AppError } from '../errors.ts';
import type { Actor } from '../store/actor.ts';
import type { ChannelConversationSetup } from '../store/discord-conversations.ts';
import { isUniqueViolation } from '../store/postgres-errors.ts';
import { chosenModelsFor, readDiscordChannelModels } from './channel-models.ts';
import type { DiscordServiceDependencies } from './dependencies.ts';
import type { DiscordPlace } from './discord-place.ts';

/** Two people opening a channel's conversation at once: one creates it, the other joins it on the next try. */
const OPEN_ATTEMPTS = 3;

const MAX_TITLE_CHARS = 200;

/** The conversation's title: the channel's name, as Discord shows it. */
export function titleOf(place: DiscordPlace): string {
  const name = place.name.trim().slice(0, MAX_TITLE_CHARS);
  if (place.isDirect) return name ? `Discord: ${name}` : 'Discord direct messages';
  return name ? `#${name}` : `Discord channel ${place.channelId}`;
}

/**
 * What a channel's next conversation starts with: the settings of its previous conversation (else of the thread's
 * parent channel's), and the admin's models for the channel, else the models of that conversation; only models
 * `selectable` keeps (one since retired is left out).
 */
export function nextSetup(
  sources: { chosenModelIds?: string[]; previous?: ChannelConversationSetup; parent?: ChannelConversationSetup },
  selectable: (modelId: string) => boolean,
): ChannelConversationSetup {
  const base = sources.previous ?? sources.parent;
  const modelIds = sources.chosenModelIds ?? base?.modelIds ?? [];
  return {
    settings: base?.settings ?? {},
    parameters: base?.parameters ?? {},
    modelIds: [...new Set(modelIds)].filter(selectable),
  };
}

export class DiscordChannels {
  constructor(private readonly dependencies: DiscordServiceDependencies) {}

  /** The id of the place's current conversation, opened on first use, with the actor in it. */
  async conversationFor(place: DiscordPlace, actor: Actor): Promise<string> {
    const { discordConversations } = this.dependencies.store;
    for (let attempt = 0; attempt < OPEN_ATTEMPTS; attempt++) {
      const current = await discordConversations.joinCurrent({ channelId: place.channelId, userId: actor.id });
      if (current) return current.id;
      const opened = await this.open(place, actor);
      if (opened) return opened;
    }
    throw new AppError('conflict', `the conversation of Discord channel ${place.channelId} is changing; try again`);
  }

  /**
   * `/new`: ends the place's current conversation (for those who may change it, as on the web) and opens a fresh
   * one with the same settings, which later messages go to. Returns its id.
   */
  async startFresh(place: DiscordPlace, actor: Actor): Promise<string> {
    const { store, conversations } = this.dependencies;
    const current = await store.discordConversations.joinCurrent({ channelId: place.channelId, userId: actor.id });
    if (current) {
      await conversations.access.guarded(actor, { conversationId: current.id, level: 'manage' }, () =>
        store.conversations.update({ actor, id: current.id, changes: { endedAt: new Date() } }),
      );
    }
    // Someone else's message may have opened one meanwhile: then that one is the fresh conversation.
    return (await this.open(place, actor)) ?? this.conversationFor(place, actor);
  }

  /** The channel was deleted: its current conversation ends, keeping its data. */
  async channelEnded(channelId: string): Promise<void> {
    await this.dependencies.store.discordConversations.endCurrent(channelId);
  }

  /** The setup the place's next conversation would start with, as `userId` could pick models (null: anyone). */
  async nextSetupFor(place: DiscordPlace, userId: string | null): Promise<ChannelConversationSetup> {
    const { store, modelSource, providers } = this.dependencies;
    const [chosen, previous, parent] = await Promise.all([
      readDiscordChannelModels(store),
      store.discordConversations.latestSetup(place.channelId),
      place.parentChannelId ? store.discordConversations.latestSetup(place.parentChannelId) : undefined,
    ]);
    const selectable = new Set(listSelectableModels(modelSource.viewFor(userId), providers).map((model) => model.id));
    return nextSetup({ chosenModelIds: chosenModelsFor(chosen, place), previous, parent }, (id) => selectable.has(id));
  }

  /** Opens the place's conversation with the actor as its owner; undefined when the place has one already. */
  private async open(place: DiscordPlace, actor: Actor): Promise<string | undefined> {
    const setup = await this.nextSetupFor(place, actor.id);
    try {
      const conversation = await this.dependencies.conversations.create({
        actor,
        title: titleOf(place),
        origin: 'discord',
        discordChannelId: place.channelId,
        ...setup,
      });
      return conversation.id;
    } catch (error) {
      // idx_conversations_discord_channel: another message opened it first.
      if (isUniqueViolation(error)) return undefined;
      throw error;
    }
  }
}
