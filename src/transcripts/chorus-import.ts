// Reading a Chorus transcript back (the JSON format of chorus-format.ts) as conversations to import: checked as a
// whole (its shape, then what the shape cannot say: unique ids, files matching their checksums, a message count
// that says nothing was cut off) before anything is written. Pure functions.
import { createHash } from 'node:crypto';
import { fileIdFromUrl } from '../files/message-files.ts';
import { type ChorusTranscript, chorusTranscriptSchema } from './chorus-format.ts';
import type { ImportedConversation, ImportedFile, ImportProblem } from './imported-conversation.ts';
import { IMPORTED_SPEAKER, importedModelOf } from './transcript-content.ts';
import { issuesOf } from './zod-issues.ts';

export function readChorusTranscript(
  input: unknown,
): { conversations: ImportedConversation[] } | { problems: ImportProblem[] } {
  const parsed = chorusTranscriptSchema.safeParse(input);
  if (!parsed.success) return { problems: issuesOf(parsed.error) };
  const problems = consistencyProblems(parsed.data);
  if (problems.length > 0) return { problems };
  return { conversations: [toImported(parsed.data)] };
}

function consistencyProblems(transcript: ChorusTranscript): ImportProblem[] {
  const problems: ImportProblem[] = [];
  if (transcript.messageCount !== transcript.messages.length) {
    problems.push({
      path: 'messageCount',
      message: `says ${transcript.messageCount} messages but the transcript has ${transcript.messages.length}: it was cut short or edited`,
    });
  }
  const seen = new Set<string>();
  transcript.messages.forEach((message, index) => {
    if (seen.has(message.id)) problems.push({ path: `messages.${index}.id`, message: `${message.id} appears twice` });
    seen.add(message.id);
  });
  transcript.files.forEach((file, index) => {
    if (file.data === undefined) return;
    const bytes = Buffer.from(file.data, 'base64');
    if (bytes.length !== file.sizeBytes) {
      problems.push({
        path: `files.${index}.data`,
        message: `is ${bytes.length} bytes, not the ${file.sizeBytes} given`,
      });
    } else if (createHash('sha256').update(bytes).digest('hex') !== file.sha256) {
      problems.push({ path: `files.${index}.data`, message: 'does not match its sha256: the file is damaged' });
    }
  });
  return problems;
}

function toImported(transcript: ChorusTranscript): ImportedConversation {
  const people = new Map(transcript.people.map((person) => [person.id, person]));
  const models = new Map(transcript.models.map((model) => [model.id, model]));
  const files: ImportedFile[] = transcript.files.map((file) => ({
    sourceId: file.id,
    name: file.name,
    mediaType: file.mediaType,
    bytes: file.data === undefined ? null : new Uint8Array(Buffer.from(file.data, 'base64')),
  }));
  const { conversation } = transcript;
  return {
    peopleSourceIds: transcript.people.map((person) => person.id),
    exporterSourceId: transcript.exportedBy,
    title: conversation.title,
    visibility: conversation.visibility,
    origin: conversation.origin,
    parameters: conversation.parameters,
    settings: conversation.settings,
    modelIds: transcript.models.filter((model) => model.inConversation).map((model) => model.id),
    createdAt: new Date(conversation.createdAt),
    files,
    messages: transcript.messages.map((message) => {
      const person = message.senderId ? people.get(message.senderId) : undefined;
      const speakerName =
        person?.displayName ?? person?.username ?? (message.metadata[IMPORTED_SPEAKER] as string | undefined) ?? null;
      const writer = message.modelId ? models.get(message.modelId) : undefined;
      const earlierImport = importedModelOf(message.metadata);
      const model = message.modelId
        ? { id: message.modelId, name: writer?.displayName ?? writer?.name ?? null }
        : earlierImport;
      return {
        sourceId: message.id,
        parentSourceId: message.parentId,
        threadRootSourceId: message.threadRootId ?? null,
        role: message.role,
        senderSourceId: message.role === 'user' ? message.senderId : null,
        speakerName: typeof speakerName === 'string' ? speakerName : null,
        model,
        modelVersion: message.modelVersion,
        status: message.status,
        content: message.content,
        parts: message.parts,
        fileIds: [
          ...new Set([
            ...message.attachments.map((attachment) => attachment.fileId),
            ...message.parts.flatMap((part) =>
              part.type === 'file' && typeof part.url === 'string' ? [fileIdFromUrl(part.url) ?? ''] : [],
            ),
          ]),
        ].filter(Boolean),
        isFirstResponder: message.isFirstResponder,
        hasWebSearch: message.hasWebSearch,
        webSearchContextSize: message.webSearchContextSize,
        usage: message.usage,
        costUsd: message.costUsd,
        latencyMs: message.latencyMs,
        metadata: message.metadata,
        myVote: message.votes.mine,
        createdAt: new Date(message.createdAt),
      };
    }),
  };
}
