// Importing conversations: a Chorus transcript (JSON export) or ChatGPT's conversations.json. The input is read and
// checked whole first (any problem is a 400 listing them all, and nothing is written); then resolved against this
// server: the importing person owns each conversation and is the speaker of their own messages (others are kept
// by name), models are found by id (one this registry lacks is kept as attribution only), files the input carries
// are stored again as the person's uploads, within their limits. Then one transaction writes it all.
import { createHash, randomUUID } from 'node:crypto';
import { AppError } from '../errors.ts';
import { verifiedMediaType } from '../files/media-types.ts';
import { attachmentOf, fileIdFromUrl, filePartOf } from '../files/message-files.ts';
import type { FileStorage } from '../files/storage.ts';
import type { Actor } from '../store/actor.ts';
import type { ConversationToImport, ImportMessageRow } from '../store/conversation-imports.ts';
import type { FileRecord } from '../store/files.ts';
import { newConversationId, newMessageId } from '../store/ids.ts';
import type { Store } from '../store/index.ts';
import { readChatGptExport } from './chatgpt-import.ts';
import { CHORUS_FORMAT } from './chorus-format.ts';
import { readChorusTranscript } from './chorus-import.ts';
import type { ImportedConversation, ImportedFile, ImportProblem } from './imported-conversation.ts';
import { IMPORTED_MODEL, IMPORTED_SPEAKER } from './transcript-content.ts';

export type ImportSource = 'chorus' | 'chatgpt';

export type ImportResult = {
  source: ImportSource;
  conversations: { id: string; title: string | null; messageCount: number; fileCount: number }[];
};

