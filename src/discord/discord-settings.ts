// A channel's settings as its commands show and change them (`/models`, `/use`, `/mode`, `/limit`): they are its
// current conversation's models, reply mode and character limit, changed through the conversation services, so
// who may change them, what a model must be, the events announced and how the group modes and the limit then
// behave are exactly the web's.
import { chooseTurnModels, listSelectableModels } from '../chat/model-selection.ts';
import { charLimitOf, MAX_CHAR_LIMIT, REPLY_MODES, type ReplyMode, replyModeOf } from '../chat/turn-plan.ts';
import { AppError } from '../errors.ts';
import type { ModelRow } from '../registry/model-cache.ts';
import type { Actor } from '../store/actor.ts';
import type { ChannelConversationSetup } from '../store/discord-conversations.ts';
import type { DiscordServiceDependencies } from './dependencies.ts';
import type { DiscordChannels } from './discord-channels.ts';
import type { DiscordPlace } from './discord-place.ts';
import { resolveModelNames } from './model-names.ts';

/** A model as a Discord command shows it (a reply posted under its name and avatar). */
export type ModelSummary = Pick<ModelRow, 'id' | 'provider' | 'name' | 'displayName' | 'avatar' | 'description'>;

export type ChannelSettings = {
  /** The channel's current conversation; null before its first message (the settings it would start with). */
  conversationId: string | null;
  /** The models that answer, in reply order (the server's default model when the conversation names none). */
  models: ModelSummary[];
  mode: ReplyMode;
  /** Characters per reply; null: no limit. */
  charLimit: number | null;
};

export const summaryOf = (model: ModelRow): ModelSummary => ({
  id: model.id,
  provider: model.provider,
  name: model.name,
  displayName: model.displayName,
  avatar: model.avatar,
  description: model.description,
});

/** A character limit as `/limit` takes it: a whole number of characters, 0 or null for none. */
export function checkedCharLimit(limit: number | null): number | null {
  if (limit === null) return null;
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_CHAR_LIMIT) {
    throw new AppError(
      'invalid_input',
      `the character limit must be a whole number from 0 (none) to ${MAX_CHAR_LIMIT}`,
    );
  }
  return limit;
}

export function checkedReplyMode(mode: string): ReplyMode {
  if (!(REPLY_MODES as readonly string[]).includes(mode)) {
    throw new AppError('invalid_input', `unknown mode ${mode}: one of ${REPLY_MODES.join(', ')}`);
  }
  return mode as ReplyMode;
}

export class DiscordSettings {
  constructor(
    private readonly dependencies: DiscordServiceDependencies,
    private readonly channels: DiscordChannels,
  ) {}

  /** The place's models, mode and limit as its next message would be answered with. */
  async settingsOf(place: DiscordPlace): Promise<ChannelSettings> {
    const { discordConversations } = this.dependencies.store;
    const current = await discordConversations.findCurrent(place.channelId);
    const setup = current && (await discordConversations.setupOf(current.id));
    return this.shown(current?.id ?? null, setup ?? (await this.channels.nextSetupFor(place, null)));
  }

  /** `/use`: the models named (ids or names) answer in this channel from now on, in that order. */
  async useModels(place: DiscordPlace, actor: Actor, modelNames: string[]): Promise<ChannelSettings> {
    const { conversations, modelSource } = this.dependencies;
    const modelIds = resolveModelNames(modelSource.viewFor(actor.id).all, modelNames);
    const conversationId = await this.channels.conversationFor(place, actor);
    await conversations.models.replace({ actor, conversationId, modelIds });
    return this.settingsOfConversation(conversationId);
  }

  /** `/mode`: how the channel's models answer together. */
  async setMode(place: DiscordPlace, actor: Actor, mode: string): Promise<ChannelSettings> {
    const replyMode = checkedReplyMode(mode);
    return this.changeSettings(place, actor, { replyMode });
  }

  /** `/limit`: characters per reply (0 or null: none). */
  async setLimit(place: DiscordPlace, actor: Actor, limit: number | null): Promise<ChannelSettings> {
    return this.changeSettings(place, actor, { charLimit: checkedCharLimit(limit) });
  }

  /** `/models`: what the actor may pick, in the registry's order. */
  pickableModels(actor: Actor): ModelSummary[] {
    const { modelSource, providers } = this.dependencies;
    return listSelectableModels(modelSource.viewFor(actor.id), providers).map(summaryOf);
  }

  /** The ids of the models named (ids or names) in a command such as `/ask … models:`, as the actor sees them. */
  resolveModels(actor: Actor, modelNames: string[]): string[] {
    return resolveModelNames(this.dependencies.modelSource.viewFor(actor.id).all, modelNames);
  }

  private async changeSettings(
    place: DiscordPlace,
    actor: Actor,
    settingChanges: { replyMode?: ReplyMode; charLimit?: number | null },
  ): Promise<ChannelSettings> {
    const conversationId = await this.channels.conversationFor(place, actor);
    await this.dependencies.conversations.update({ actor, conversationId, settingChanges });
    return this.settingsOfConversation(conversationId);
  }

  private async settingsOfConversation(conversationId: string): Promise<ChannelSettings> {
    const setup = await this.dependencies.store.discordConversations.setupOf(conversationId);
    return this.shown(conversationId, setup ?? { settings: {}, parameters: {}, modelIds: [] });
  }

  private shown(conversationId: string | null, setup: ChannelConversationSetup): ChannelSettings {
    const { modelSource, providers } = this.dependencies;
    const view = modelSource.viewFor(null);
    let models: ModelSummary[];
    if (setup.modelIds.length > 0) {
      models = setup.modelIds.flatMap((id) => {
        const model = view.byId.get(id);
        return model ? [summaryOf(model)] : [];
      });
    } else {
      // Who answers a conversation naming no model (chat/model-selection.ts).
      models = safely(() =>
        chooseTurnModels(view, providers, { members: [], modelIds: undefined, requirements: {} }),
      ).models.map(summaryOf);
    }
    return {
      conversationId,
      models,
      mode: replyModeOf(setup.settings, models.length),
      charLimit: charLimitOf(setup.settings),
    };
  }
}

/** No model available on this server at all: none to show. */
function safely(choose: () => { models: ModelRow[] }): { models: ModelRow[] } {
  try {
    return choose();
  } catch (error) {
    if (error instanceof AppError && error.code === 'unavailable') return { models: [] };
    throw error;
  }
}
