// The head of a group's thread: who answers (each model with its avatar, the lead marked), how, and within how
// many characters; and who wrote each person's message.
import type { SenderView } from '../chat/MessageView.tsx';
import type { ChorusMessage, ConversationDetails } from '../types.ts';
import { avatarText } from './avatars.tsx';
import { charLimitOf, leadModelIdOf, personName, replyModeOf } from './conversation-api.ts';

const MODE_LABELS = {
  single: 'one model answers',
  parallel: 'all answer at once',
  first_responder: 'first responder',
} as const;

export function GroupSummary({ details }: { details: ConversationDetails }) {
  const lead = leadModelIdOf(details);
  const limit = charLimitOf(details);
  const active = details.models.filter((model) => model.isActive);
  return (
    <section className="group-summary" aria-label="Group">
      <ul className="group-summary-models">
        {active.map((model) => {
          const name = model.displayName ?? model.name ?? model.modelId;
          return (
            <li key={model.modelId} title={model.modelId}>
              <span className="model-avatar" aria-hidden="true">
                {avatarText(model.avatar, name)}
              </span>
              {name}
              {model.modelId === lead && <span className="badge lead-badge">lead</span>}
            </li>
          );
        })}
      </ul>
      <span className="muted group-facts">
        {MODE_LABELS[replyModeOf(details)]} · {details.participants.length}{' '}
        {details.participants.length === 1 ? 'person' : 'people'}
        {' · '}
        <span className="char-limit-note">
          {limit ? `replies up to ${limit.toLocaleString()} characters` : 'no length limit'}
        </span>
      </span>
    </section>
  );
}

/** Who wrote a person's message, as the conversation knows them (`details` null: its people are not loaded yet). */
export function senderOf(message: ChorusMessage, details: ConversationDetails | null, viewerId: string): SenderView {
  const senderId = message.metadata?.senderId ?? viewerId;
  const person = details?.participants.find((participant) => participant.userId === senderId);
  const unnamed = details ? 'a former member' : 'someone else';
  return {
    name: person ? personName(person) : unnamed,
    avatarUrl: person?.avatarUrl ?? null,
    mine: senderId === viewerId,
  };
}
