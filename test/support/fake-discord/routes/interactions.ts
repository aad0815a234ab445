// Answers to interactions: the initial callback (POST /interactions/:id/:token/callback, accepted once and only
// within the deadline Discord gives), then the interaction's webhook: follow-up messages and the original response
// (`@original`) fetched, edited or deleted. A deferred response shows as a loading message until edited or followed up.
import { InteractionResponseType, MessageFlags } from 'discord.js';
import { dispatchMessageCreate, dispatchMessageDelete, type FakeWorld } from '../events.ts';
import { type MessageInput, mentionedUserIds, readMessageInput } from '../message-input.ts';
import { DiscordApiError, notFound, type Route, type RouteContext, route } from '../rest.ts';
import type { FakeInteraction, FakeMessage } from '../state.ts';
import { messagePayload } from '../wire.ts';
import { applyEdit } from './channels.ts';

/** An interaction token authorizes its webhook for 15 minutes. */
const TOKEN_LIFETIME_MS = 15 * 60 * 1000;

export type InteractionTiming = { responseDeadlineMs: number };

export function interactionForToken(world: FakeWorld, applicationId: string, token: string): FakeInteraction | null {
  if (applicationId !== world.state.applicationId) return null;
  for (const interaction of world.state.interactions.values()) {
    if (interaction.token === token && Date.now() - interaction.createdAt < TOKEN_LIFETIME_MS) return interaction;
  }
  return null;
}

/** The response message of an interaction; a deferred one starts empty and loading ("Bot is thinking..."). */
function createResponseMessage(
  world: FakeWorld,
  interaction: FakeInteraction,
  body: Record<string, unknown>,
  files: RouteContext['files'],
  deferred: boolean,
): FakeMessage {
  const input = deferred ? { attachments: [], flags: Number(body.flags ?? 0) } : readMessageInput(body, files, true);
  const { content = '', embeds = [], components = [] }: MessageInput = input;
  const message = world.state.addMessage({
    channelId: interaction.channelId,
    author: world.state.bot,
    source: 'interaction',
    content,
    embeds,
    components,
    attachments: input.attachments,
    flags: ((input.flags ?? 0) & MessageFlags.Ephemeral) | (deferred ? MessageFlags.Loading : 0),
    webhookId: world.state.applicationId,
    applicationId: world.state.applicationId,
    interactionId: interaction.id,
    mentionIds: mentionedUserIds(world.state, content, body.allowed_mentions, undefined),
  });
  dispatchMessageCreate(world, message);
  return message;
}

function callback(timing: InteractionTiming) {
  return ({ world, params, query, body, files }: RouteContext) => {
    const interaction = params.interactionId ? world.state.interactions.get(params.interactionId) : undefined;
    if (!interaction || interaction.token !== params.token) throw notFound.interaction();
    if (interaction.callbacks.length > 0) {
      throw new DiscordApiError(400, 40060, 'Interaction has already been acknowledged.');
    }
    const elapsedMs = Date.now() - interaction.createdAt;
    if (elapsedMs > timing.responseDeadlineMs) {
      console.warn(
        `fake Discord: interaction answered after ${elapsedMs} ms, past the ${timing.responseDeadlineMs} ms deadline`,
      );
      throw notFound.interaction();
    }
    const type = Number(body.type);
    const data = (body.data ?? null) as Record<string, unknown> | null;
    let message: FakeMessage | null = null;
    if (type === InteractionResponseType.ChannelMessageWithSource) {
      message = createResponseMessage(world, interaction, data ?? {}, files, false);
    } else if (type === InteractionResponseType.DeferredChannelMessageWithSource) {
      message = createResponseMessage(world, interaction, data ?? {}, files, true);
    } else if (!Object.values(InteractionResponseType).includes(type)) {
      throw new DiscordApiError(400, 50035, 'Invalid Form Body', {
        type: { _errors: [{ code: 'BASE_TYPE_CHOICES', message: `Value must be one of known types.` }] },
      });
    }
    interaction.callbacks.push({ at: performance.now(), type, data });
    if (message) interaction.originalMessageId = message.id;
    world.state.changed();
    if (query.get('with_response') !== 'true') return { status: 204 };
    return {
      status: 200,
      body: {
        interaction: {
          id: interaction.id,
          type: interaction.type,
          response_message_id: message?.id,
          response_message_loading: type === InteractionResponseType.DeferredChannelMessageWithSource,
          response_message_ephemeral: Boolean((message?.flags ?? 0) & MessageFlags.Ephemeral),
        },
        resource: { type, ...(message ? { message: messagePayload(world.state, message) } : {}) },
      },
    };
  };
}

export function interactionCallbackRoutes(timing: InteractionTiming): Route[] {
  return [route('POST', '/interactions/:interactionId/:token/callback', callback(timing), { auth: false })];
}

function interactionMessage(world: FakeWorld, interaction: FakeInteraction, messageId: string): FakeMessage {
  const id = messageId === '@original' ? interaction.originalMessageId : messageId;
  const message = id ? world.state.messages.get(id) : undefined;
  const belongs =
    message && (id === interaction.originalMessageId || interaction.followupMessageIds.includes(message.id));
  if (!message || !belongs || message.deleted) throw notFound.message();
  return message;
}

function finishLoading(message: FakeMessage): void {
  message.flags &= ~MessageFlags.Loading;
}

/** The interaction's side of POST /webhooks/:applicationId/:token: a follow-up (or the end of a deferred reply). */
export function postFollowup(world: FakeWorld, interaction: FakeInteraction, context: RouteContext) {
  if (interaction.callbacks.length === 0) throw notFound.webhook();
  const original = interaction.originalMessageId ? world.state.messages.get(interaction.originalMessageId) : undefined;
  if (original && (original.flags & MessageFlags.Loading) !== 0) {
    // Discord turns the first follow-up after a deferral into the deferred response itself.
    finishLoading(original);
    return applyEdit(world, original, context.body, context.files);
  }
  const message = createResponseMessage(world, interaction, context.body, context.files, false);
  interaction.followupMessageIds.push(message.id);
  world.state.changed();
  return { status: 200, body: messagePayload(world.state, message) };
}

/** The interaction's side of GET, PATCH and DELETE /webhooks/:applicationId/:token/messages/:messageId. */
export function answerInteractionMessage(
  world: FakeWorld,
  interaction: FakeInteraction,
  context: RouteContext,
  method: string,
) {
  const message = interactionMessage(world, interaction, context.params.messageId!);
  if (method === 'GET') return { status: 200, body: messagePayload(world.state, message) };
  if (method === 'DELETE') {
    message.deleted = true;
    world.state.changed();
    dispatchMessageDelete(world, message);
    return { status: 204 };
  }
  const wasLoading = (message.flags & MessageFlags.Loading) !== 0;
  finishLoading(message);
  try {
    return applyEdit(world, message, context.body, context.files);
  } catch (error) {
    if (wasLoading) message.flags |= MessageFlags.Loading;
    throw error;
  }
}
