// The app's frame: getting in when nobody is signed in; otherwise the conversations beside the chat.
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { follow, NotAllowed } from './admin/NotAllowed.tsx';
import { apiRequest } from './api.ts';
import { AuthScreen } from './auth/AuthScreen.tsx';
import { ChatScreen } from './chat/ChatView.tsx';
import { InvitePage } from './group/InvitePage.tsx';
import { neighbouringConversation, type ShortcutAction, useKeyboardShortcuts } from './keyboard/shortcuts.ts';
import { ADMIN_PAGES, type AdminPage, conversationPath, navigate, routeOf, usePathname } from './router.ts';
import { useSession } from './session.ts';
import { ConversationSidebar } from './sidebar/ConversationSidebar.tsx';
import { applyTheme, rememberTheme } from './theme.ts';
import type { PickableModel, Profile, ResponseBody } from './types.ts';

const ADMIN_LINK_LABELS: Record<AdminPage, string> = {
  models: 'Models',
  users: 'People',
  access: 'Access',
  tools: 'Tools',
  usage: 'Usage',
  metrics: 'Metrics',
  config: 'Config',
  discord: 'Discord',
  backups: 'Backups',
};

/** No default models: one array, so a chat's effects do not see a new one on every render. */
const NO_MODELS: readonly string[] = [];

// The admin pages (and Chart.js with them) load only when an admin opens one.
const AdminScreen = lazy(() => import('./admin/AdminScreen.tsx'));
const ShortcutsDialog = lazy(() =>
  import('./keyboard/ShortcutsDialog.tsx').then((module) => ({ default: module.ShortcutsDialog })),
);

export function App() {
  const { state, refresh, signOut } = useSession();
  // A guest signing up or in: the sign-in screen, over their guest session (their chats move to the account). A
  // guest whose single sign-on failed comes back to it (with `?error=`), to read why.
  const [joining, setJoining] = useState(() => new URLSearchParams(window.location.search).has('error'));
  if (state.status === 'loading') return <div className="chat-placeholder">Loading…</div>;
  if (state.status === 'unreachable') {
    return (
      <div className="chat-placeholder" role="alert">
        Chorus cannot be reached: {state.message}{' '}
        <button type="button" className="link" onClick={() => void refresh()}>
          Try again
        </button>
      </div>
    );
  }
  if (state.status === 'signed-out') return <AuthScreen onSignedIn={() => void refresh()} />;
  if (joining && state.profile.isGuest) {
    return (
      <AuthScreen onSignedIn={() => void refresh().then(() => setJoining(false))} onCancel={() => setJoining(false)} />
    );
  }
  return (
    <SignedInApp
      profile={state.profile}
      onJoin={() => setJoining(true)}
      onSignOut={() => void signOut().then(() => navigate('/'))}
      onProfileChanged={() => void refresh()}
    />
  );
}

