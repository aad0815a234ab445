// What a model is sent: the recent history of the conversation, with speakers attributed. A model's own earlier
// replies are its assistant turns; what other models said reaches it as attributed text, so it never believes
// it said another model's words. Files a person attached go to the models that can read them (vision for images,
// pdf for PDFs) as file parts; other models get a short note in their place. Pure functions over stored messages.
import type { FilePart, ModelMessage, TextPart, UserContent } from 'ai';
import type { MessagePart } from '../db/schema/index.ts';
import { capabilityToRead, kindOfFile } from '../files/media-types.ts';
import type { Message } from '../store/messages.ts';
import { assistantStepsOf, hasToolParts, toolTurnOf } from './tool-history.ts';

/** Messages read back for a prompt: enough for a conversation's thread, bounded so a request never loads it all. */
export const HISTORY_MESSAGE_LIMIT = 100;
/** A rough characters-per-token ratio, only to keep the prompt inside the model's context window. */
const CHARACTERS_PER_TOKEN = 4;
/** What an attached file is reckoned to take of the context window (an image is ~1k tokens on most providers). */
const FILE_CHARACTERS = 1_500 * CHARACTERS_PER_TOKEN;

/** The model being prompted; `capabilities` decide which attached files it is sent (none when left out). */
export type Speaker = { modelId: string; name: string; capabilities?: readonly string[] };

/** The bytes of attached files, by storage key (see files/prompt-attachments.ts); a missing key is a file gone. */
export type AttachmentContents = ReadonlyMap<string, Uint8Array>;

/** The text of a stored message: its text parts joined, else its plain content. */
export function messageText(message: Pick<Message, 'parts' | 'content'>): string {
  const texts = message.parts.flatMap((part) =>
    part.type === 'text' && typeof part.text === 'string' ? [part.text] : [],
  );
  return texts.length > 0 ? texts.join('') : (message.content ?? '');
}

/**
 * The prompt for one model from oldest-first history. Failed or empty replies are left out; replies by other
 * models become attributed user turns. With `personNames` (a conversation of several people) each person's
 * message says who wrote it.
 */
export function promptForModel(
  history: Message[],
  speaker: Speaker,
  modelNames: ReadonlyMap<string, string>,
  attachmentContents: AttachmentContents = new Map(),
  personNames?: ReadonlyMap<string, string>,
): ModelMessage[] {
  const prompt: ModelMessage[] = [];
  for (const message of history) {
    if (message.role === 'user') {
      const content = userContent(message, speaker, attachmentContents);
      const person = personNames && message.senderId ? personNames.get(message.senderId) : undefined;
      if (content) prompt.push({ role: 'user', content: person ? attributed(person, content) : content });
      continue;
    }
    if (message.role === 'tool') {
      const turn = toolTurnOf(message);
      if (turn) prompt.push(turn);
      continue;
    }
    // A model's own reply that called tools is given back as its steps, calls and results included.
    if (message.role === 'assistant' && message.modelId === speaker.modelId && hasToolParts(message)) {
      prompt.push(...assistantStepsOf(message));
      continue;
    }
    const text = messageText(message);
    if (!text.trim()) continue;
    if (message.role === 'system') prompt.push({ role: 'system', content: text });
    else if (message.role === 'assistant') {
      if (message.status === 'error' && text.length === 0) continue;
      if (message.modelId === speaker.modelId) prompt.push({ role: 'assistant', content: text });
      else {
        const name = (message.modelId && modelNames.get(message.modelId)) ?? 'Another model';
        prompt.push({ role: 'user', content: `[${name} replied:]\n${text}` });
      }
    }
  }
  return prompt;
}

/** A person's words, headed by their name. */
function attributed(name: string, content: UserContent): UserContent {
  const heading = `[${name} wrote:]`;
  if (typeof content === 'string') return `${heading}\n${content}`;
  return [{ type: 'text', text: heading }, ...content];
}

/** A person's message: its text, or its text and files when it carries files. Null when it says nothing. */
function userContent(
  message: Pick<Message, 'parts' | 'content' | 'attachments'>,
  speaker: Speaker,
  contents: AttachmentContents,
): UserContent | null {
  if (!message.parts.some((part) => part.type === 'file')) {
    const text = messageText(message);
    return text.trim() ? text : null;
  }
  const content: (TextPart | FilePart)[] = [];
  for (const part of message.parts) {
    if (part.type === 'text' && typeof part.text === 'string' && part.text)
      content.push({ type: 'text', text: part.text });
    else if (part.type === 'file') content.push(filePromptPart(part, message.attachments, speaker, contents));
  }
  return content.length > 0 ? content : null;
}

/** The file itself for a model that can read it; otherwise a note, so the model knows something was shown. */
function filePromptPart(
  part: MessagePart,
  attachments: Message['attachments'],
  speaker: Speaker,
  contents: AttachmentContents,
): TextPart | FilePart {
  const attachment = attachments.find((candidate) => candidate.url === part.url);
  const name = attachment?.name ?? (typeof part.filename === 'string' ? part.filename : 'file');
  const mediaType = attachment?.mediaType ?? (typeof part.mediaType === 'string' ? part.mediaType : '');
  const note = (detail = ''): TextPart => ({ type: 'text', text: `[${kindOfFile(mediaType)}: ${name}${detail}]` });
  if (!speaker.capabilities?.includes(capabilityToRead(mediaType))) return note();
  const bytes = attachment ? contents.get(attachment.key) : undefined;
  if (!bytes) return note(' (no longer available)');
  return { type: 'file', data: bytes, mediaType, filename: name };
}

/** Roughly how much of the context window a message takes, in characters. */
function approximateCharacters(message: ModelMessage): number {
  if (typeof message.content === 'string') return message.content.length;
  let total = 0;
  for (const part of message.content) {
    if (part.type === 'text') total += part.text.length;
    else if (part.type === 'file' || part.type === 'image') total += FILE_CHARACTERS;
    else total += JSON.stringify(part).length;
  }
  return total;
}

/**
 * Drops the oldest turns until the prompt fits the context window (keeping at least the newest turn). It never
 * starts on a tool result: one whose call was dropped is refused by providers, so it goes with its call.
 */
export function fitToContextWindow(prompt: ModelMessage[], contextWindowTokens: number, reservedTokens: number) {
  const budget = Math.max(0, contextWindowTokens - reservedTokens) * CHARACTERS_PER_TOKEN;
  const sizes = prompt.map(approximateCharacters);
  let total = sizes.reduce((sum, size) => sum + size, 0);
  let start = 0;
  while (total > budget && start < prompt.length - 1) total -= sizes[start++]!;
  while (start > 0 && start < prompt.length - 1 && prompt[start]!.role === 'tool') start++;
  return prompt.slice(start);
}
