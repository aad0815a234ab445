// The Markdown transcript, for people to read: the title, who took part (people and models), then each message
// under its speaker's name and time, with its files and failures noted. Pure functions.
import type { Message } from '../store/message-rows.ts';
import { errorOf, type SpeakerNames, type TranscriptHeader, textOf } from './transcript-content.ts';

const time = (at: Date) => `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

export function markdownOpening(header: TranscriptHeader): string {
  const people = header.people
    .map((person) => {
      const name = person.displayName ?? person.username ?? person.id;
      return person.role && person.role !== 'member' ? `${name} (${person.role})` : name;
    })
    .join(', ');
  const models = header.models
    .map((model) => `${model.displayName ?? model.name ?? model.id} (${model.id})`)
    .join(', ');
  const lines = [
    `# ${header.conversation.title ?? 'Untitled conversation'}`,
    '',
    `- Started: ${time(header.conversation.createdAt)}`,
    `- Exported: ${time(header.exportedAt)}`,
    `- People: ${people || 'none'}`,
    `- Models: ${models || 'none'}`,
    '',
  ];
  return `${lines.join('\n')}\n`;
}

/** One message: a heading with speaker (and model) and time, then its text. */
export function markdownMessage(message: Message, names: SpeakerNames): string {
  const speaker = names.speakerOf(message);
  const lines = [`---`, '', `### ${speaker} · ${time(message.createdAt)}`, ''];
  const text = textOf(message).trim();
  if (text) lines.push(text, '');
  for (const part of message.parts) {
    if (part.type === 'file') {
      const name = typeof part.filename === 'string' ? part.filename : 'file';
      lines.push(`> Attachment: ${name} (${String(part.mediaType ?? 'file')})${part.removed ? ', removed' : ''}`, '');
    }
  }
  const error = errorOf(message);
  if (message.status === 'error') lines.push(`> The reply failed${error ? `: ${error}` : ''}.`, '');
  if (message.status === 'stopped') lines.push('> The reply was stopped.', '');
  return `${lines.join('\n')}\n`;
}

export function markdownMessages(messages: Message[], names: SpeakerNames): string {
  let text = '';
  for (const message of messages) text += markdownMessage(message, names);
  return text;
}