/** Which format the input is in, and its conversations; or the problems that stop it being imported. */
export function readImport(
  input: unknown,
): { source: ImportSource; conversations: ImportedConversation[] } | { problems: ImportProblem[] } {
  if (Array.isArray(input) || (isObject(input) && 'mapping' in input)) {
    const read = readChatGptExport(input);
    return 'problems' in read ? read : { source: 'chatgpt', ...read };
  }
  if (isObject(input) && 'format' in input) {
    const read = readChorusTranscript(input);
    return 'problems' in read ? read : { source: 'chorus', ...read };
  }
  return {
    problems: [
      {
        path: '',
        message: `neither a Chorus transcript (an object with "format": "${CHORUS_FORMAT}") nor a ChatGPT export (conversations.json: a list of conversations with "mapping")`,
      },
    ],
  };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export class ImportService {
  constructor(
    private readonly store: Store,
    private readonly storage: FileStorage,
    /** The uploads' limits, which restored files are held to as well. */
    private readonly limits: { maxBytes: number; maxBytesPerUser: number },
  ) {}

  async import({ actor, input }: { actor: Actor; input: unknown }): Promise<ImportResult> {
    const read = readImport(input);
    if ('problems' in read) throw importRefused(read.problems);
    const fileProblems = read.conversations.flatMap((conversation, index) =>
      conversation.files.flatMap((file, fileIndex) => this.fileProblem(file, `files.${fileIndex}`, index)),
    );
    if (fileProblems.length > 0) throw importRefused(fileProblems);

    const known = await this.store.conversationImports.knownModelIds(
      read.conversations.flatMap((conversation) => [
        ...conversation.modelIds,
        ...conversation.messages.flatMap((message) => (message.model ? [message.model.id] : [])),
      ]),
    );
    const storedKeys: string[] = [];
    try {
      const prepared: ConversationToImport[] = [];
      for (const conversation of read.conversations) {
        const files = await this.storeFiles(actor, conversation.files, storedKeys);
        prepared.push(resolve(conversation, { importer: importerSourceId(conversation, actor), known, files }));
      }
      await this.store.conversationImports.write({
        actor,
        conversations: prepared,
        quotaBytes: this.limits.maxBytesPerUser,
      });
      return {
        source: read.source,
        conversations: prepared.map((conversation) => ({
          id: conversation.id,
          title: conversation.title,
          messageCount: conversation.messages.length,
          fileCount: conversation.files.length,
        })),
      };
    } catch (error) {
      // Nothing was recorded: the bytes stored for it go too.
      await Promise.allSettled(storedKeys.map((key) => this.storage.delete(key)));
      throw error;
    }
  }

  /** A carried file that cannot be an upload here (too large, not an attachable kind): a problem of the input. */
  private fileProblem(file: ImportedFile, path: string, conversationIndex: number): ImportProblem[] {
    if (!file.bytes) return [];
    const where = conversationIndex === 0 ? path : `${conversationIndex}.${path}`;
    if (file.bytes.length > this.limits.maxBytes) {
      return [{ path: where, message: `is ${file.bytes.length} bytes; files may be at most ${this.limits.maxBytes}` }];
    }
    try {
      verifiedMediaType(file.bytes, file.mediaType, file.name);
      return [];
    } catch (error) {
      return [{ path: where, message: error instanceof AppError ? error.message : String(error) }];
    }
  }

  /** Stores the bytes of the files the conversation carries; their rows are written with the conversation. */
  private async storeFiles(actor: Actor, carried: ImportedFile[], storedKeys: string[]) {
    const bySourceId = new Map<string, FileRecord>();
    for (const file of carried) {
      if (!file.bytes) continue;
      const id = randomUUID();
      const storageKey = `${actor.id}/${id}`;
      const mediaType = verifiedMediaType(file.bytes, file.mediaType, file.name);
      await this.storage.put(storageKey, file.bytes, { mediaType });
      storedKeys.push(storageKey);
      bySourceId.set(file.sourceId, {
        id,
        ownerId: actor.id,
        conversationId: null,
        mediaType,
        sizeBytes: file.bytes.length,
        name: file.name,
        storageKey,
        sha256: createHash('sha256').update(file.bytes).digest('hex'),
        createdAt: new Date(),
      });
    }
    return bySourceId;
  }
}

/**
 * Who the importing person is among the source's people: themselves, when the transcript comes from this server
 * and names them; otherwise whoever exported it (their own transcript, brought from another server).
 */
export function importerSourceId(conversation: ImportedConversation, actor: Actor): string | null {
  return conversation.peopleSourceIds.includes(actor.id) ? actor.id : conversation.exporterSourceId;
}

/** The conversation as rows of this server: new ids, the models it knows, the files stored again. */
function resolve(
  conversation: ImportedConversation,
  { importer, known, files }: { importer: string | null; known: Set<string>; files: Map<string, FileRecord> },
): ConversationToImport {
  const id = newConversationId();
  // The exporter's own votes are known; they become the importer's only when that is the same person.
  const votesAreMine = importer !== null && importer === conversation.exporterSourceId;
  const newIds = new Map<string, string>();
  const messages: ImportMessageRow[] = conversation.messages.map((message) => {
    const messageId = newMessageId();
    const metadata = { ...message.metadata };
    const byImporter = message.role === 'user' && importer !== null && message.senderSourceId === importer;
    if (!byImporter && message.role === 'user' && message.speakerName) {
      metadata[IMPORTED_SPEAKER] = message.speakerName;
    }
    const modelKnown = message.model !== null && known.has(message.model.id);
    if (message.model && !modelKnown) metadata[IMPORTED_MODEL] = { id: message.model.id, name: message.model.name };
    const carried = message.fileIds.flatMap((fileId) => files.get(fileId) ?? []);
    const row: ImportMessageRow = {
      id: messageId,
      // Only to a message already imported: a parent comes before its replies.
      parentId: message.parentSourceId ? (newIds.get(message.parentSourceId) ?? null) : null,
      threadRootId: message.threadRootSourceId ? (newIds.get(message.threadRootSourceId) ?? null) : null,
      role: message.role,
      byImporter,
      modelId: modelKnown ? message.model!.id : null,
      modelVersion: modelKnown ? message.modelVersion : null,
      status: message.status,
      content: message.content,
      parts: message.parts.map((part) => {
        if (part.type !== 'file' || typeof part.url !== 'string') return part;
        const file = files.get(fileIdFromUrl(part.url) ?? '');
        return file ? filePartOf(file) : { ...part, removed: true };
      }),
      attachments: carried.map(attachmentOf),
      isFirstResponder: message.isFirstResponder,
      hasWebSearch: message.hasWebSearch,
      webSearchContextSize: message.webSearchContextSize,
      inputTokens: message.usage.inputTokens,
      outputTokens: message.usage.outputTokens,
      cachedInputTokens: message.usage.cachedInputTokens,
      costUsd: message.costUsd,
      latencyMs: message.latencyMs,
      metadata,
      myVote: votesAreMine ? message.myVote : null,
      createdAt: message.createdAt,
    };
    newIds.set(message.sourceId, messageId);
    return row;
  });
  return {
    id,
    title: conversation.title,
    visibility: conversation.visibility,
    origin: conversation.origin,
    parameters: conversation.parameters,
    settings: conversation.settings,
    modelIds: [...new Set(conversation.modelIds.filter((modelId) => known.has(modelId)))],
    createdAt: conversation.createdAt,
    files: [...new Set(files.values())].map((file) => ({ ...file, conversationId: id })),
    messages,
  };
}

function importRefused(problems: ImportProblem[]): AppError {
  const summary = problems
    .slice(0, 5)
    .map((problem) => (problem.path ? `${problem.path}: ${problem.message}` : problem.message))
    .join('; ');
  const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : '';
  return new AppError('invalid_input', `nothing was imported: ${summary}${more}`, { details: problems });
}
