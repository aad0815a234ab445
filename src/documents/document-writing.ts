// A model writing for a document tool: the instructions for each kind (text, code, a sheet as CSV) and for a
// revision, and the call that streams what the model writes to whoever shows it, returning the whole.
import type { ModelMessage } from 'ai';
import { asLanguageModelUsage } from 'ai/internal';
import type { models } from '../db/schema/index.ts';
import { type TokenUsage, tokenUsageFromLanguageModelUsage } from '../models/pricing.ts';
import type { ProviderRegistry } from '../providers/index.ts';
import { streamLanguageModel } from '../providers/model-stream.ts';
import type { DocumentKind } from '../store/documents.ts';

const INSTRUCTIONS: Record<DocumentKind, string> = {
  text: 'Write about the given topic. Markdown is supported; use headings where they help. Answer with the document only.',
  code: 'Write a complete, self-contained piece of code for the given request, with short comments where useful. Answer with the code only, without Markdown fences.',
  sheet:
    'Create a spreadsheet for the given request, in CSV with a header row and meaningful columns. Answer with the CSV only.',
  image: 'Describe the requested image in words. Answer with the description only.',
};

/** What a document tool asks its model for: a new document's content, a revision, or suggestions. */
export type ModelWriting = {
  providers: ProviderRegistry;
  model: typeof models.$inferSelect;
  instructions: string;
  request: string;
  abortSignal: AbortSignal;
};

/** The instructions for writing a document of `kind`, or for revising `current`. */
export function documentInstructions(kind: DocumentKind, current?: string): string {
  if (current === undefined) return INSTRUCTIONS[kind];
  return `${INSTRUCTIONS[kind]}\nRevise the following document as asked, keeping what is not asked to change:\n\n${current}`;
}

/** The model's text, each piece given to `onText` as it comes; with the tokens it took. */
export async function writeWithModel(
  writing: ModelWriting,
  onText: (text: string) => void = () => {},
): Promise<{ text: string; usage: Required<TokenUsage> }> {
  const { providers, model, instructions, request, abortSignal } = writing;
  const messages: ModelMessage[] = [{ role: 'user', content: request }];
  const stream = await streamLanguageModel(providers.languageModel(model), {
    instructions,
    messages,
    maxOutputTokens: model.maxOutputTokens ?? undefined,
    maxRetries: providers.callSettings.maxRetries,
    abortSignal,
  });
  let text = '';
  let usage = tokenUsageFromLanguageModelUsage(undefined);
  for await (const part of stream) {
    if (part.type === 'text-delta') {
      text += part.delta;
      onText(part.delta);
    } else if (part.type === 'finish') usage = tokenUsageFromLanguageModelUsage(asLanguageModelUsage(part.usage));
    else if (part.type === 'error') throw part.error;
  }
  return { text, usage };
}
