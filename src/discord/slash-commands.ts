// The bot's slash commands, registered when it connects, each translated to the domain: `/ask prompt [models]`,
// `/models`, `/use models`, `/mode`, `/limit n`, `/new`, `/usage`, `/link`. What only the person should see (their
// usage, their link code) is answered ephemerally.
import {
  type ChatInputCommandInteraction,
  type Client,
  type InteractionReplyOptions,
  MessageFlags,
  SlashCommandBuilder,
} from 'discord.js';
import type { Actor } from '../store/actor.ts';
import type { BotMetrics } from './bot-metrics.ts';
import { type ChannelTurns, refusalOf } from './channel-turns.ts';
import { authorOf, placeOf } from './discord-client.ts';
import type { ChannelSettings, DiscordPlace, DiscordService, ModelSummary, PersonalUsage } from './discord-service.ts';
import { splitMessage } from './message-splitting.ts';

export const SLASH_COMMANDS = [
  new SlashCommandBuilder()
    .setName('ask')
    .setDescription('Ask the models of this channel, or the ones you name')
    .addStringOption((option) => option.setName('prompt').setDescription('What to ask').setRequired(true))
    .addStringOption((option) =>
      option.setName('models').setDescription('Models to ask instead, by id or name, comma-separated'),
    ),
  new SlashCommandBuilder().setName('models').setDescription('The models you can pick, and the ones answering here'),
  new SlashCommandBuilder()
    .setName('use')
    .setDescription("Set this channel's models, in reply order")
    .addStringOption((option) =>
      option.setName('models').setDescription('Model ids or names, comma-separated').setRequired(true),
    ),
  new SlashCommandBuilder()
    .setName('mode')
    .setDescription('How several models answer here')
    .addStringOption((option) =>
      option
        .setName('mode')
        .setDescription('single, parallel or first_responder')
        .setRequired(true)
        .addChoices(
          { name: 'single', value: 'single' },
          { name: 'parallel', value: 'parallel' },
          { name: 'first_responder', value: 'first_responder' },
        ),
    ),
  new SlashCommandBuilder()
    .setName('limit')
    .setDescription('The most characters a reply here may have (0: no limit)')
    .addIntegerOption((option) =>
      option.setName('n').setDescription('Characters per reply').setRequired(true).setMinValue(0),
    ),
  new SlashCommandBuilder().setName('new').setDescription('Start a fresh conversation in this channel'),
  new SlashCommandBuilder().setName('usage').setDescription('Your tokens and cost'),
  new SlashCommandBuilder().setName('link').setDescription('A one-time code that links you to your web account'),
].map((command) => command.toJSON());

export type SlashCommandDependencies = {
  discord: DiscordService;
  turns: ChannelTurns;
  metrics: BotMetrics;
  /** How long an answer may take before it is deferred; Discord drops a command not answered in 3 s. */
  deferAfterMs: number;
};

/** Answered only to the person who ran them. */
const PRIVATE_COMMANDS = new Set(['models', 'usage', 'link']);

/** Registers the commands for the bot's application (replacing whatever it had). */
export async function registerSlashCommands(client: Client<true>): Promise<void> {
  await client.application.commands.set(SLASH_COMMANDS);
}

/** Answers a slash command; `arrivedAt` is performance.now() on its arrival. */
export async function answerCommand(
  interaction: ChatInputCommandInteraction,
  arrivedAt: number,
  dependencies: SlashCommandDependencies,
): Promise<void> {
  const { discord, metrics } = dependencies;
  const respond = timelyResponder(interaction, dependencies.deferAfterMs);
  try {
    const channel = interaction.channel ?? (await interaction.client.channels.fetch(interaction.channelId));
    if (!channel) throw new Error(`channel ${interaction.channelId} of a command is unknown`);
    const place = placeOf(channel, interaction.user);
    if (!(await discord.isAllowed(place))) {
      await respond(privately("I don't answer in this channel."));
      return;
    }
    metrics.count('messagesHandled');
    const actor = await discord.actorFor(authorOf(interaction.user));
    await runCommand(interaction, { place, actor, arrivedAt, respond }, dependencies);
  } catch (error) {
    const { text } = refusalOf(error, metrics);
    const answer = privately(text);
    await (interaction.replied ? interaction.followUp(answer) : respond(answer));
  }
}

type Respond = (answer: InteractionReplyOptions) => Promise<void>;

/**
 * The first answer to a command: given at once when it is ready within `deferAfterMs`, else the command is deferred
 * (Discord shows that the bot is thinking, and waits up to 15 minutes) and the answer written into it when ready.
 * A deferred answer keeps the visibility the command was deferred with.
 */
