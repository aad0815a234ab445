// A message body as the bot sends it (create, edit, webhook execution, interaction response), checked as Discord
// checks it: at most 2,000 characters of content and 10 embeds, never empty; and the users it mentions, as the
// `<@id>` in its content and its allowed_mentions decide.
import { DiscordApiError, invalidField } from './rest.ts';
import type { FakeAttachment, FakeDiscordState, FakeMessage } from './state.ts';

export const MAX_CONTENT_LENGTH = 2000;
const MAX_EMBEDS = 10;

export type MessageInput = {
  content?: string;
  embeds?: unknown[];
  components?: unknown[];
  flags?: number;
  nonce?: string | number;
  attachments: FakeAttachment[];
};

/** Reads and checks a create or edit body; `creating` also refuses a message with nothing in it. */
export function readMessageInput(
  body: Record<string, unknown>,
  files: FakeAttachment[],
  creating: boolean,
): MessageInput {
  const content = body.content;
  if (content !== undefined && content !== null && typeof content !== 'string') {
    throw invalidField('content', 'BASE_TYPE_STRING', 'Must be a string.');
  }
  if (typeof content === 'string' && content.length > MAX_CONTENT_LENGTH) {
    throw invalidField('content', 'BASE_TYPE_MAX_LENGTH', `Must be ${MAX_CONTENT_LENGTH} or fewer in length.`);
  }
  const embeds = Array.isArray(body.embeds) ? body.embeds : undefined;
  if (embeds && embeds.length > MAX_EMBEDS) {
    throw invalidField('embeds', 'BASE_TYPE_MAX_LENGTH', `Must be ${MAX_EMBEDS} or fewer in length.`);
  }
  const components = Array.isArray(body.components) ? body.components : undefined;
  const input: MessageInput = {
    ...(typeof content === 'string' ? { content } : {}),
    ...(embeds ? { embeds } : {}),
    ...(components ? { components } : {}),
    ...(typeof body.flags === 'number' ? { flags: body.flags } : {}),
    ...(typeof body.nonce === 'string' || typeof body.nonce === 'number' ? { nonce: body.nonce } : {}),
    attachments: files,
  };
  const empty = !input.content && !input.embeds?.length && !files.length && !input.components?.length;
  if (creating && empty && !body.sticker_ids && !body.poll) {
    throw new DiscordApiError(400, 50006, 'Cannot send an empty message');
  }
  return input;
}

/**
 * The users a message pings: those written `<@id>` in its content that the allowed mentions permit, and the author
 * of the message it replies to unless `replied_user` is false.
 */
export function mentionedUserIds(
  state: FakeDiscordState,
  content: string,
  allowedMentions: unknown,
  repliedTo: FakeMessage | undefined,
): string[] {
  const allowed = allowedMentions as { parse?: unknown; users?: unknown; replied_user?: unknown } | undefined;
  const listed = (list: unknown, value: string) => Array.isArray(list) && list.includes(value);
  const written = [...content.matchAll(/<@!?(\d{17,20})>/g)].map((match) => match[1]!);
  const permitted = written.filter((id) => !allowed || listed(allowed.parse, 'users') || listed(allowed.users, id));
  const replied = repliedTo && (allowed ? allowed.replied_user === true : true) ? [repliedTo.author.id] : [];
  return [...new Set([...permitted, ...replied])].filter((id) => state.users.has(id));
}
