// A conversation's invitation links, for its owner and admins: a new one (copied to the clipboard when the
// browser allows), and every earlier one with what it gives, how often it was used, and a button to revoke it.
import { useCallback, useEffect, useState } from 'react';
import { FormProblem } from '../form-problem.tsx';
import type { Invite } from '../types.ts';
import { createInvite, listInvites, revokeInvite } from './conversation-api.ts';

type Props = {
  conversationId: string;
  canInviteAdmins: boolean;
  /** Changes when people join or leave: a link's use count may have changed. */
  membersKey: string;
};

/** The page's own origin, not PUBLIC_URL: it is the address the reader can certainly open. */
const linkOf = (invite: Invite) => `${window.location.origin}/invite/${invite.token}`;

export function InviteLinks({ conversationId, canInviteAdmins, membersKey }: Props) {
  const [invites, setInvites] = useState<Invite[] | null>(null);
  const [role, setRole] = useState<'member' | 'admin'>('member');
  const [fresh, setFresh] = useState<{ id: string; copied: boolean } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setInvites(await listInvites(conversationId));
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  }, [conversationId]);
  // Again whenever people join or leave (a link's use count may have changed): that is all `membersKey` is for.
  // biome-ignore lint/correctness/useExhaustiveDependencies(membersKey): a trigger, deliberately not read
  useEffect(() => {
    void load();
  }, [load, membersKey]);

  async function create() {
    setProblem(null);
    try {
      const invite = await createInvite(conversationId, role);
      let copied = false;
      try {
        await navigator.clipboard.writeText(linkOf(invite));
        copied = true;
      } catch {
        // No clipboard (an insecure origin, or permission refused): the link is shown to copy by hand.
      }
      setFresh({ id: invite.id, copied });
      await load();
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  }

  async function revoke(invite: Invite) {
    setProblem(null);
    try {
      await revokeInvite(conversationId, invite.id);
      await load();
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  }

  // The link just made, while it can still be used (a revoked one is not offered to copy).
  const newest = fresh && invites?.find((invite) => invite.id === fresh.id && stateOf(invite) === 'usable');
  return (
    <div className="invite-links">
      <div className="invite-create">
        {canInviteAdmins && (
          <select
            aria-label="Role the link gives"
            value={role}
            onChange={(event) => setRole(event.target.value as 'member' | 'admin')}
          >
            <option value="member">as member</option>
            <option value="admin">as admin</option>
          </select>
        )}
        <button type="button" className="secondary" onClick={() => void create()}>
          Create invite link
        </button>
      </div>
      {newest && (
        <p className="invite-link">
          <input readOnly aria-label="Invite link" value={linkOf(newest)} onFocus={(event) => event.target.select()} />
          <span className="muted" role="status">
            {fresh.copied ? 'Copied to the clipboard.' : 'Copy this link and send it.'}
          </span>
        </p>
      )}
      {invites && invites.length > 0 && (
        <ul className="invite-list" aria-label="All invitation links">
          {invites.map((invite) => {
            const state = stateOf(invite);
            return (
              <li key={invite.id} className={state === 'usable' ? 'invite' : 'invite spent'}>
                <span className="invite-facts">
                  <code title={linkOf(invite)}>…{invite.token.slice(-6)}</code> {invite.role} · used {invite.useCount}
                  {invite.maxUses !== null ? ` of ${invite.maxUses}` : ''} ·{' '}
                  {state === 'usable'
                    ? invite.expiresAt
                      ? `until ${new Date(invite.expiresAt).toLocaleDateString()}`
                      : 'no expiry'
                    : state}
                </span>
                {state === 'usable' && (
                  <button
                    type="button"
                    className="link"
                    aria-label={`Revoke the link ending ${invite.token.slice(-6)}`}
                    onClick={() => void revoke(invite)}
                  >
                    Revoke
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <FormProblem problem={problem} />
    </div>
  );
}

function stateOf(invite: Invite): 'usable' | 'revoked' | 'expired' | 'used up' {
  if (invite.revokedAt) return 'revoked';
  if (invite.expiresAt && new Date(invite.expiresAt).getTime() <= Date.now()) return 'expired';
  if (invite.maxUses !== null && invite.useCount >= invite.maxUses) return 'used up';
  return 'usable';
}
