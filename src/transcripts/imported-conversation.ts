// What an import brings, whatever it came from (a Chorus transcript, a ChatGPT export): conversations with their
// messages in order, the models and files they name. The import service resolves it against this server (models
// by id, the importing person, stored files) and the store writes it. Types only.
import type { MessagePart } from '../db/schema/index.ts';
import type { TranscriptMessage } from './chorus-format.ts';

export type ImportedMessage = {
  /** Its id in the source, for the parent links between messages. */
  sourceId: string;
  parentSourceId: string | null;
  /** The source's id of the message whose thread it is in; absent or null in the main conversation. */
  threadRootSourceId?: string | null;
  role: TranscriptMessage['role'];
  /** The source's id of the person who wrote it (people only); the importer's own become theirs. */
  senderSourceId: string | null;
  /** Their name, kept when the message is not the importer's. */
  speakerName: string | null;
  /** The model that wrote it, by registry id, and its name (kept as attribution when the registry lacks it). */
  model: { id: string; name: string | null } | null;
  modelVersion: number | null;
  status: TranscriptMessage['status'];
  content: string | null;
  parts: MessagePart[];
  /** The source's ids of the files it carries. */
  fileIds: string[];
  isFirstResponder: boolean;
  hasWebSearch: boolean;
  webSearchContextSize: TranscriptMessage['webSearchContextSize'];
  usage: TranscriptMessage['usage'];
  costUsd: number | null;
  latencyMs: number | null;
  metadata: Record<string, unknown>;
  /** The exporting person's own vote, restored when they are the one importing. */
  myVote: 'up' | 'down' | null;
  createdAt: Date;
};

/** A file a source carries, with its bytes (already checked against its SHA-256). */
export type ImportedFile = { sourceId: string; name: string; mediaType: string; bytes: Uint8Array | null };

export type ImportedConversation = {
  /** The source's ids of its people, and of the one who exported it: see importerSourceId. */
  peopleSourceIds: string[];
  exporterSourceId: string | null;
  title: string | null;
  visibility: 'private' | 'public';
  origin: 'web' | 'discord' | 'api';
  parameters: Record<string, unknown>;
  settings: Record<string, unknown>;
  /** The models taking part, in order (those the registry knows are added to the conversation). */
  modelIds: string[];
  createdAt: Date;
  messages: ImportedMessage[];
  files: ImportedFile[];
};

/** Where something is wrong in the input (a dotted path) and what. */
export type ImportProblem = { path: string; message: string };
