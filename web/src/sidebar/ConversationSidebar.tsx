// The sidebar: the person's conversations, newest activity first, more loaded by cursor as the list is scrolled;
// a new chat; rename in place; delete after a confirmation dialog. Conversations of Discord channels carry a badge;
// the account line offers to link the person's Discord account. A search box above the list finds what was said
// (SearchBox.tsx); while it holds a query its hits take the list's place. Each person keeps their conversations
// in order: pinned ones first, archived ones in a list of their own, folders (FolderBar.tsx) filled by dragging a
// conversation onto one or from its menu (ConversationMenu.tsx).
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { apiRequest } from '../api.ts';
import { FormProblem } from '../form-problem.tsx';
import { PersonAvatar } from '../group/avatars.tsx';
import { conversationPath, navigate } from '../router.ts';
import type { ConversationFolder, ConversationSummary, Page, PlacementChanges, Profile } from '../types.ts';
import { ConversationMenu } from './ConversationMenu.tsx';
import { ConfirmDelete, RenameForm } from './ConversationRowForms.tsx';
import { CONVERSATION_DRAG_TYPE, FolderBar, type ListView } from './FolderBar.tsx';
import { SearchBox } from './SearchBox.tsx';

// Opened on demand: loaded then, not with the first screen.
const ImportDialog = lazy(() =>
  import('../transcripts/ImportDialog.tsx').then((module) => ({ default: module.ImportDialog })),
);
const SettingsDialog = lazy(() =>
  import('./SettingsDialog.tsx').then((module) => ({ default: module.SettingsDialog })),
);
const DiscordLinkDialog = lazy(() =>
  import('./DiscordLinkDialog.tsx').then((module) => ({ default: module.DiscordLinkDialog })),
);

const PAGE_SIZE = 30;

type Props = {
  profile: Profile;
  activeConversationId: string | null;
  /** Changes when the list may have changed (a chat was created or answered). */
  refreshKey: number;
  onNewChat: () => void;
  /** A guest's way to sign up or in, keeping their conversations. */
  onJoin: () => void;
  onSignOut: () => void;
  onDeleted: (conversationId: string) => void;
  /** The person linked their Discord account: their profile and their list have changed. */
  onDiscordLinked: () => void;
  /** On a narrow screen the sidebar is a drawer: the search shortcut opens it, choosing a hit closes it. */
  onDrawerChange: (open: boolean) => void;
  /** The person changed their name or preferences in Settings. */
  onSettingsChanged: () => void;
};

export function ConversationSidebar({
  profile,
  activeConversationId,
  refreshKey,
  onNewChat,
  onJoin,
  onSignOut,
  onDeleted,
  onDiscordLinked,
  onDrawerChange,
  onSettingsChanged,
}: Props) {
  const [searching, setSearching] = useState(false);
  const openDrawer = useCallback(() => onDrawerChange(true), [onDrawerChange]);
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
  const [view, setView] = useState<ListView>({ kind: 'main' });
  const [folders, setFolders] = useState<ConversationFolder[]>([]);

  const loadFolders = useCallback(async () => {
    try {
      setFolders((await apiRequest<{ items: ConversationFolder[] }>('GET', '/api/folders')).items);
    } catch (error) {
      setProblem(`Could not load folders: ${error instanceof Error ? error.message : String(error)}`);
    }
  }, []);
  useEffect(() => {
    void loadFolders();
  }, [loadFolders]);

  const loadPage = useCallback(
    async (cursor: string | null) => {
      setLoading(true);
      try {
        const query = new URLSearchParams({
          limit: String(PAGE_SIZE),
          ...(cursor ? { cursor } : {}),
          ...(view.kind === 'archived' ? { archived: 'true' } : {}),
          ...(view.kind === 'folder' ? { folderId: view.folderId } : {}),
        });
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
    },
    [view],
  );

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

  async function place(conversationId: string, changes: PlacementChanges) {
    try {
      await apiRequest('PATCH', `/api/conversations/${conversationId}/placement`, changes);
    } catch (error) {
      setProblem(`Could not change it: ${error instanceof Error ? error.message : String(error)}`);
    }
    void loadPage(null);
  }

  async function changeFolders(change: () => Promise<unknown>, afterwards: ListView = view) {
    try {
      await change();
      setProblem(null);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
    await loadFolders();
    setView(afterwards);
    if (afterwards === view) void loadPage(null);
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
      <SearchBox onActiveChange={setSearching} onShortcut={openDrawer} onChosen={() => onDrawerChange(false)} />
      {!searching && (
        <FolderBar
          folders={folders}
          view={view}
          onView={setView}
          onCreate={(name) => changeFolders(() => apiRequest('POST', '/api/folders', { name }))}
          onRename={(folder, name) => changeFolders(() => apiRequest('PATCH', `/api/folders/${folder.id}`, { name }))}
          onDelete={(folder) =>
            changeFolders(() => apiRequest('DELETE', `/api/folders/${folder.id}`), { kind: 'main' })
          }
          onDrop={(conversationId, folderId) => void place(conversationId, { folderId })}
        />
      )}
      <FormProblem problem={problem} />
      <ul className="conversation-list" hidden={searching}>
        {items.map((conversation) => (
          <li
            key={conversation.id}
            className={conversation.id === activeConversationId ? 'conversation active' : 'conversation'}
            draggable={renaming !== conversation.id}
            onDragStart={(event) => {
              event.dataTransfer.setData(CONVERSATION_DRAG_TYPE, conversation.id);
              event.dataTransfer.effectAllowed = 'move';
            }}
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
                {conversation.pinned && (
                  <span className="pin-mark" role="img" aria-label="Pinned" title="Pinned">
                    📌
                  </span>
                )}
                <ConversationMenu
                  conversation={conversation}
                  folders={folders}
                  onPlace={(changes) => void place(conversation.id, changes)}
                />
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
        {!loading && items.length === 0 && !problem && (
          <li className="conversation-empty">
            {view.kind === 'main'
              ? 'No conversations yet.'
              : view.kind === 'archived'
                ? 'Nothing archived.'
                : 'This folder is empty.'}
          </li>
        )}
      </ul>
      <div className="account">
        <span className="account-name" title={profile.email ?? 'guest'}>
          {profile.avatarUrl && (
            <>
              <PersonAvatar name="" avatarUrl={profile.avatarUrl} />{' '}
            </>
          )}
          {profile.isGuest ? 'Guest' : (profile.displayName ?? profile.username)}
        </span>
        {profile.isGuest && (
          <button type="button" className="link" onClick={onJoin}>
            Sign up or sign in
          </button>
        )}
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
      <Suspense fallback={null}>
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
      </Suspense>
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
