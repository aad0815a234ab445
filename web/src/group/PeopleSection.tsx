// The people of a conversation in its settings panel: their roles (the owner gives admin or member, or hands
// ownership on), removing someone (owner and admins, after a confirmation), leaving, and the invitation links.
import { useState } from 'react';
import { ConfirmDialog } from '../dialogs/ModalDialog.tsx';
import { FormProblem } from '../form-problem.tsx';
import type { ConversationDetails, Participant } from '../types.ts';
import { PersonAvatar } from './avatars.tsx';
import { changeRole, leaveConversation, personName, removeParticipant, transferOwnership } from './conversation-api.ts';
import { InviteLinks } from './InviteLinks.tsx';

type Props = {
  details: ConversationDetails;
  viewerId: string;
  onChanged: () => void;
  onLeft: () => void;
};

type Pending = { kind: 'remove' | 'transfer'; person: Participant } | { kind: 'leave' };

export function PeopleSection({ details, viewerId, onChanged, onLeft }: Props) {
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const isOwner = details.role === 'owner';
  const canManage = isOwner || details.role === 'admin';
  const conversationId = details.id;

  async function run(change: () => Promise<unknown>, after: () => void = onChanged) {
    setPending(null);
    setProblem(null);
    try {
      await change();
      after();
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  }

  function confirmPending() {
    if (!pending) return;
    if (pending.kind === 'leave') void run(() => leaveConversation(conversationId), onLeft);
    else if (pending.kind === 'remove') void run(() => removeParticipant(conversationId, pending.person.userId));
    else void run(() => transferOwnership(conversationId, pending.person.userId));
  }

  return (
    <section>
      <h3>People</h3>
      <ul className="group-people">
        {details.participants.map((person) => {
          const name = personName(person);
          const isViewer = person.userId === viewerId;
          return (
            <li key={person.userId}>
              <PersonAvatar name={name} avatarUrl={person.avatarUrl} />
              <span className="person-name">
                {name}
                {isViewer && <span className="muted"> (you)</span>}
              </span>
              {isOwner && person.role !== 'owner' ? (
                <select
                  className="role-select"
                  aria-label={`Role of ${name}`}
                  value={person.role}
                  onChange={(event) => {
                    const role = event.target.value;
                    if (role === 'owner') setPending({ kind: 'transfer', person });
                    else void run(() => changeRole(conversationId, person.userId, role as 'admin' | 'member'));
                  }}
                >
                  <option value="member">member</option>
                  <option value="admin">admin</option>
                  <option value="owner">owner…</option>
                </select>
              ) : (
                <span className="badge">{person.role}</span>
              )}
              {canManage && person.role !== 'owner' && !isViewer && (
                <button
                  type="button"
                  className="icon"
                  aria-label={`Remove ${name}`}
                  onClick={() => setPending({ kind: 'remove', person })}
                >
                  ✕
                </button>
              )}
            </li>
          );
        })}
      </ul>
      {details.role && details.role !== 'owner' && (
        <button type="button" className="secondary" onClick={() => setPending({ kind: 'leave' })}>
          Leave conversation
        </button>
      )}
      {isOwner && details.participants.length > 1 && (
        <p className="muted small-note">To leave, make someone else its owner first.</p>
      )}
      {canManage && (
        <InviteLinks
          conversationId={conversationId}
          canInviteAdmins={isOwner}
          membersKey={details.participants.map((person) => person.userId).join(',')}
        />
      )}
      <FormProblem problem={problem} />
      {pending && (
        <ConfirmDialog
          {...describePending(pending)}
          onConfirm={confirmPending}
          onCancel={() => {
            setPending(null);
            // A cancelled hand-over leaves the role select where it was.
            onChanged();
          }}
        />
      )}
    </section>
  );
}

function describePending(pending: Pending): {
  title: string;
  message: string;
  confirmLabel: string;
  destructive: boolean;
} {
  if (pending.kind === 'leave') {
    return {
      title: 'Leave this conversation?',
      message:
        'It leaves your list, and you can come back only with a new invitation (or while it is public, to read).',
      confirmLabel: 'Leave',
      destructive: true,
    };
  }
  const name = personName(pending.person);
  if (pending.kind === 'remove') {
    return {
      title: `Remove ${name}?`,
      message: `${name} can no longer read or write in this conversation, unless invited again.`,
      confirmLabel: 'Remove',
      destructive: true,
    };
  }
  return {
    title: `Make ${name} the owner?`,
    message: `${name} becomes its owner (sharing, roles, deleting it); you stay in it as an admin.`,
    confirmLabel: 'Make owner',
    destructive: false,
  };
}
