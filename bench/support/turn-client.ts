// The group benchmark's chat client: sends one message with POST /api/chat over node:http and times the UI message
// stream of the whole turn — when each model's reply was created, wrote its first text and finished (its
// `data-reply` parts), and when `[DONE]` came — so a first-responder turn can be taken apart into the lead, the
// gap before the followers, and the followers. Plus the few JSON calls the benchmark makes to set things up.
import { type Agent, request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import { BENCH_PUBLIC_URL } from './child-server.ts';

/** One model's reply as the stream showed it; performance.now() values. */
export type ReplyTiming = {
  messageId: string;
  modelId: string;
  createdAt: number;
  firstDeltaAt?: number;
  finishedAt?: number;
  status: string;
};

export type TurnTiming = {
  status: number;
  startedAt: number;
  endedAt: number;
  done: boolean;
  /** In the order they were created. */
  replies: ReplyTiming[];
  errors: string[];
  failure?: string;
};

export type ChatTarget = { baseUrl: string; apiKey: string; agent: Agent };

const TEXT_DELTA = 'data: {"type":"text-delta"';
const DATA_REPLY = 'data: {"type":"data-reply"';
const ERROR = 'data: {"type":"error"';

/** Sends `text` to conversation `conversationId` (a new id makes a new one with `modelIds`), and reads its turn. */
export function sendMessage(
  { baseUrl, apiKey, agent }: ChatTarget,
  conversationId: string,
  { text = 'What do you all think?', modelIds }: { text?: string; modelIds?: string[] } = {},
): Promise<TurnTiming> {
  const body = JSON.stringify({
    id: conversationId,
    message: { id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text }] },
    ...(modelIds ? { modelIds } : {}),
  });
  return new Promise((resolve) => {
    const turn: TurnTiming = {
      status: 0,
      startedAt: performance.now(),
      endedAt: 0,
      done: false,
      replies: [],
      errors: [],
    };
    const byId = new Map<string, ReplyTiming>();
    const finish = (failure?: string) => {
      if (turn.endedAt) return;
      turn.endedAt = performance.now();
      if (failure) turn.failure = failure;
      resolve(turn);
    };
    const onFrame = (frame: string, at: number) => {
      if (frame.startsWith(TEXT_DELTA)) {
        const { id } = JSON.parse(frame.slice(6)) as { id: string };
        const reply = byId.get(id);
        if (reply) reply.firstDeltaAt ??= at;
      } else if (frame.startsWith(DATA_REPLY)) {
        const { data } = JSON.parse(frame.slice(6)) as { data: { messageId: string; modelId: string; status: string } };
        let reply = byId.get(data.messageId);
        if (!reply) {
          reply = { messageId: data.messageId, modelId: data.modelId, createdAt: at, status: data.status };
          byId.set(data.messageId, reply);
          turn.replies.push(reply);
        }
        reply.status = data.status;
        if (data.status !== 'streaming') reply.finishedAt = at;
      } else if (frame.startsWith(ERROR)) {
        turn.errors.push(frame.slice(6, 300));
      } else if (frame.startsWith('data: [DONE]')) {
        turn.done = true;
      }
    };
    const request = httpRequest(new URL('/api/chat', baseUrl), {
      method: 'POST',
      agent,
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        authorization: `Bearer ${apiKey}`,
      },
    });
    request.on('error', (error) => finish(error.message));
    request.on('response', (response) => {
      turn.status = response.statusCode ?? 0;
      response.setEncoding('utf8');
      let pending = '';
      response.on('data', (text: string) => {
        const at = performance.now();
        pending += text;
        let start = 0;
        for (let end = pending.indexOf('\n\n'); end !== -1; end = pending.indexOf('\n\n', start)) {
          onFrame(pending.slice(start, end), at);
          start = end + 2;
        }
        pending = pending.slice(start);
      });
      response.on('end', () => finish(turn.status === 200 ? undefined : pending.slice(0, 300)));
      response.on('error', (error) => finish(error.message));
      response.on('close', () => finish(turn.done ? undefined : 'the connection closed mid-stream'));
    });
    request.end(body);
  });
}

/** What went wrong with a turn that should have had `replies` complete replies, or undefined. */
export function problemWithTurn(turn: TurnTiming, replies: number): string | undefined {
  if (turn.failure) return `HTTP ${turn.status || '-'}: ${turn.failure}`;
  if (turn.errors.length > 0) return `error event: ${turn.errors[0]}`;
  if (!turn.done) return 'the stream ended without [DONE]';
  const complete = turn.replies.filter((reply) => reply.status === 'complete').length;
  if (complete !== replies)
    return `${complete} of ${replies} replies complete (${turn.replies.map((reply) => reply.status).join(', ')})`;
  return undefined;
}

/** Sends a message and insists that its turn went through whole (setup, and every measured turn). */
export async function sendChecked(
  target: ChatTarget,
  conversationId: string,
  options: { text?: string; modelIds?: string[]; replies: number },
): Promise<TurnTiming> {
  const turn = await sendMessage(target, conversationId, options);
  const problem = problemWithTurn(turn, options.replies);
  if (problem) throw new Error(`a turn in conversation ${conversationId} failed: ${problem}`);
  return turn;
}

/** PATCH /api/conversations/:id with reply settings (replyMode, firstResponderModelId, charLimit). */
export async function setReplySettings(
  { baseUrl, apiKey }: ChatTarget,
  conversationId: string,
  settings: Record<string, unknown>,
): Promise<void> {
  const response = await fetch(`${baseUrl}/api/conversations/${conversationId}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}`, origin: BENCH_PUBLIC_URL },
    body: JSON.stringify({ settings }),
  });
  if (response.status !== 200)
    throw new Error(`PATCH conversation ${conversationId}: ${response.status} ${await response.text()}`);
}
