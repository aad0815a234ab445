// No model hears of a person's message before the message is saved: a reply's model, wrapped here, waits for the
// save only at the moment it would send its request. So the rest of the call's set-up (the prompt, the AI SDK's own
// work) overlaps the database's (docs/performance.md), and a message that fails to save never reaches a provider.
import type { LanguageModelV4 } from '@ai-sdk/provider';
import { wrapLanguageModel } from 'ai';

/** `model`, whose calls go out only once `saved` fulfils, and never if it rejects (the call fails with its error). */
export function callableOnceSaved(model: LanguageModelV4, saved: Promise<unknown>): LanguageModelV4 {
  return wrapLanguageModel({
    model,
    middleware: {
      specificationVersion: 'v4',
      wrapStream: async ({ doStream }) => {
        await saved;
        return doStream();
      },
    },
  });
}
