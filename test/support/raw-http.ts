// HTTP/1.1 written by hand on a socket, for what fetch cannot send: a declared body that never comes, a body in
// chunks sent one at a time while the answer is awaited, headers past the server's limit. The answer is parsed as
// soon as it is whole, whatever happens to the connection afterwards.
import net from 'node:net';

export type RawHttpAnswer = { status: number; headers: Record<string, string>; body: string; json: any };

export type RawHttpExchange = {
  /** Resolves with the answer once it is whole. */
  answer: Promise<RawHttpAnswer>;
  /**
   * The answer, or a failure naming `waitingFor` if none came after `ms`: for a server that must answer without
   * waiting for the rest of a request, whose test would otherwise hang. The connection is closed either way.
   */
  answerUnlessWaitingFor(waitingFor: string, ms?: number): Promise<RawHttpAnswer>;
  /** Whether the answer has arrived (whole) yet. */
  answered(): boolean;
  /** Writes to the socket; resolves once the bytes are handed to the kernel, or at once if the socket is gone. */
  write(data: string | Uint8Array): Promise<void>;
  close(): void;
};

/** Opens a connection to `baseUrl` and sends `head` (request line and headers, up to the blank line) at once. */
export function openRawHttp(baseUrl: string, head: string): RawHttpExchange {
  const { hostname, port } = new URL(baseUrl);
  const socket = net.connect({ host: hostname, port: Number(port) });
  let received = Buffer.alloc(0);
  let parsed: RawHttpAnswer | null = null;
  const answer = new Promise<RawHttpAnswer>((resolve, reject) => {
    socket.on('data', (data: Buffer) => {
      received = Buffer.concat([received, data]);
      parsed ??= parseAnswer(received);
      if (parsed) resolve(parsed);
    });
    // A server that refuses a body mid-way may reset the connection after its answer: only an unanswered end fails.
    const ended = (error?: Error) => {
      parsed ??= parseAnswer(received, { ended: true });
      if (parsed) resolve(parsed);
      else
        reject(
          error ??
            new Error(`the connection ended without a whole answer: ${received.toString('latin1').slice(0, 300)}`),
        );
    };
    socket.on('error', ended);
    socket.on('close', () => ended());
  });
  answer.catch(() => {});
  socket.write(head);
  return {
    answer,
    answerUnlessWaitingFor: async (waitingFor, ms = 10_000) => {
      let timer: NodeJS.Timeout | undefined;
      const gaveUp = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer after ${ms} ms: the server is waiting for ${waitingFor}`)),
          ms,
        );
      });
      try {
        return await Promise.race([answer, gaveUp]);
      } finally {
        clearTimeout(timer);
        socket.destroy();
      }
    },
    answered: () => parsed !== null,
    write: (data) =>
      new Promise((resolve) => {
        if (socket.destroyed || !socket.writable) return resolve();
        socket.write(data, () => resolve());
      }),
    close: () => socket.destroy(),
  };
}

function parseAnswer(bytes: Buffer, { ended = false } = {}): RawHttpAnswer | null {
  const headEnd = bytes.indexOf('\r\n\r\n');
  if (headEnd < 0) return null;
  const [statusLine, ...headerLines] = bytes.subarray(0, headEnd).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = bytes.subarray(headEnd + 4);
  const length = headers['content-length'];
  if (length !== undefined ? rest.length < Number(length) : !ended) return null;
  const body = rest.subarray(0, length !== undefined ? Number(length) : rest.length).toString('utf8');
  const json = headers['content-type']?.includes('json') && body ? JSON.parse(body) : null;
  return { status: Number(statusLine!.split(' ')[1]), headers, body, json };
}

/** One chunk of a `Transfer-Encoding: chunked` body; an empty one ends the body. */
export const httpChunk = (data: string) => `${Buffer.byteLength(data).toString(16)}\r\n${data}\r\n`;
