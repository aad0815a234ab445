// A table's COPY text as it passes: its SHA-256 and its row count (a line each: COPY's text format escapes the
// newlines inside values, so every newline byte ends a row).
import { createHash } from 'node:crypto';

export type TableDigest = { rows: number; sha256: string };

export function digestingStream(
  data: AsyncIterable<Uint8Array>,
  onChunk: (rowsSoFar: number) => void = () => {},
): { chunks: AsyncIterable<Uint8Array>; digest(): TableDigest } {
  const hash = createHash('sha256');
  let rows = 0;
  async function* chunks() {
    for await (const chunk of data) {
      const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      hash.update(bytes);
      for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, at + 1)) rows++;
      onChunk(rows);
      yield bytes;
    }
  }
  let sha256: string | undefined;
  return {
    chunks: chunks(),
    digest: () => {
      sha256 ??= hash.digest('hex');
      return { rows, sha256 };
    },
  };
}
