import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError } from '../../src/errors.ts';
import { OFFLINE_MODEL, readCatalog } from '../../src/models/catalog.ts';
import { modelSchema } from '../../src/models/model-schema.ts';
import {
  applyModelUpdate,
  diffModelStates,
  parseModelState,
  parseModelUpdate,
  toModelState,
} from '../../src/registry/model-changes.ts';
import { planImport, validateImport } from '../../src/registry/model-import.ts';
import { unitsToUsd, usdToUnits } from '../../src/registry/repricing.ts';
import { decodeModelCursor, encodeModelCursor } from '../../src/store/model-listing.ts';

const gpt = () =>
  parseModelState({
    id: 'openai:gpt-x',
    provider: 'openai',
    providerModelId: 'gpt-x',
    name: 'GPT X',
    contextWindow: 128_000,
    pricing: { input: 2.5, output: 10, cacheRead: 1.25 },
    capabilities: ['tools', 'vision'],
  });

const problemsOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof AppError);
    assert.equal(error.code, 'invalid_input');
    return error.details as { index?: number | null; field: string; message: string }[];
  }
  assert.fail('expected invalid_input');
};

describe('a model state', () => {
  test('spells out every optional field as null, defaults applied, capabilities in canonical order', () => {
    const state = gpt();
    assert.equal(state.displayName, null);
    assert.equal(state.maxOutputTokens, null);
    assert.equal(state.status, 'active');
    assert.equal(state.openWeights, false);
    assert.equal(state.sortOrder, 0);
    assert.deepEqual(state.capabilities, ['vision', 'tools']);
    assert.deepEqual(Object.keys(state), Object.keys(modelSchema.shape));
  });

  test('a stored row and the definition it came from have the same state', () => {
    const definition = modelSchema.parse({ ...OFFLINE_MODEL });
    const row = {
      ...definition,
      displayName: definition.displayName ?? null,
      family: null,
      releaseDate: null,
      knowledgeCutoff: null,
      pricing: { input: 0, output: 0 },
      version: 7,
      createdAt: new Date(),
      updatedAt: new Date(),
    };
    assert.deepEqual(toModelState(row as never), {
      ...toModelState(definition),
      pricing: { input: 0, output: 0, cacheRead: null },
    });
  });
});

describe('field-level changes between two versions', () => {
  test('prices are compared one by one, under dotted paths', () => {
    const before = gpt();
    const after = { ...before, pricing: { ...before.pricing, input: 2 } };
    assert.deepEqual(diffModelStates(before, after), [{ field: 'pricing.input', oldValue: 2.5, newValue: 2 }]);
  });

  test('capabilities are one value; changes come in schema order; equal states have no changes', () => {
    const before = gpt();
    const after = { ...before, name: 'GPT X2', capabilities: ['vision' as const], maxOutputTokens: 4096 };
    assert.deepEqual(diffModelStates(before, after), [
      { field: 'name', oldValue: 'GPT X', newValue: 'GPT X2' },
      { field: 'maxOutputTokens', oldValue: null, newValue: 4096 },
      { field: 'capabilities', oldValue: ['vision', 'tools'], newValue: ['vision'] },
    ]);
    assert.deepEqual(diffModelStates(before, gpt()), []);
  });

  test('reordered capabilities are not a change', () => {
    const reordered = parseModelState({ ...gpt(), capabilities: ['tools', 'vision', 'tools'] });
    assert.deepEqual(diffModelStates(gpt(), reordered), []);
  });
});

describe('a partial update', () => {
  test('merges nested pricing: prices not named are kept', () => {
    const next = applyModelUpdate(gpt(), parseModelUpdate({ pricing: { output: 8 } }));
    assert.deepEqual(next.pricing, { input: 2.5, output: 8, cacheRead: 1.25 });
    assert.deepEqual(applyModelUpdate(gpt(), parseModelUpdate({ pricing: { cacheRead: null } })).pricing, {
      input: 2.5,
      output: 10,
      cacheRead: null,
    });
  });

  test('leaves unnamed fields alone (no defaults sneak in)', () => {
    const current = { ...gpt(), status: 'beta' as const, openWeights: true, sortOrder: 4 };
    const next = applyModelUpdate(current, parseModelUpdate({ description: 'Fast' }));
    assert.deepEqual(diffModelStates(current, next), [{ field: 'description', oldValue: null, newValue: 'Fast' }]);
  });

  test('refuses unknown fields and the id fields, and lists every bad field', () => {
    const problems = problemsOf(() =>
      parseModelUpdate({ id: 'openai:other', contextWindow: -1, pricing: { input: -2 }, capabilities: ['telepathy'] }),
    );
    const fields = problems.map((problem) => problem.field).sort();
    assert.deepEqual(fields, ['', 'capabilities.0', 'contextWindow', 'pricing.input']);
    assert.match(problems.find((problem) => problem.field === '')!.message, /id.*duplicate the model/);
  });

  test('a merged model that breaks the schema is refused', () => {
    assert.deepEqual(
      problemsOf(() => applyModelUpdate(gpt(), parseModelUpdate({ name: '   ' }))).map((problem) => problem.field),
      ['name'],
    );
  });
});