function timelyResponder(interaction: ChatInputCommandInteraction, deferAfterMs: number): Respond {
  let deferral: Promise<unknown> | null = null;
  const timer = setTimeout(() => {
    const flags = PRIVATE_COMMANDS.has(interaction.commandName) ? MessageFlags.Ephemeral : undefined;
    deferral = interaction.deferReply({ flags });
    // Awaited by the answer; until then a failure must not count as unhandled.
    deferral.catch(() => {});
  }, deferAfterMs);
  return async (answer) => {
    clearTimeout(timer);
    if (!deferral) {
      await interaction.reply(answer);
      return;
    }
    await deferral;
    await interaction.editReply({ content: answer.content, allowedMentions: answer.allowedMentions });
  };
}

type CommandContext = { place: DiscordPlace; actor: Actor; arrivedAt: number; respond: Respond };

async function runCommand(
  interaction: ChatInputCommandInteraction,
  { place, actor, arrivedAt, respond }: CommandContext,
  { discord, turns }: SlashCommandDependencies,
): Promise<void> {
  const { options } = interaction;
  switch (interaction.commandName) {
    case 'ask': {
      const prompt = options.getString('prompt', true);
      const named = listOf(options.getString('models'));
      const modelIds = named.length > 0 ? discord.resolveModels(actor, named) : undefined;
      await respond(publicly(`> ${prompt.replace(/\n/g, '\n> ')}`));
      const conversationId = await discord.conversationFor(place, actor);
      const refusal = await turns.start({
        actor,
        conversationId,
        channelId: place.channelId,
        discordId: interaction.id,
        text: prompt,
        modelIds,
        arrivedAt,
      });
      if (refusal) await interaction.followUp(privately(refusal.text));
      return;
    }
    case 'models': {
      const [pickable, settings] = await Promise.all([discord.pickableModels(actor), discord.settingsOf(place)]);
      await respond(privately(`${describeSettings(settings)}\n\nYou can pick:\n${listModels(pickable)}`));
      return;
    }
    case 'use': {
      const named = listOf(options.getString('models', true));
      // biome-ignore lint/correctness/useHookAtTopLevel: a domain method named like a React hook, not one
      const settings = await discord.useModels(place, actor, named);
      await respond(publicly(describeSettings(settings)));
      return;
    }
    case 'mode':
      await respond(publicly(describeSettings(await discord.setMode(place, actor, options.getString('mode', true)))));
      return;
    case 'limit': {
      const limit = options.getInteger('n', true);
      await respond(publicly(describeSettings(await discord.setLimit(place, actor, limit === 0 ? null : limit))));
      return;
    }
    case 'new':
      await discord.startFresh(place, actor);
      await respond(publicly('Started a fresh conversation here: earlier messages are no longer in it.'));
      return;
    case 'usage':
      await respond(privately(describeUsage(await discord.usageOf(actor))));
      return;
    case 'link': {
      const { code, expiresAt } = await discord.createLinkCode(actor);
      const minutes = Math.max(1, Math.round((expiresAt.getTime() - Date.now()) / 60_000));
      await respond(
        privately(
          `Your link code: \`${code}\`\nEnter it on the web app (your profile: Link Discord) within ${minutes} minutes. ` +
            'Your Discord conversations then appear in your web sidebar.',
        ),
      );
      return;
    }
    default:
      await respond(privately(`Unknown command /${interaction.commandName}.`));
  }
}

const listOf = (text: string | null) =>
  (text ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);

const publicly = (content: string): InteractionReplyOptions => ({
  content: firstMessageOf(content),
  allowedMentions: { parse: [] },
});

const privately = (content: string): InteractionReplyOptions => ({
  ...publicly(content),
  flags: MessageFlags.Ephemeral,
});

/** A command's answer is one message: a longer one is cut where a second message would begin. */
const firstMessageOf = (content: string) => splitMessage(content)[0] ?? '';

const modelName = (model: ModelSummary) => model.displayName ?? model.name;

function listModels(models: ModelSummary[]): string {
  if (models.length === 0) return 'no models';
  return models.map((model) => `• **${modelName(model)}** \`${model.id}\``).join('\n');
}

/** A channel's settings, as every settings command answers them. */
export function describeSettings(settings: ChannelSettings): string {
  const models = settings.models.map(modelName).join(', ') || 'the default model';
  const limit = settings.charLimit === null ? 'no limit' : `${settings.charLimit} characters`;
  return `Models here: ${models} · mode: ${settings.mode} · reply limit: ${limit}`;
}

function describeUsage(usage: PersonalUsage): string {
  const cost = (usd: number) => `$${usd.toFixed(4)}`;
  const tokens = (totals: PersonalUsage['today']) =>
    `${totals.inputTokens + totals.outputTokens} tokens (${totals.inputTokens} in, ${totals.outputTokens} out), ${cost(totals.costUsd)}`;
  const limit = usage.dailyMessageLimit === null ? 'no daily limit' : `of ${usage.dailyMessageLimit} a day`;
  return [
    `Today: ${usage.messagesToday} messages (${limit}); ${tokens(usage.today)}.`,
    `In all: ${usage.allTime.messages} messages; ${tokens(usage.allTime)}.`,
  ].join('\n');
}
