// No model hears of a person's message before it is saved: a model wrapped with callableOnceSaved is called (its
// doStream) only once the save has fulfilled, and never when it rejects; the call then fails with the save's error.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LanguageModelV4, LanguageModelV4CallOptions } from '@ai-sdk/provider';
import { streamText } from 'ai';
import { callableOnceSaved } from '../../src/chat/saved-before-call.ts';
import { createOfflineModel } from '../../src/providers/offline-model.ts';

/** The offline model, counting the calls it is sent. */
function countingModel(): { model: LanguageModelV4; calls: () => number } {
  const offline = createOfflineModel();
  let calls = 0;
  const model: LanguageModelV4 = {
    specificationVersion: 'v4',
    provider: offline.provider,
    modelId: offline.modelId,
    supportedUrls: {},
    doGenerate: (options: LanguageModelV4CallOptions) => offline.doGenerate(options),
    doStream: (options: LanguageModelV4CallOptions) => {
      calls += 1;
      return offline.doStream(options);
    },
  };
  return { model, calls: () => calls };
}

/** A save that settles when the test says. */
function pendingSave() {
  let fulfil!: () => void;
  let reject!: (error: Error) => void;
  const saved = new Promise<void>((resolve, fail) => {
    fulfil = resolve;
    reject = fail;
  });
  return { saved, fulfil, reject };
}

const turnsOfTheEventLoop = async (count: number) => {
  for (let turn = 0; turn < count; turn++) await new Promise((resolve) => setImmediate(resolve));
};

describe('a reply model is called only once the message is saved', () => {
  test('the provider is not called while the save is under way, and is once it is done', async () => {
    const { model, calls } = countingModel();
    const save = pendingSave();
    const result = streamText({
      model: callableOnceSaved(model, save.saved),
      prompt: 'saved first?',
      onError: () => {},
    });
    const text = result.text;
    await turnsOfTheEventLoop(20);
    assert.equal(calls(), 0, 'nothing is sent while the message is being saved');
    save.fulfil();
    assert.match(await text, /You wrote:\s+saved first\?/);
    assert.equal(calls(), 1);
  });

  test('when the save fails the provider is never called, and the call fails with the save’s error', async () => {
    const { model, calls } = countingModel();
    const save = pendingSave();
    const errors: unknown[] = [];
    const result = streamText({
      model: callableOnceSaved(model, save.saved),
      prompt: 'never sent on',
      maxRetries: 2,
      onError: ({ error }) => void errors.push(error),
    });
    save.reject(new Error('the message could not be saved'));
    const parts: string[] = [];
    for await (const part of result.fullStream) parts.push(part.type);
    assert.ok(parts.includes('error'), `the stream fails: ${parts.join(', ')}`);
    assert.match(String(errors[0]), /the message could not be saved/);
    assert.equal(calls(), 0);
  });
});
