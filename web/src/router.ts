// Page addresses without a router library: the app has few pages, and the server answers index.html for all of
// them (src/http/web-app.ts). `navigate` pushes an address; back and forward work as usual.
import { useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();

function subscribe(listener: () => void) {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  window.addEventListener('hashchange', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
    window.removeEventListener('hashchange', listener);
  };
}

/** `path` may end in a #fragment (a message to show): going to the same page with another one still goes. */
export function navigate(path: string, options: { replace?: boolean } = {}) {
  if (path === window.location.pathname + window.location.hash) return;
  if (options.replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  for (const listener of listeners) listener();
}

export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

/** The address's #fragment without its '#', or '' (say, the message to scroll to). */
export function useLocationHash(): string {
  return useSyncExternalStore(subscribe, () => window.location.hash.slice(1));
}

/** The admin pages, each at /admin/<page>. */
export const ADMIN_PAGES = [
  'models',
  'users',
  'access',
  'tools',
  'usage',
  'metrics',
  'config',
  'discord',
  'backups',
] as const;
export type AdminPage = (typeof ADMIN_PAGES)[number];

export type Route =
  | { page: 'new-chat' }
  | { page: 'conversation'; conversationId: string }
  | { page: 'invite'; token: string }
  | { page: 'admin'; section: AdminPage | 'unknown' }
  | { page: 'not-found' };

export function routeOf(pathname: string): Route {
  if (pathname === '/') return { page: 'new-chat' };
  const conversation = /^\/c\/([0-9a-f-]{36})$/i.exec(pathname);
  if (conversation) return { page: 'conversation', conversationId: conversation[1]!.toLowerCase() };
  const invite = /^\/invite\/([^/]{1,64})$/.exec(pathname);
  if (invite) return { page: 'invite', token: invite[1]! };
  if (pathname === '/admin' || pathname === '/admin/') return { page: 'admin', section: 'models' };
  const admin = /^\/admin\/([a-z]+)\/?$/.exec(pathname);
  if (admin && (ADMIN_PAGES as readonly string[]).includes(admin[1]!)) {
    return { page: 'admin', section: admin[1] as AdminPage };
  }
  if (pathname.startsWith('/admin/')) return { page: 'admin', section: 'unknown' };
  return { page: 'not-found' };
}

export const conversationPath = (conversationId: string) => `/c/${conversationId}`;