function SignedInApp({
  profile,
  onJoin,
  onSignOut,
  onProfileChanged,
}: {
  profile: Profile;
  onJoin: () => void;
  onSignOut: () => void;
  onProfileChanged: () => void;
}) {
  const pathname = usePathname();
  const route = routeOf(pathname);
  // The person's theme (preferences): light or dark whatever the system says, or the system's. Kept in the browser
  // too, so the next visit starts in it before the profile has loaded.
  const theme = profile.preferences.theme ?? 'system';
  useEffect(() => {
    applyTheme(theme);
    rememberTheme(theme);
  }, [theme]);
  const [models, setModels] = useState<PickableModel[]>([]);
  const [modelsProblem, setModelsProblem] = useState<string | null>(null);
  const [newChatId, setNewChatId] = useState(() => crypto.randomUUID());
  const [sidebarRefresh, setSidebarRefresh] = useState(0);
  const [sidebarOpen, setSidebarOpen] = useState(false);
  // Conversations begun in this tab: opening their address must not reload (and interrupt) the chat.
  const startedHere = useRef(new Set<string>());

  // Listed again on leaving the admin pages: an admin may just have added, retired or repriced a model.
  const inAdmin = route.page === 'admin';
  useEffect(() => {
    if (inAdmin) return;
    apiRequest<ResponseBody<'/api/models', 'get'>>('GET', '/api/models')
      .then((answer) => setModels(answer.models))
      .catch((error: unknown) => setModelsProblem(error instanceof Error ? error.message : String(error)));
  }, [inAdmin]);

  const conversationId =
    route.page === 'conversation' ? route.conversationId : route.page === 'new-chat' ? newChatId : null;
  const onStarted = useCallback((id: string) => {
    startedHere.current.add(id);
    navigate(conversationPath(id), { replace: true });
    setSidebarRefresh((count) => count + 1);
  }, []);
  const onFinished = useCallback(() => setSidebarRefresh((count) => count + 1), []);
  const newChat = useCallback(() => {
    setNewChatId(crypto.randomUUID());
    setSidebarOpen(false);
    navigate('/');
  }, []);
  const onLeft = useCallback(() => {
    newChat();
    setSidebarRefresh((count) => count + 1);
  }, [newChat]);

  // Choosing a conversation on a narrow screen closes the drawer, as the page for it renders (state adjusted while
  // rendering, not in an effect after it); so do Esc and a tap beside it.
  const [drawerConversationId, setDrawerConversationId] = useState(conversationId);
  if (drawerConversationId !== conversationId) {
    setDrawerConversationId(conversationId);
    setSidebarOpen(false);
  }
  const [showingShortcuts, setShowingShortcuts] = useState(false);
  const onShortcut = useCallback(
    (action: ShortcutAction) => {
      if (action === 'help') setShowingShortcuts(true);
      else if (action === 'new-chat') newChat();
      else if (action === 'focus-composer') document.getElementById('composer-input')?.focus();
      else {
        const next = neighbouringConversation(pathname, action === 'next-conversation' ? 1 : -1);
        if (next) navigate(next);
      }
    },
    [newChat, pathname],
  );
  useKeyboardShortcuts(onShortcut);

  useEffect(() => {
    if (!sidebarOpen) return;
    const onKeyDown = (event: KeyboardEvent) =>
      event.key === 'Escape' && !document.querySelector('dialog[open]') && setSidebarOpen(false);
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [sidebarOpen]);

  return (
    <div className={sidebarOpen ? 'layout sidebar-open' : 'layout'}>
      <header className="topbar">
        <button
          type="button"
          className="icon sidebar-toggle"
          aria-label={sidebarOpen ? 'Hide conversations' : 'Show conversations'}
          aria-expanded={sidebarOpen}
          onClick={() => setSidebarOpen((open) => !open)}
        >
          ☰
        </button>
        <span className="brand">Chorus</span>
      </header>
      {sidebarOpen && <div className="drawer-backdrop" aria-hidden="true" onClick={() => setSidebarOpen(false)} />}
      <ConversationSidebar
        profile={profile}
        activeConversationId={route.page === 'conversation' ? route.conversationId : null}
        refreshKey={sidebarRefresh}
        onNewChat={newChat}
        onJoin={onJoin}
        onSignOut={onSignOut}
        onDeleted={(id) => {
          if (id === conversationId) newChat();
        }}
        onSettingsChanged={onProfileChanged}
        onDiscordLinked={() => {
          onProfileChanged();
          setSidebarRefresh((count) => count + 1);
        }}
        onDrawerChange={setSidebarOpen}
      />
      <Suspense fallback={null}>
        {showingShortcuts && <ShortcutsDialog onClose={() => setShowingShortcuts(false)} />}
      </Suspense>
      <main className="main">
        {profile.role === 'admin' && (
          <nav className="admin-links" aria-label="Administration">
            <span className="muted">Admin:</span>
            {ADMIN_PAGES.map((page) => (
              <a
                key={page}
                href={`/admin/${page}`}
                onClick={follow(`/admin/${page}`)}
                aria-current={route.page === 'admin' && route.section === page ? 'page' : undefined}
              >
                {ADMIN_LINK_LABELS[page]}
              </a>
            ))}
          </nav>
        )}
        {modelsProblem && (
          <p className="form-problem" role="alert">
            The models could not be listed: {modelsProblem}
          </p>
        )}
        {route.page === 'invite' ? (
          <InvitePage token={route.token} onJoined={onFinished} />
        ) : route.page === 'admin' ? (
          profile.role === 'admin' ? (
            <Suspense fallback={<div className="chat-placeholder">Loading…</div>}>
              <AdminScreen profile={profile} section={route.section} />
            </Suspense>
          ) : (
            <NotAllowed />
          )
        ) : conversationId ? (
          <ChatScreen
            key={conversationId}
            conversationId={conversationId}
            viewerId={profile.id}
            fresh={route.page === 'new-chat' || startedHere.current.has(conversationId)}
            models={models}
            defaultModelIds={profile.preferences.defaultModelIds ?? NO_MODELS}
            onStarted={onStarted}
            onFinished={onFinished}
            onLeft={onLeft}
          />
        ) : (
          <div className="chat-placeholder">
            <h2>Page not found</h2>
            <button type="button" className="link" onClick={newChat}>
              Start a new chat
            </button>
          </div>
        )}
      </main>
    </div>
  );
}
