// Who is signed in: at start and after signing in, better-auth's session (null, not a 401, when signed out, so the
// console stays clean), then GET /api/me for the profile.
import { useCallback, useEffect, useState } from 'react';
import { ApiError, apiRequest } from './api.ts';
import type { Profile } from './types.ts';

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out' }
  | { status: 'signed-in'; profile: Profile }
  | { status: 'unreachable'; message: string };

export function useSession() {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const refresh = useCallback(async () => {
    try {
      const session = await apiRequest<{ user?: unknown } | null>('GET', '/api/auth/get-session');
      if (!session?.user) {
        setState({ status: 'signed-out' });
        return;
      }
      const profile = await apiRequest<Profile>('GET', '/api/me');
      setState({ status: 'signed-in', profile });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) setState({ status: 'signed-out' });
      else setState({ status: 'unreachable', message: error instanceof Error ? error.message : String(error) });
    }
  }, []);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  const signOut = useCallback(async () => {
    await apiRequest('POST', '/api/auth/sign-out', {});
    setState({ status: 'signed-out' });
  }, []);
  return { state, refresh, signOut };
}
