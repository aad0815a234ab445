// A request's `Range: bytes=…` header against a file's size: which bytes to send (RFC 9110 §14). One range is served;
// several at once, or a header that is not a byte range, are ignored and the whole file is sent, as the RFC allows.
// `If-Range` asks for the range only if the file is still the one the client has part of. Pure functions.

export type RangeAnswer =
  | { kind: 'whole' }
  | { kind: 'partial'; start: number; end: number }
  /** Answered 416, with `Content-Range: bytes *\/size`. */
  | { kind: 'unsatisfiable' };

const WHOLE: RangeAnswer = { kind: 'whole' };

export function answerRange(
  headers: { range?: string; ifRange?: string },
  file: { size: number; etag: string },
): RangeAnswer {
  const { range, ifRange } = headers;
  if (range === undefined) return WHOLE;
  // A date in If-Range cannot name these files' versions (their ETags do): the whole file is the safe answer.
  if (ifRange !== undefined && ifRange.trim() !== file.etag) return WHOLE;
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(range);
  if (!match || (match[1] === '' && match[2] === '')) return WHOLE;
  const size = file.size;
  if (match[1] === '') {
    // The last N bytes.
    const suffix = Number(match[2]);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  // A last byte before the first makes the header invalid, and an invalid header is ignored.
  if (match[2] !== '' && Number(match[2]) < start) return WHOLE;
  if (start >= size) return { kind: 'unsatisfiable' };
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  return { kind: 'partial', start, end };
}
