// The file of a multipart/form-data upload, read as its bytes arrive: the part's headers are parsed, and its content
// is handed on as a stream that ends where the part does, so an upload of any size passes through in small chunks
// (a whole-form parser would hold it all in memory first). Other fields before the file are skipped.
import { AppError } from '../errors.ts';

export type FormFile = {
  /** The file name the client gave (as sent: clean it before showing it). */
  fileName: string;
  /** The part's Content-Type, '' when it gave none. */
  declaredType: string;
  /** The file's bytes; it ends once the rest of the form has been read too. */
  body: ReadableStream<Uint8Array>;
};

const CRLF = Buffer.from('\r\n');
/** Bounds on what precedes the content, where nothing legitimate is large. */
const MAX_PREAMBLE_BYTES = 64 * 1024;
const MAX_HEADER_LINE_BYTES = 8 * 1024;
const MAX_HEADER_LINES = 32;

const malformed = (why: string) =>
  new AppError('invalid_input', `the upload is not a well-formed multipart form: ${why}`);

/** The boundary a multipart/form-data Content-Type names, or null when it is some other type. */
export function formBoundary(contentType: string | undefined): string | null {
  if (!contentType || !/^multipart\/form-data\s*(;|$)/i.test(contentType)) return null;
  const match = /;\s*boundary\s*=\s*(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i.exec(contentType);
  return match ? (match[1] ?? match[2]!) : null;
}

/**
 * The file in the form's field `fieldName`, or null when the form has no file there. Throws invalid_input for a form
 * that is not well formed (here, or later from the file's stream when the form breaks off inside it).
 */
export async function openFormFile(
  body: ReadableStream<Uint8Array>,
  boundary: string,
  fieldName: string,
): Promise<FormFile | null> {
  const scanner = new ByteScanner(body.getReader());
  const dashBoundary = Buffer.from(`--${boundary}`);
  const partEnd = Buffer.concat([CRLF, dashBoundary]);
  try {
    if ((await scanner.readUntil(dashBoundary, MAX_PREAMBLE_BYTES)) === null) throw malformed('no boundary found');
    for (;;) {
      // What follows a boundary on its line: `--` after the last part, else nothing (or padding).
      const rest = await scanner.readUntil(CRLF, MAX_HEADER_LINE_BYTES);
      if (rest === null || rest.toString('latin1').startsWith('--')) break;
      const headers = await readPartHeaders(scanner);
      const disposition = parseDisposition(headers.get('content-disposition') ?? '');
      if (disposition.name === fieldName && disposition.fileName !== undefined) {
        return {
          fileName: disposition.fileName,
          declaredType: headers.get('content-type') ?? '',
          body: ReadableStream.from(scanner.contentThenRest(partEnd)),
        };
      }
      for await (const _ of scanner.streamUntil(partEnd)) {
        // Another field's content: skipped (the request's size limit bounds it).
      }
    }
    await scanner.cancel();
    return null;
  } catch (error) {
    await scanner.cancel();
    throw error;
  }
}

async function readPartHeaders(scanner: ByteScanner): Promise<Map<string, string>> {
  const headers = new Map<string, string>();
  for (let count = 0; count <= MAX_HEADER_LINES; count++) {
    const line = await scanner.readUntil(CRLF, MAX_HEADER_LINE_BYTES);
    if (line === null) throw malformed('it ends inside a part’s headers');
    if (line.length === 0) return headers;
    const text = line.toString('utf8');
    const colon = text.indexOf(':');
    if (colon > 0) headers.set(text.slice(0, colon).trim().toLowerCase(), text.slice(colon + 1).trim());
  }
  throw malformed(`a part has more than ${MAX_HEADER_LINES} headers`);
}

/** A part's field name and file name from `form-data; name="file"; filename="a.png"` (or `filename*=UTF-8''…`). */
export function parseDisposition(header: string): { name?: string; fileName?: string } {
  const parameters = new Map<string, string>();
  for (const match of header.matchAll(/;\s*([^\s=;]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g)) {
    const value = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3]!.trim();
    parameters.set(match[1]!.toLowerCase(), value);
  }
  const extended = parameters.get('filename*');
  let fileName = parameters.get('filename');
  if (extended) {
    const encoded = /^utf-8''(.*)$/i.exec(extended);
    try {
      if (encoded) fileName = decodeURIComponent(encoded[1]!);
    } catch {
      // A malformed extended name: the plain one, if any, stands.
    }
  }
  return { name: parameters.get('name'), fileName };
}

/** Reads a stream of bytes up to delimiters, holding only what has not been handed on yet. */
class ByteScanner {
  private buffer: Buffer = Buffer.alloc(0);
  private ended = false;

  constructor(private readonly reader: ReadableStreamDefaultReader<Uint8Array>) {}

  /** The bytes before the delimiter (it is consumed too), at most maxBytes of them; null when the input ends first. */
  async readUntil(delimiter: Buffer, maxBytes: number): Promise<Buffer | null> {
    for (;;) {
      const at = this.buffer.indexOf(delimiter);
      if (at >= 0) {
        const found = this.buffer.subarray(0, at);
        this.buffer = this.buffer.subarray(at + delimiter.length);
        return found;
      }
      if (this.buffer.length > maxBytes + delimiter.length)
        throw malformed(`more than ${maxBytes} bytes before a delimiter`);
      if (!(await this.more())) return null;
    }
  }

  /** The bytes before the delimiter as they arrive (it is consumed too); throws when the input ends first. */
  async *streamUntil(delimiter: Buffer): AsyncGenerator<Uint8Array> {
    for (;;) {
      const at = this.buffer.indexOf(delimiter);
      if (at >= 0) {
        const content = this.buffer.subarray(0, at);
        this.buffer = this.buffer.subarray(at + delimiter.length);
        if (content.length > 0) yield content;
        return;
      }
      // All but a tail that could be the start of the delimiter is certainly content.
      const certain = this.buffer.length - (delimiter.length - 1);
      if (certain > 0) {
        const content = this.buffer.subarray(0, certain);
        this.buffer = this.buffer.subarray(certain);
        yield content;
      }
      if (!(await this.more())) throw malformed('it ends before the file does');
    }
  }

  /**
   * A part's content, then the rest of the form read and dropped: the stream ends when the request has been read
   * whole, so the reply never races a body still being sent.
   */
  async *contentThenRest(delimiter: Buffer): AsyncGenerator<Uint8Array> {
    try {
      yield* this.streamUntil(delimiter);
      this.buffer = Buffer.alloc(0);
      while (await this.more()) this.buffer = Buffer.alloc(0);
    } finally {
      if (!this.ended) await this.cancel();
    }
  }

  async cancel(): Promise<void> {
    this.ended = true;
    await this.reader.cancel().catch(() => {});
  }

  private async more(): Promise<boolean> {
    if (this.ended) return false;
    const read = await this.reader.read();
    if (read.done) {
      this.ended = true;
      return false;
    }
    const chunk = Buffer.from(read.value.buffer, read.value.byteOffset, read.value.byteLength);
    this.buffer = this.buffer.length > 0 ? Buffer.concat([this.buffer, chunk]) : chunk;
    return true;
  }
}
