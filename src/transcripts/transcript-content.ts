// What every transcript format says about a message, decided once: who spoke (a person or a model, by name, also
// for an imported message whose speaker or model this server does not know), and its text. Pure functions.
import type { MessagePart } from '../db/schema/index.ts';
import type { Message } from '../store/message-rows.ts';
import type { TranscriptModel, TranscriptPerson, TranscriptVotes } from './chorus-format.ts';

/** The conversation a transcript is of, with its people and models, and who exports it when. */
export type TranscriptHeader = {
  conversation: {
    id: string;
    title: string | null;
    visibility: 'private' | 'public';
    origin: 'web' | 'discord' | 'api';
    ownerId: string;
    parameters: Record<string, unknown>;
    settings: Record<string, unknown>;
    createdAt: Date;
    lastMessageAt: Date;
  };
  people: TranscriptPerson[];
  models: TranscriptModel[];
  exportedAt: Date;
  exportedBy: string;
};

/** A message with the votes on it. */
export type TranscriptEntry = { message: Message; votes: TranscriptVotes };

/** Metadata an import leaves on a message whose speaker is not on this server (attribution only). */
export const IMPORTED_SPEAKER = 'importedSpeaker';
/** Metadata an import leaves on a reply whose model is not in this registry (attribution only). */
export const IMPORTED_MODEL = 'importedModel';

export type ImportedModel = { id: string; name: string | null };

/** How people and models are named in a transcript, looked up by id. */
export class SpeakerNames {
  private readonly people: Map<string, TranscriptPerson>;
  private readonly models: Map<string, TranscriptModel>;

  constructor(header: Pick<TranscriptHeader, 'people' | 'models'>) {
    this.people = new Map(header.people.map((person) => [person.id, person]));
    this.models = new Map(header.models.map((model) => [model.id, model]));
  }

  /** The person or model who wrote the message, as a reader would name them. */
  speakerOf(message: Pick<Message, 'role' | 'senderId' | 'modelId' | 'metadata'>): string {
    if (message.role === 'user') {
      const person = message.senderId ? this.people.get(message.senderId) : undefined;
      const imported = message.metadata[IMPORTED_SPEAKER];
      return person?.displayName ?? person?.username ?? (typeof imported === 'string' ? imported : 'Someone');
    }
    if (message.role === 'assistant') return this.modelOf(message) ?? 'Assistant';
    return message.role === 'system' ? 'System' : 'Tool';
  }

  /** The model's name and id (`GPT-4o (openai:gpt-4o)`), or null for a message no model wrote. */
  modelOf(message: Pick<Message, 'modelId' | 'metadata'>): string | null {
    if (message.modelId) {
      const model = this.models.get(message.modelId);
      const name = model?.displayName ?? model?.name;
      return name ? `${name} (${message.modelId})` : message.modelId;
    }
    const imported = importedModelOf(message.metadata);
    if (!imported) return null;
    return imported.name && imported.name !== imported.id ? `${imported.name} (${imported.id})` : imported.id;
  }

  /** Just the model's id, also of an imported reply's unknown model. */
  modelIdOf(message: Pick<Message, 'modelId' | 'metadata'>): string | null {
    return message.modelId ?? importedModelOf(message.metadata)?.id ?? null;
  }
}

export function importedModelOf(metadata: Record<string, unknown>): ImportedModel | null {
  const value = metadata[IMPORTED_MODEL] as Partial<ImportedModel> | undefined;
  if (!value || typeof value.id !== 'string') return null;
  return { id: value.id, name: typeof value.name === 'string' ? value.name : null };
}

/** The message's plain text: its stored text, or the text of its parts. */
export function textOf(message: Pick<Message, 'content' | 'parts'>): string {
  if (message.content !== null) return message.content;
  return textOfParts(message.parts);
}

export function textOfParts(parts: MessagePart[]): string {
  return parts
    .filter((part) => part.type === 'text' && typeof part.text === 'string')
    .map((part) => part.text as string)
    .join('\n\n');
}

/** Why a reply failed, when it did. */
export function errorOf(message: Pick<Message, 'metadata'>): string | null {
  const error = message.metadata.error;
  return typeof error === 'string' ? error : null;
}

/** A name for a transcript file: the title made safe for a file system, else the conversation's id. */
export function transcriptFileName(
  header: { conversation: { id: string; title: string | null } },
  extension: string,
): string {
  const title = (header.conversation.title ?? '')
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/\s+/g, '-')
    .slice(0, 60)
    .toLowerCase();
  return `${title || 'conversation'}-${header.conversation.id.slice(0, 8)}.${extension}`;
}
