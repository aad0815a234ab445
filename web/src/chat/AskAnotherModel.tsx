// "Ask another model" under the newest turn: a popover listing the models one may pick (AnotherModelList.tsx,
// loaded when it first opens); picking one closes it and asks that model to answer the same message, its reply kept
// beside the ones there.
import { lazy, Suspense, useRef } from 'react';
import { usePopover } from '../popover.ts';
import type { PickableModel } from '../types.ts';

const AnotherModelList = lazy(() =>
  import('./AnotherModelList.tsx').then((module) => ({ default: module.AnotherModelList })),
);

/** Asking another model to answer the same message, its reply kept beside these. */
export type AskAnother = { models: PickableModel[]; onAsk: (modelId: string) => void };

export function AskAnotherModel({ models, onAsk }: AskAnother) {
  const root = useRef<HTMLDetailsElement>(null);
  const popover = usePopover(root);
  return (
    <details className="ask-another" ref={root} {...popover}>
      <summary>⇄ Ask another model</summary>
      {popover.open && (
        <Suspense fallback={null}>
          <AnotherModelList
            models={models}
            onPick={(modelId) => {
              root.current?.removeAttribute('open');
              onAsk(modelId);
            }}
          />
        </Suspense>
      )}
    </details>
  );
}
