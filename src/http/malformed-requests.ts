// Requests Node's HTTP parser refuses before the app sees them (headers too large, not HTTP at all, too slow to
// arrive) are answered in the API's one error shape too, where Node itself would send a bare status line.
import { maxHeaderSize, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { ERROR_STATUS, type ErrorCode } from '../errors.ts';
import type { ErrorBody } from './errors.ts';
import { BASELINE_RESPONSE_HEADERS } from './security-headers.ts';

type Refusal = { code: ErrorCode; message: string };

/** By the parser's error code, as Node's own answers go (431, 413, 408; 400 for the rest). */
const REFUSALS: Record<string, Refusal> = {
  HPE_HEADER_OVERFLOW: {
    code: 'headers_too_large',
    message: `the request's headers (its cookies, its URL) are larger than the ${maxHeaderSize} bytes the server reads`,
  },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: {
    code: 'payload_too_large',
    message: 'the chunk extensions of the request body are too large',
  },
  ERR_HTTP_REQUEST_TIMEOUT: { code: 'request_timeout', message: 'the request took too long to arrive' },
};
const NOT_HTTP: Refusal = { code: 'invalid_input', message: 'the request is not valid HTTP/1.1' };

const baselineHeaderLines = BASELINE_RESPONSE_HEADERS.map(([name, value]) => `${name}: ${value}\r\n`).join('');

/** The server's `clientError` listener: answers, then closes the connection (its parser cannot go on). */
export function answerMalformedRequest(error: Error & { code?: string }, socket: Duplex): void {
  // Node's own rule: no answer on a connection that is gone, or in the middle of another response already begun.
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const { code, message } = REFUSALS[error.code ?? ''] ?? NOT_HTTP;
  const status = ERROR_STATUS[code];
  const body = JSON.stringify({ error: { code, message } } satisfies ErrorBody);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\n${baselineHeaderLines}connection: close\r\n\r\n${body}`,
    () => socket.destroy(),
  );
}
