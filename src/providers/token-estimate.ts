// A rough token count for text no tokenizer has seen: the offline model reports usage with it, and the
// fake provider in tests uses the same rule so numbers agree across both.
import type { LanguageModelV4Prompt } from '@ai-sdk/provider';

/** About four characters per token, the usual rule of thumb for English with GPT-style tokenizers. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** The text a prompt carries (system text, text parts, tool inputs and outputs as JSON), in order. */
export function promptText(prompt: LanguageModelV4Prompt): string {
  return prompt
    .map((message) => {
      if (message.role === 'system') return message.content;
      return message.content
        .map((part) => {
          if (part.type === 'text' || part.type === 'reasoning') return part.text;
          if (part.type === 'tool-call') return JSON.stringify(part.input);
          if (part.type === 'tool-result') return JSON.stringify(part.output);
          return '';
        })
        .join('');
    })
    .join('\n');
}
