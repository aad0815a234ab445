// The Chorus JSON transcript format (docs/transcript-format.md): one conversation, lossless, versioned. Written
// by the JSON transcript writer and read back by the import, so its shape is declared once, here.
import { z } from 'zod';
import { messageRole, messageStatus, participantRole, webSearchContextSize } from '../db/schema/enums.ts';

/** What the `format` field says, so a reader can tell a Chorus transcript from any other JSON. */
export const CHORUS_FORMAT = 'chorus.conversation';
/** Raised when a field changes meaning or goes away; new optional fields keep the version. */
export const CHORUS_FORMAT_VERSION = 1;

const isoTime = z.iso.datetime({ offset: true });
const json = z.record(z.string(), z.unknown());

export const transcriptPersonSchema = z.object({
  id: z.string(),
  username: z.string().nullable(),
  displayName: z.string().nullable(),
  /** Their role in the conversation; null for someone who wrote in it and has since left. */
  role: z.enum(participantRole.enumValues).nullable(),
});

export const transcriptModelSchema = z.object({
  /** The registry id (`provider:providerModelId`): how an import finds the model again. */
  id: z.string().min(1).max(200),
  provider: z.string().nullable(),
  name: z.string().nullable(),
  displayName: z.string().nullable(),
  /** Whether it is one of the conversation's models (rather than only the writer of earlier replies). */
  inConversation: z.boolean(),
});

export const transcriptAttachmentSchema = z.object({
  /** The upload's id in the exporting server: the key of its entry in `files`. */
  fileId: z.string(),
  name: z.string(),
  mediaType: z.string(),
  sizeBytes: z.number().int().nonnegative(),
});

export const transcriptVotesSchema = z.object({
  up: z.number().int().nonnegative(),
  down: z.number().int().nonnegative(),
  /** The exporting person's own vote. */
  mine: z.enum(['up', 'down']).nullable(),
});

export const transcriptMessageSchema = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  /** The message whose thread it is in; null (or absent, in older transcripts) in the main conversation. */
  threadRootId: z.string().nullable().optional(),
  role: z.enum(messageRole.enumValues),
  /** A person's id from `people`; null for models. */
  senderId: z.string().nullable(),
  /** A model's id from `models`; null for people. */
  modelId: z.string().nullable(),
  modelVersion: z.number().int().nullable(),
  status: z.enum(messageStatus.enumValues),
  content: z.string().nullable(),
  parts: z.array(z.looseObject({ type: z.string() })),
  attachments: z.array(transcriptAttachmentSchema),
  isFirstResponder: z.boolean(),
  hasWebSearch: z.boolean(),
  webSearchContextSize: z.enum(webSearchContextSize.enumValues).nullable(),
  usage: z.object({
    inputTokens: z.number().int().nullable(),
    outputTokens: z.number().int().nullable(),
    cachedInputTokens: z.number().int().nullable(),
  }),
  costUsd: z.number().nullable(),
  latencyMs: z.number().int().nullable(),
  metadata: json,
  votes: transcriptVotesSchema,
  createdAt: isoTime,
});

export const transcriptFileSchema = z.object({
  id: z.string(),
  name: z.string(),
  mediaType: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** The bytes, base64; left out when the export did not carry files. */
  data: z.base64().optional(),
});

export const transcriptConversationSchema = z.object({
  id: z.string(),
  title: z.string().max(255).nullable(),
  visibility: z.enum(['private', 'public']),
  origin: z.enum(['web', 'discord', 'api']),
  ownerId: z.string(),
  parameters: json,
  settings: json,
  createdAt: isoTime,
  lastMessageAt: isoTime,
});

export const chorusTranscriptSchema = z.object({
  format: z.literal(CHORUS_FORMAT),
  version: z.literal(CHORUS_FORMAT_VERSION),
  exportedAt: isoTime,
  /** The person who exported it: their id in `people`. */
  exportedBy: z.string(),
  conversation: transcriptConversationSchema,
  people: z.array(transcriptPersonSchema),
  models: z.array(transcriptModelSchema),
  /** Oldest first. */
  messages: z.array(transcriptMessageSchema),
  files: z.array(transcriptFileSchema),
  /** Written last: a transcript cut short has none. */
  messageCount: z.number().int().nonnegative(),
});

export type ChorusTranscript = z.infer<typeof chorusTranscriptSchema>;
export type TranscriptPerson = z.infer<typeof transcriptPersonSchema>;
export type TranscriptModel = z.infer<typeof transcriptModelSchema>;
export type TranscriptMessage = z.infer<typeof transcriptMessageSchema>;
export type TranscriptFile = z.infer<typeof transcriptFileSchema>;
export type TranscriptConversation = z.infer<typeof transcriptConversationSchema>;
export type TranscriptVotes = z.infer<typeof transcriptVotesSchema>;
