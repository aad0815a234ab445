// What a model is sent: the recent history of the conversation, with speakers attributed. A model's own earlier
// replies are its assistant turns; what other models said reaches it as attributed text, so it never believes
// it said another model's words. Pure functions over stored messages.
import type { ModelMessage } from 'ai';
import type { Message } from '../store/messages.ts';

/** Messages read back for a prompt: enough for a conversation's thread, bounded so a request never loads it all. */
export const HISTORY_MESSAGE_LIMIT = 100;
/** A rough characters-per-token ratio, only to keep the prompt inside the model's context window. */
const CHARACTERS_PER_TOKEN = 4;

export type Speaker = { modelId: string; name: string };

/** The text of a stored message: its text parts joined, else its plain content. */
export function messageText(message: Pick<Message, 'parts' | 'content'>): string {
  const texts = message.parts.flatMap((part) =>
    part.type === 'text' && typeof part.text === 'string' ? [part.text] : [],
  );
  return texts.length > 0 ? texts.join('') : (message.content ?? '');
}

/**
 * The prompt for one model from oldest-first history. Failed or empty replies are left out; replies by other
 * models become attributed user turns.
 */
export function promptForModel(
  history: Message[],
  speaker: Speaker,
  modelNames: ReadonlyMap<string, string>,
): ModelMessage[] {
  const prompt: ModelMessage[] = [];
  for (const message of history) {
    const text = messageText(message);
    if (!text.trim()) continue;
    if (message.role === 'user') prompt.push({ role: 'user', content: text });
    else if (message.role === 'system') prompt.push({ role: 'system', content: text });
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

/** Drops the oldest turns until the prompt fits the context window (keeping at least the newest turn). */
export function fitToContextWindow(prompt: ModelMessage[], contextWindowTokens: number, reservedTokens: number) {
  const budget = Math.max(0, contextWindowTokens - reservedTokens) * CHARACTERS_PER_TOKEN;
  const sizes = prompt.map((message) => (typeof message.content === 'string' ? message.content.length : 1_000));
  let total = sizes.reduce((sum, size) => sum + size, 0);
  let start = 0;
  while (total > budget && start < prompt.length - 1) total -= sizes[start++]!;
  return prompt.slice(start);
}
