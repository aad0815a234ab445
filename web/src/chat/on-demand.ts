// A piece of the app loaded the first time a reply needs it (the code highlighter, the math typesetter), then shared
// by every reply. Until it is there, or when it cannot load (offline, a stale deployment), replies show without it;
// a failed load is tried again by the next reply that needs it.
import { useEffect, useState } from 'react';

export type OnDemand<T> = { current: () => T | null; load: () => Promise<T> };

export function onDemand<T>(load: () => Promise<T>): OnDemand<T> {
  let value: T | null = null;
  let loading: Promise<T> | null = null;
  return {
    current: () => value,
    load: () => {
      loading ??= load().then(
        (loaded) => {
          value = loaded;
          return loaded;
        },
        (error: unknown) => {
          loading = null;
          throw error;
        },
      );
      return loading;
    },
  };
}

/** The piece once loaded, while `needed`; null otherwise. Asking for it starts its load. */
export function useOnDemand<T>(piece: OnDemand<T>, needed: boolean): T | null {
  const [loaded, setLoaded] = useState(piece.current);
  useEffect(() => {
    if (!needed || loaded) return;
    let mounted = true;
    piece
      .load()
      .then((ready) => mounted && setLoaded(() => ready))
      .catch(() => {
        // Shown without it; the next reply that needs it tries again.
      });
    return () => {
      mounted = false;
    };
  }, [piece, needed, loaded]);
  return needed ? loaded : null;
}
