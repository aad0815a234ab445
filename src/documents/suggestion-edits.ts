// Suggested edits as text: what a model is asked for, how its answer is read, and how an accepted one changes the
// document. Pure functions.
import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { NewSuggestion } from '../store/documents.ts';

/** The most suggestions one request saves. */
export const MAX_SUGGESTIONS = 10;

export const SUGGESTION_INSTRUCTIONS = `You are a writing assistant. Given a document, suggest up to ${MAX_SUGGESTIONS} improvements. \
Each changes one full sentence or line, quoted exactly as it appears. Answer with a JSON array only, each element \
{"originalText": "...", "suggestedText": "...", "description": "..."}.`;

const suggestionList = z
  .array(
    z.object({
      originalText: z.string().min(1),
      suggestedText: z.string(),
      description: z.string().nullish(),
    }),
  )
  .max(MAX_SUGGESTIONS * 2);

/**
 * The suggestions in a model's answer (the JSON array, wherever it sits in the text), keeping only those whose
 * original text is in the document; throws when the answer holds no such array.
 */
export function readSuggestions(answer: string, content: string): NewSuggestion[] {
  const start = answer.indexOf('[');
  const end = answer.lastIndexOf(']');
  let parsed: unknown;
  try {
    parsed = start >= 0 && end > start ? JSON.parse(answer.slice(start, end + 1)) : undefined;
  } catch {
    parsed = undefined;
  }
  const list = suggestionList.safeParse(parsed);
  if (!list.success) throw new Error('the model did not answer with a list of suggestions');
  return list.data
    .filter((suggestion) => content.includes(suggestion.originalText))
    .slice(0, MAX_SUGGESTIONS)
    .map(({ originalText, suggestedText, description }) => ({
      originalText,
      suggestedText,
      description: description ?? null,
    }));
}

/** The content with the suggestion applied (its first occurrence); a conflict when its text is no longer there. */
export function applySuggestion(content: string, suggestion: Pick<NewSuggestion, 'originalText' | 'suggestedText'>) {
  const at = content.indexOf(suggestion.originalText);
  if (at < 0) throw new AppError('conflict', 'the text this suggestion changes is no longer in the document');
  return content.slice(0, at) + suggestion.suggestedText + content.slice(at + suggestion.originalText.length);
}
