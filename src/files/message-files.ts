// Files on messages: a person's message names its uploads by URL (AI SDK UI file parts); the server stores each
// as a file part it wrote itself (its own URL, type and name, never the client's claims) plus an attachment
// entry with the storage key, which is how a prompt finds the bytes later. A file its uploader deleted is shown
// as removed. Pure functions.
import type { MessageAttachment, MessagePart } from '../db/schema/index.ts';
import { AppError } from '../errors.ts';
import type { FileRecord } from '../store/files.ts';

/** At most this many files on one message. */
export const MAX_FILES_PER_MESSAGE = 10;

const FILE_PATH = /^\/api\/files\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

export const fileUrl = (id: string) => `/api/files/${id}`;

/** The file id in `/api/files/<id>` or an absolute URL with that path; null for anything else. */
export function fileIdFromUrl(url: string): string | null {
  // Relative URLs are read against a placeholder origin; only the path matters.
  const parsed = URL.canParse(url, 'http://relative') ? new URL(url, 'http://relative') : null;
  if (!parsed || !['http:', 'https:'].includes(parsed.protocol)) return null;
  return FILE_PATH.exec(parsed.pathname)?.[1]?.toLowerCase() ?? null;
}

/** The ids of the files a new message names, in order, without repeats; 400 for a file part not naming an upload. */
export function fileIdsOfParts(parts: MessagePart[]): string[] {
  const ids: string[] = [];
  for (const part of parts) {
    if (part.type !== 'file') continue;
    const url = typeof part.url === 'string' ? part.url : '';
    const id = fileIdFromUrl(url);
    if (!id) {
      const shown = url.startsWith('data:') ? 'a data: URL' : JSON.stringify(url.slice(0, 100));
      throw new AppError(
        'invalid_input',
        `a file part must name an upload as /api/files/<id> (upload the file with POST /api/files first), not ${shown}`,
      );
    }
    if (!ids.includes(id)) ids.push(id);
  }
  if (ids.length > MAX_FILES_PER_MESSAGE) {
    throw new AppError(
      'invalid_input',
      `a message may carry at most ${MAX_FILES_PER_MESSAGE} files, not ${ids.length}`,
    );
  }
  return ids;
}

/** The UI part for a file, as stored and shown: the server's URL, type and name. */
export function filePartOf(file: FileRecord): MessagePart {
  return { type: 'file', mediaType: file.mediaType, filename: file.name, url: fileUrl(file.id) };
}

export function attachmentOf(file: FileRecord): MessageAttachment {
  return {
    key: file.storageKey,
    name: file.name,
    mediaType: file.mediaType,
    sizeBytes: file.sizeBytes,
    url: fileUrl(file.id),
  };
}

/** The message's parts with every file part rewritten from the stored file it names. */
export function withStoredFileParts(parts: MessagePart[], files: FileRecord[]): MessagePart[] {
  const byId = new Map(files.map((file) => [file.id, file]));
  return parts.map((part) => {
    if (part.type !== 'file') return part;
    const file = byId.get(fileIdFromUrl(String(part.url))!);
    return file ? filePartOf(file) : part;
  });
}

/** The uploads stored messages name, each once. */
export function fileIdsOfStoredParts(messages: { parts: MessagePart[] }[]): string[] {
  const ids = new Set<string>();
  for (const message of messages) {
    for (const part of message.parts) {
      const id = part.type === 'file' && typeof part.url === 'string' ? fileIdFromUrl(part.url) : null;
      if (id) ids.add(id);
    }
  }
  return [...ids];
}

/** The parts with each file part whose upload was deleted marked `removed: true` (its name and type stay). */
export function withDeletedFilesMarked(parts: MessagePart[], deletedIds: ReadonlySet<string>): MessagePart[] {
  if (deletedIds.size === 0) return parts;
  return parts.map((part) => {
    const id = part.type === 'file' && typeof part.url === 'string' ? fileIdFromUrl(part.url) : null;
    return id && deletedIds.has(id) ? { ...part, removed: true } : part;
  });
}

/** An upload belongs to the conversation it was first sent in: its readers, and only they, may download it. */
export function refuseFilesOfOtherConversations(files: FileRecord[], conversationId: string): void {
  const elsewhere = files.find((file) => file.conversationId !== null && file.conversationId !== conversationId);
  if (elsewhere) {
    throw new AppError(
      'invalid_input',
      `file ${elsewhere.name} (${elsewhere.id}) was sent in another conversation; upload it again to send it here`,
    );
  }
}
