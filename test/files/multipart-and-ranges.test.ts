// Reading an upload's file out of a multipart form as it streams in, and answering a Range header: pure pieces of
// the file routes, checked on awkward input (bytes split anywhere, other fields first, odd headers).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { answerRange } from '../../src/http/byte-ranges.ts';
import { formBoundary, openFormFile, parseDisposition } from '../../src/http/multipart-file.ts';

/** The text as a stream of chunks of `size` bytes, so delimiters fall across chunk edges. */
const inChunks = (text: string | Uint8Array, size: number) => {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + size));
      offset += size;
    },
  });
};
const textOf = async (body: ReadableStream<Uint8Array>) =>
  new TextDecoder().decode(await new Response(body).arrayBuffer());

const FORM = [
  '--b0undary\r\n',
  'Content-Disposition: form-data; name="note"\r\n\r\n',
  'a field before the file, holding --b0undar but not the boundary\r\n',
  '--b0undary\r\n',
  'Content-Disposition: form-data; name="file"; filename="r\\"esum\u00e9.pdf"\r\n',
  'Content-Type: application/pdf\r\n\r\n',
  '%PDF-1.7 line one\r\nline two --b0undar\r\n--b0undar still content',
  '\r\n--b0undary--\r\n',
].join('');

describe('reading the file of a multipart form as it streams', () => {
  test('the file part is found after other fields, whatever size the chunks come in', async () => {
    for (const size of [1, 2, 3, 7, 64, 100_000]) {
      const form = await openFormFile(inChunks(FORM, size), 'b0undary', 'file');
      assert.equal(form?.fileName, 'r"esumé.pdf', `chunks of ${size}`);
      assert.equal(form?.declaredType, 'application/pdf');
      assert.equal(await textOf(form!.body), '%PDF-1.7 line one\r\nline two --b0undar\r\n--b0undar still content');
    }
  });

  test('binary content passes unchanged, CR and LF bytes and all, even what nearly is a delimiter', async () => {
    const content = Uint8Array.from({ length: 70_000 }, (_, index) => [13, 10, 45, 45, index % 256][index % 5]!);
    const head = new TextEncoder().encode(
      '--xy\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\n\r\n',
    );
    const tail = new TextEncoder().encode('\r\n--xy--\r\n');
    const form = await openFormFile(inChunks(Buffer.concat([head, content, tail]), 4096), 'xy', 'file');
    const received = Buffer.from(await new Response(form!.body).arrayBuffer());
    assert.ok(received.equals(content), `${received.length} bytes came of ${content.length}`);
  });

  test('a form without the file is null; a field of that name that is not a file does not count', async () => {
    const noFile = '--x\r\nContent-Disposition: form-data; name="file"\r\n\r\njust text\r\n--x--\r\n';
    assert.equal(await openFormFile(inChunks(noFile, 5), 'x', 'file'), null);
    assert.equal(await openFormFile(inChunks('--x--\r\n', 5), 'x', 'file'), null);
  });

  test('a form that is not one, or breaks off, is refused as invalid input', async () => {
    await assert.rejects(openFormFile(inChunks('no boundary anywhere', 4), 'x', 'file'), /no boundary found/);
    await assert.rejects(
      openFormFile(inChunks('--x\r\nContent-Disposition: form-data; name="file"', 4), 'x', 'file'),
      /ends inside a part/,
    );
    const cut = await openFormFile(
      inChunks('--x\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nsome bytes', 4),
      'x',
      'file',
    );
    await assert.rejects(textOf(cut!.body), /ends before the file does/);
  });

  test('the boundary comes from the Content-Type, quoted or not; other types have none', () => {
    assert.equal(formBoundary('multipart/form-data; boundary=----WebKitFormBoundaryAbc'), '----WebKitFormBoundaryAbc');
    assert.equal(formBoundary('Multipart/Form-Data; charset=utf-8; boundary="a b:c"'), 'a b:c');
    assert.equal(formBoundary('application/json'), null);
    assert.equal(formBoundary('multipart/form-data'), null);
    assert.equal(formBoundary(undefined), null);
    assert.deepEqual(parseDisposition(`form-data; name=file; filename*=UTF-8''na%C3%AFve.png; filename="x.png"`), {
      name: 'file',
      fileName: 'naïve.png',
    });
  });
});

describe('answering a Range header', () => {
  const file = { size: 1_000, etag: '"abc"' };
  test('one range: from-to, from, the last N; its end is cut at the last byte', () => {
    assert.deepEqual(answerRange({ range: 'bytes=0-99' }, file), { kind: 'partial', start: 0, end: 99 });
    assert.deepEqual(answerRange({ range: 'bytes=900-' }, file), { kind: 'partial', start: 900, end: 999 });
    assert.deepEqual(answerRange({ range: 'bytes=-100' }, file), { kind: 'partial', start: 900, end: 999 });
    assert.deepEqual(answerRange({ range: 'bytes=-5000' }, file), { kind: 'partial', start: 0, end: 999 });
    assert.deepEqual(answerRange({ range: 'bytes=990-5000' }, file), { kind: 'partial', start: 990, end: 999 });
  });
  test('past the end, or nothing of it, is unsatisfiable; an empty file has no range', () => {
    assert.deepEqual(answerRange({ range: 'bytes=1000-' }, file), { kind: 'unsatisfiable' });
    assert.deepEqual(answerRange({ range: 'bytes=-0' }, file), { kind: 'unsatisfiable' });
    assert.deepEqual(answerRange({ range: 'bytes=0-' }, { size: 0, etag: '"e"' }), { kind: 'unsatisfiable' });
  });
  test('no header, several ranges, other units, bad syntax or a stale If-Range: the whole file', () => {
    for (const range of [undefined, 'bytes=0-1,4-5', 'items=0-1', 'bytes=9-2', 'bytes=-', 'bytes=a-b']) {
      assert.deepEqual(answerRange({ range }, file), { kind: 'whole' }, range);
    }
    assert.deepEqual(answerRange({ range: 'bytes=0-9', ifRange: '"old"' }, file), { kind: 'whole' });
    assert.deepEqual(answerRange({ range: 'bytes=0-9', ifRange: '"abc"' }, file), {
      kind: 'partial',
      start: 0,
      end: 9,
    });
  });
});
