// A document written through createDocument against a plain reply of the same text, in the same run: a model on the
// fake provider streams DOCUMENT_BENCH_CHUNKS chunks (default 20,000) either as its reply's text or as the content of
// the document it creates, and the client counts the provider's chunks it receives a second, from the first piece
// of text to the last (text deltas for the reply, `data-tool-progress` parts for the document). Target: the
// document streams at ≥ 0.8× the plain reply. Chorus runs in this process on embedded PGlite.
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { parseJsonEventStream, uiMessageChunkSchema } from 'ai';
import { startToolChat, type ToolChat, WRITER } from '../test/support/tool-chat.ts';
import { formatNumber, printTable, summarize } from './support/measure.ts';

const CHUNKS = Number(process.env.DOCUMENT_BENCH_CHUNKS ?? 20_000);
const CHUNK_SIZE = 4;
const RUNS = { warmup: 1, runs: 5 };
const TARGET_RATIO = 0.8;
/** Four characters a chunk, none of them a space, so the text is exactly CHUNKS chunks long. */
const TEXT = 'abcd'.repeat(CHUNKS);

type Kind = 'reply' | 'document';

/** Sends one message and reads its stream: the characters of streamed text and when the first and last came. */
async function streamed(chat: ToolChat, kind: Kind): Promise<number> {
  const response = await chat.browser.open(
    'POST',
    '/api/chat',
    JSON.stringify({
      id: crypto.randomUUID(),
      messages: [{ id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text: 'Write' }] }],
      modelIds: [WRITER],
    }),
  );
  assert.equal(response.status, 200);
  let first: number | undefined;
  let last = 0;
  let characters = 0;
  const chunks = parseJsonEventStream({ stream: response.body!, schema: uiMessageChunkSchema });
  for await (const result of chunks) {
    if (!result.success) throw result.error;
    const chunk = result.value;
    const text =
      kind === 'reply' && chunk.type === 'text-delta'
        ? chunk.delta
        : kind === 'document' && chunk.type === 'data-tool-progress'
          ? (chunk.data as { text: string }).text
          : '';
    if (!text) continue;
    first ??= performance.now();
    last = performance.now();
    characters += text.length;
  }
  assert.equal(characters, TEXT.length, `${kind}: the whole text arrived`);
  return (CHUNKS / (last - first!)) * 1000;
}

function script(chat: ToolChat, kind: Kind) {
  if (kind === 'reply') return chat.fake.scriptNextRequest({ reply: TEXT, chunkSize: CHUNK_SIZE }, 'writer');
  chat.fake.scriptNextRequest(
    { reply: '', toolCalls: [{ id: 'call_bench', name: 'createDocument', input: { title: 'Bench', kind: 'text' } }] },
    'writer',
  );
  chat.fake.scriptNextRequest({ reply: TEXT, chunkSize: CHUNK_SIZE }, 'writer');
  chat.fake.scriptNextRequest({ reply: 'Done.' }, 'writer');
}

export async function runDocumentsBench() {
  const chat = await startToolChat('pglite', { CHORUS_MAX_REPLY_CHARS: String(TEXT.length * 2) });
  try {
    const rates: Record<Kind, number[]> = { reply: [], document: [] };
    for (let round = 0; round < RUNS.warmup + RUNS.runs; round++) {
      // Alternating which goes first, so both see the same noise.
      const order: Kind[] = round % 2 === 0 ? ['reply', 'document'] : ['document', 'reply'];
      for (const kind of order) {
        script(chat, kind);
        const rate = await streamed(chat, kind);
        if (round >= RUNS.warmup) rates[kind].push(rate);
      }
    }
    const reply = summarize(rates.reply).p50;
    const document = summarize(rates.document).p50;
    const ratio = document / reply;
    printTable(
      `A document of ${formatNumber(CHUNKS)} chunks through createDocument, beside a plain reply of the same chunks (median of ${RUNS.runs})`,
      ['stream', 'chunks/s', 'ratio', 'target', 'verdict'],
      [
        ['plain reply (text deltas)', formatNumber(reply), '1.00', '', ''],
        [
          'createDocument (document text)',
          formatNumber(document),
          formatNumber(ratio, 2),
          `≥ ${TARGET_RATIO}`,
          ratio >= TARGET_RATIO ? 'PASS' : 'MISS',
        ],
      ],
    );
  } finally {
    await chat.close();
  }
}
