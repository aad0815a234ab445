// The sidebar: the person's conversations, newest activity first, more loaded by cursor as the list is scrolled;
// a new chat; rename in place; delete after a confirmation dialog. Conversations of Discord channels carry a badge;
// the account line offers to link the person's Discord account.
import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { apiRequest } from '../api.ts';
import { ConfirmDialog } from '../dialogs/ModalDialog.tsx';
import { FormProblem } from '../form-problem.tsx';
import { conversationPath, navigate } from '../router.ts';
import { ImportDialog } from '../transcripts/ImportDialog.tsx';
import type { ConversationSummary, Page, Profile } from '../types.ts';
import { DiscordLinkDialog } from './DiscordLinkDialog.tsx';
import { SettingsDialog } from './SettingsDialog.tsx';

const PAGE_SIZE = 30;

type Props = {
  profile: Profile;
  activeConversationId: string | null;
  /** Changes when the list may have changed (a chat was created or answered). */
  refreshKey: number;
  onNewChat: () => void;
  onSignOut: () => void;
  onDeleted: (conversationId: string) => void;
  /** The person linked their Discord account: their profile and their list have changed. */
  onDiscordLinked: () => void;
  /** The person changed their name or preferences in Settings. */
  onSettingsChanged: () => void;
};

export function ConversationSidebar({
  profile,
  activeConversationId,
  refreshKey,
  onNewChat,
  onSignOut,
  onDeleted,
  onDiscordLinked,
  onSettingsChanged,
}: Props) {
  const [items, setItems] = useState<ConversationSummary[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<ConversationSummary | null>(null);
  const [linkingDiscord, setLinkingDiscord] = useState(false);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [importing, setImporting] = useState(false);
  const sentinel = useRef<HTMLLIElement>(null);

  const loadPage = useCallback(async (cursor: string | null) => {
    setLoading(true);
    try {
      const query = new URLSearchParams({ limit: String(PAGE_SIZE), ...(cursor ? { cursor } : {}) });
      const page = await apiRequest<Page<ConversationSummary>>('GET', `/api/conversations?${query}`);
      setItems((current) =>
        cursor
          ? [...current, ...page.items.filter((item) => !current.some((known) => known.id === item.id))]
          : page.items,
      );
      setNextCursor(page.nextCursor);
      setProblem(null);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setLoading(false);
    }
  }, []);

  // The first page again whenever the parent says the list may have changed: that is all `refreshKey` is for.
  // biome-ignore lint/correctness/useExhaustiveDependencies(refreshKey): a trigger, deliberately not read
  useEffect(() => {
    void loadPage(null);
  }, [loadPage, refreshKey]);

  // Loads the next page when the end of the list scrolls into view.
  useEffect(() => {
    const end = sentinel.current;
    if (!end || !nextCursor) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting) && !loading) void loadPage(nextCursor);
    });
    observer.observe(end);
    return () => observer.disconnect();
  }, [nextCursor, loading, loadPage]);

  async function rename(conversation: ConversationSummary, title: string) {
    setRenaming(null);
    const trimmed = title.trim();
    if (!trimmed || trimmed === conversation.title) return;
    setItems((current) => current.map((item) => (item.id === conversation.id ? { ...item, title: trimmed } : item)));
    try {
      await apiRequest('PATCH', `/api/conversations/${conversation.id}`, { title: trimmed });
    } catch (error) {
      setProblem(`Could not rename: ${error instanceof Error ? error.message : String(error)}`);
      void loadPage(null);
    }
  }

  async function remove(conversation: ConversationSummary) {
    setDeleting(null);
    try {
      await apiRequest('DELETE', `/api/conversations/${conversation.id}`);
      setItems((current) => current.filter((item) => item.id !== conversation.id));
      onDeleted(conversation.id);
    } catch (error) {
      setProblem(`Could not delete: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  return (
    <nav className="sidebar" aria-label="Conversations">
      <button type="button" className="primary new-chat" onClick={onNewChat}>
        + New chat
      </button>
      <button type="button" className="link import-conversations" onClick={() => setImporting(true)}>
        Import conversations…
      </button>
      <FormProblem problem={problem} />
      <ul className="conversation-list">
        {items.map((conversation) => (
          <li
            key={conversation.id}
            className={conversation.id === activeConversationId ? 'conversation active' : 'conversation'}
          >
            {renaming === conversation.id ? (
              <RenameForm
                conversation={conversation}
                onDone={(title) => void rename(conversation, title)}
                onCancel={() => setRenaming(null)}
              />
            ) : (
              <>
                <a
                  href={conversationPath(conversation.id)}
                  aria-current={conversation.id === activeConversationId ? 'page' : undefined}
                  onClick={(event) => {
                    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
                    event.preventDefault();
                    navigate(conversationPath(conversation.id));
                  }}
                >
                  {conversation.title ?? 'Untitled chat'}
                </a>
                {conversation.origin === 'discord' && (
                  <span className="badge discord-badge" title="A Discord channel's conversation">
                    Discord
                  </span>
                )}
                {conversation.role === 'owner' && (
                  <span className="conversation-actions">
                    <button
                      type="button"
                      className="icon"
                      aria-label={`Rename ${conversation.title ?? 'Untitled chat'}`}
                      onClick={() => setRenaming(conversation.id)}
                    >
                      ✎
                    </button>
                    <button
                      type="button"
                      className="icon"
                      aria-label={`Delete ${conversation.title ?? 'Untitled chat'}`}
                      onClick={() => setDeleting(conversation)}
                    >
                      ✕
                    </button>
                  </span>
                )}
              </>
            )}
          </li>
        ))}
        {nextCursor && (
          <li ref={sentinel} className="conversation-more">
            <button type="button" className="link" disabled={loading} onClick={() => void loadPage(nextCursor)}>
              {loading ? 'Loading…' : 'Load more'}
            </button>
          </li>
        )}
        {!loading && items.length === 0 && !problem && <li className="conversation-empty">No conversations yet.</li>}
      </ul>
      <div className="account">
        <span className="account-name" title={profile.email ?? 'guest'}>
          {profile.isGuest ? 'Guest' : (profile.displayName ?? profile.username)}
        </span>
        {!profile.isGuest &&
          (profile.discordId ? (
            <span className="badge discord-badge" title="Your Discord account is linked">
              Discord linked
            </span>
          ) : (
            <button type="button" className="link" onClick={() => setLinkingDiscord(true)}>
              Link Discord
            </button>
          ))}
        {!profile.isGuest && (
          <button type="button" className="link" onClick={() => setSettingsOpen(true)}>
            Settings
          </button>
        )}
        <a className="link" href="/api/me/export" download>
          Download my data
        </a>
        <button type="button" className="link" onClick={onSignOut}>
          Sign out
        </button>
      </div>
      {settingsOpen && (
        <SettingsDialog profile={profile} onChanged={onSettingsChanged} onClose={() => setSettingsOpen(false)} />
      )}
      {linkingDiscord && (
        <DiscordLinkDialog
          onLinked={() => {
            setLinkingDiscord(false);
            onDiscordLinked();
          }}
          onCancel={() => setLinkingDiscord(false)}
        />
      )}
      {importing && (
        <ImportDialog
          onClose={() => setImporting(false)}
          onImported={(result) => {
            setImporting(false);
            void loadPage(null);
            const first = result.conversations[0];
            if (first) navigate(conversationPath(first.id));
          }}
        />
      )}
      {deleting && (
        <ConfirmDelete
          conversation={deleting}
          onConfirm={() => void remove(deleting)}
          onCancel={() => setDeleting(null)}
        />
      )}
    </nav>
  );
}

function RenameForm({
  conversation,
  onDone,
  onCancel,
}: {
  conversation: ConversationSummary;
  onDone: (title: string) => void;
  onCancel: () => void;
}) {
  const [title, setTitle] = useState(conversation.title ?? '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onDone(title);
  };
  return (
    <form className="rename-form" onSubmit={submit}>
      <label className="visually-hidden" htmlFor={`rename-${conversation.id}`}>
        New name
      </label>
      <input
        id={`rename-${conversation.id}`}
        value={title}
        maxLength={255}
        autoFocus
        onChange={(event) => setTitle(event.target.value)}
        onKeyDown={(event) => event.key === 'Escape' && onCancel()}
        onBlur={() => onDone(title)}
      />
    </form>
  );
}

function ConfirmDelete({
  conversation,
  onConfirm,
  onCancel,
}: {
  conversation: ConversationSummary;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <ConfirmDialog
      title={`Delete “${conversation.title ?? 'Untitled chat'}”?`}
      message="The conversation and all its messages are deleted for everyone in it. This cannot be undone."
      confirmLabel="Delete"
      destructive
      onConfirm={onConfirm}
      onCancel={onCancel}
    />
  );
}
