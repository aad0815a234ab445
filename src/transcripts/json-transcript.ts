// The JSON transcript (the Chorus format, chorus-format.ts), written piece by piece so any size streams: the
// opening (conversation, people, models), each message, each file, the closing. Pure functions of their input.
import { fileIdFromUrl } from '../files/message-files.ts';
import type { FileRecord } from '../store/files.ts';
import type { Message } from '../store/message-rows.ts';
import {
  CHORUS_FORMAT,
  CHORUS_FORMAT_VERSION,
  type TranscriptFile,
  type TranscriptMessage,
  type TranscriptVotes,
} from './chorus-format.ts';
import type { TranscriptHeader } from './transcript-content.ts';

/** Everything before the first message: `{"format":…,"messages":[`. */
export function jsonOpening(header: TranscriptHeader): string {
  const { conversation } = header;
  const head = {
    format: CHORUS_FORMAT,
    version: CHORUS_FORMAT_VERSION,
    exportedAt: header.exportedAt.toISOString(),
    exportedBy: header.exportedBy,
    conversation: {
      id: conversation.id,
      title: conversation.title,
      visibility: conversation.visibility,
      origin: conversation.origin,
      ownerId: conversation.ownerId,
      parameters: conversation.parameters,
      settings: conversation.settings,
      createdAt: conversation.createdAt.toISOString(),
      lastMessageAt: conversation.lastMessageAt.toISOString(),
    },
    people: header.people,
    models: header.models,
  };
  const text = JSON.stringify(head);
  return `${text.slice(0, -1)},"messages":[`;
}

/** One message as the format has it. */
export function toTranscriptMessage(message: Message, votes: TranscriptVotes): TranscriptMessage {
  return {
    id: message.id,
    parentId: message.parentId,
    threadRootId: message.threadRootId,
    role: message.role,
    senderId: message.senderId,
    modelId: message.modelId,
    modelVersion: message.modelVersion,
    status: message.status,
    content: message.content,
    parts: message.parts,
    attachments: message.attachments.map((attachment) => ({
      fileId: (attachment.url && fileIdFromUrl(attachment.url)) || attachment.key.split('/').at(-1)!,
      name: attachment.name,
      mediaType: attachment.mediaType,
      sizeBytes: attachment.sizeBytes,
    })),
    isFirstResponder: message.isFirstResponder,
    hasWebSearch: message.hasWebSearch,
    webSearchContextSize: message.webSearchContextSize,
    usage: {
      inputTokens: message.inputTokens,
      outputTokens: message.outputTokens,
      cachedInputTokens: message.cachedInputTokens,
    },
    costUsd: message.costUsd,
    latencyMs: message.latencyMs,
    metadata: message.metadata,
    votes,
    createdAt: message.createdAt.toISOString(),
  };
}

/** A page of messages, `first` when nothing was written before it (no leading comma). */
export function jsonMessages(entries: { message: Message; votes: TranscriptVotes }[], first: boolean): string {
  let text = '';
  for (let index = 0; index < entries.length; index++) {
    const { message, votes } = entries[index]!;
    text += (first && index === 0 ? '' : ',') + JSON.stringify(toTranscriptMessage(message, votes));
  }
  return text;
}

/** Between the messages and the files. */
export const JSON_FILES_OPENING = '],"files":[';

/** A file's entry up to its bytes: `{…,"data":"` (its base64 follows, then FILE_CLOSING), or whole without bytes. */
export function jsonFileOpening(file: FileRecord, first: boolean, withData: boolean): string {
  const entry: Omit<TranscriptFile, 'data'> = {
    id: file.id,
    name: file.name,
    mediaType: file.mediaType,
    sizeBytes: file.sizeBytes,
    sha256: file.sha256,
  };
  const text = JSON.stringify(entry);
  return (first ? '' : ',') + (withData ? `${text.slice(0, -1)},"data":"` : text);
}

export const JSON_FILE_CLOSING = '"}';

/** After the last file. */
export function jsonClosing(messageCount: number): string {
  return `],"messageCount":${messageCount}}\n`;
}
