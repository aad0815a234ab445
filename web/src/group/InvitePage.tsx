// /invite/<token>: accepts an invitation link (POST /api/invites/:token/accept) and opens the conversation.
import { useEffect, useState } from 'react';
import { ApiError } from '../api.ts';
import { conversationPath, navigate } from '../router.ts';
import { acceptInvite } from './conversation-api.ts';

const REFUSALS: Record<string, string> = {
  expired: 'This invitation has expired.',
  used_up: 'This invitation has been used as many times as it allows.',
  revoked: 'This invitation was withdrawn.',
};

export function InvitePage({ token, onJoined }: { token: string; onJoined: () => void }) {
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    acceptInvite(token)
      .then((accepted) => {
        if (!current) return;
        onJoined();
        navigate(conversationPath(accepted.conversation.id), { replace: true });
      })
      .catch((error: unknown) => {
        if (!current) return;
        const reason =
          error instanceof ApiError ? (error.details as { reason?: string } | undefined)?.reason : undefined;
        if (reason && REFUSALS[reason]) setProblem(REFUSALS[reason]);
        else if (error instanceof ApiError && error.status === 404) setProblem('This invitation link is not valid.');
        else setProblem(error instanceof Error ? error.message : String(error));
      });
    return () => {
      current = false;
    };
  }, [token, onJoined]);
  return (
    <div className="chat-placeholder" role={problem ? 'alert' : 'status'}>
      {problem ?? 'Joining the conversation…'}
    </div>
  );
}