describe('validating an import', () => {
  test('every problem of every entry, each with its index and dotted field', () => {
    const good = { ...gpt() };
    const entries = [
      good,
      { ...good, id: 'openai:gpt-y', providerModelId: 'gpt-y', pricing: { input: -1, output: 'free' } },
      { ...good, id: 'openai:gpt-z', contextWindow: 0 },
      'not a model',
      good,
    ];
    const problems = problemsOf(() => validateImport(entries));
    assert.deepEqual(
      problems.map(({ index, field }) => `${index}:${field}`).sort(),
      ['1:pricing.input', '1:pricing.output', '2:contextWindow', '2:id', '3:', '4:id'].sort(),
    );
    assert.match(problems.find((problem) => problem.index === 4)!.message, /already entry 0/);
    assert.match(
      problems.find((problem) => problem.index === 2 && problem.field === 'id')!.message,
      /provider:providerModelId/,
    );
  });

  test('something other than an array is one problem of the document as a whole', () => {
    assert.deepEqual(
      problemsOf(() => validateImport({ models: [] })).map(({ index, field }) => ({ index, field })),
      [{ index: null, field: '' }],
    );
  });

  test('the shipped catalog is a valid import', () => {
    assert.equal(validateImport(readCatalog()).length, readCatalog().length);
  });
});

describe('planning an import', () => {
  test('new ids are created, changed ones updated with their changes, identical ones left alone', () => {
    const stored = { ...gpt(), version: 3, createdAt: new Date(), updatedAt: new Date() };
    const other = {
      ...gpt(),
      id: 'openai:gpt-o',
      providerModelId: 'gpt-o',
      version: 1,
      createdAt: new Date(),
      updatedAt: new Date(),
    };
    const plan = planImport(
      [stored, other],
      [
        { ...gpt(), id: 'openai:new', providerModelId: 'new' },
        { ...gpt(), pricing: { input: 1, output: 10, cacheRead: 1.25 } },
        toModelState(other),
      ],
    );
    assert.deepEqual(
      plan.create.map((state) => state.id),
      ['openai:new'],
    );
    assert.deepEqual(
      plan.update.map(({ next, changes }) => ({ id: next.id, changes })),
      [{ id: 'openai:gpt-x', changes: [{ field: 'pricing.input', oldValue: 2.5, newValue: 1 }] }],
    );
    assert.deepEqual(plan.unchanged, ['openai:gpt-o']);
  });
});

describe('small codecs', () => {
  test('list cursors round-trip and foreign ones are refused', () => {
    const key = { sortOrder: -1, id: 'openrouter:google/gemini:free' };
    assert.deepEqual(decodeModelCursor(encodeModelCursor(key)), key);
    assert.throws(() => decodeModelCursor('nonsense'), { code: 'invalid_input' });
    assert.throws(() => decodeModelCursor(Buffer.from('[1.5,"x"]').toString('base64url')), { code: 'invalid_input' });
  });

  test('USD amounts convert to exact 1e-10 units and back', () => {
    assert.equal(usdToUnits('0.0085050000'), 85_050_000n);
    assert.equal(usdToUnits(0.0000003), 3_000n);
    assert.equal(usdToUnits('1234567890.1234567891'), 12_345_678_901_234_567_891n);
    assert.equal(unitsToUsd(85_050_000n), 0.008505);
    assert.equal(unitsToUsd(-3_000n), -0.0000003);
    assert.equal(unitsToUsd(usdToUnits('0.1') + usdToUnits('0.2')), 0.3);
  });
});
