// Which Discord messages the bot answers, and answering them: a mention of the bot, a reply to one of its messages
// (its own or its webhook's), and every direct message; never a bot's (itself included) or a webhook's, and
// nothing in a place the admins have not allowed, where the bot keeps silent. A Discord reply to a message that
// shows a Chorus message (a person's, or a model's reply) goes in that message's thread.
import type { Message } from 'discord.js';
import type { BotMetrics } from './bot-metrics.ts';
import { type ChannelTurns, type Refusal, refusalOf } from './channel-turns.ts';
import type { ChannelVoices } from './channel-voices.ts';
import { authorOf, placeOf, promptOf } from './discord-client.ts';
import type { DiscordService } from './discord-service.ts';

export type IncomingMessageDependencies = {
  discord: DiscordService;
  turns: ChannelTurns;
  voices: ChannelVoices;
  metrics: BotMetrics;
};

/** Whether the message is addressed to the bot (before any look at who may use it where). */
export async function isAddressedToBot(message: Message, botId: string, voices: ChannelVoices): Promise<boolean> {
  if (message.author.bot || message.webhookId || message.system) return false;
  if (message.channel.isDMBased()) return true;
  if (message.mentions.users.has(botId)) return true;
  const repliedTo = message.mentions.repliedUser;
  if (!repliedTo || !message.reference) return false;
  if (repliedTo.id === botId) return true;
  return repliedTo.bot && (await voices.isOwnWebhook(message.channelId, repliedTo.id));
}

/** Answers the message if it is the bot's to answer; `arrivedAt` is performance.now() on its arrival. */
export async function answerMessage(
  message: Message,
  botId: string,
  arrivedAt: number,
  { discord, turns, voices, metrics }: IncomingMessageDependencies,
): Promise<void> {
  if (!(await isAddressedToBot(message, botId, voices))) return;
  const place = placeOf(message.channel, message.author);
  if (!(await discord.isAllowed(place))) return;
  metrics.count('messagesHandled');
  const text = promptOf(message, botId);
  if (!text) {
    await message.reply({ content: 'Ask me something after the mention.', allowedMentions: { parse: [] } });
    return;
  }
  let refusal: Refusal | null;
  try {
    const actor = await discord.actorFor(authorOf(message.author));
    const conversationId = await discord.conversationFor(place, actor);
    const repliedTo = message.reference?.channelId === message.channelId ? message.reference.messageId : undefined;
    const threadId = repliedTo && (await discord.threadShownBy(actor, conversationId, repliedTo));
    refusal = await turns.start({
      actor,
      conversationId,
      channelId: message.channelId,
      discordId: message.id,
      threadId: threadId || undefined,
      text,
      arrivedAt,
    });
  } catch (error) {
    refusal = refusalOf(error, metrics);
  }
  if (refusal) await message.reply({ content: refusal.text, allowedMentions: { parse: [], repliedUser: false } });
}
