// How much text one message may hold (CHORUS_MAX_MESSAGE_CHARS), counted as JavaScript counts a string's length
// (UTF-16 code units: most characters are one, an emoji two). A person's new chat message, all its text parts
// together, and each message of an OpenAI-compatible call are refused past it, before anything is stored or sent.
import { AppError } from '../errors.ts';

/** `path` names the message in the request (e.g. `messages.2.content`), for the client to show. */
export function assertMessageTextWithin(characters: number, maxCharacters: number, path: string): void {
  if (characters <= maxCharacters) return;
  const problem = `holds ${characters} characters of text; a message may hold at most ${maxCharacters}`;
  throw new AppError('invalid_input', `${path} ${problem}`, { details: [{ path, message: problem }] });
}
