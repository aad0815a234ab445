// Above the chat: the models that answer (the picker, or a group's summary, or the title for a reader), and the
// conversation's Share, Export and settings, each opening its dialog or panel, loaded when first opened.
import { lazy, Suspense, useState } from 'react';
import { GroupSummary } from '../group/GroupSummary.tsx';
import type { ConversationDetails, PickableModel } from '../types.ts';
import { ModelPicker } from './ModelPicker.tsx';

const ConversationPanel = lazy(() =>
  import('../group/ConversationPanel.tsx').then((module) => ({ default: module.ConversationPanel })),
);
const ExportDialog = lazy(() =>
  import('../transcripts/ExportDialog.tsx').then((module) => ({ default: module.ExportDialog })),
);
const ShareDialog = lazy(() => import('./ShareDialog.tsx').then((module) => ({ default: module.ShareDialog })));

type Props = {
  group: boolean;
  /** Null until loaded, or for a chat not saved yet: then there is nothing to share, export or set. */
  details: ConversationDetails | null;
  readOnly: boolean;
  models: PickableModel[];
  selected: string[];
  viewerId: string;
  onSelect: (modelIds: string[]) => void;
  /** The conversation changed here (shared or made private). */
  onDetailsChanged: (details: ConversationDetails) => void;
  /** Its models or people changed in the settings panel. */
  onMembersChanged: () => void;
  onLeft: () => void;
};

export function ChatToolbar(props: Props) {
  const { group, details, readOnly, models, selected, viewerId, onSelect, onDetailsChanged, onMembersChanged, onLeft } =
    props;
  const [panelOpen, setPanelOpen] = useState(false);
  const [sharing, setSharing] = useState(false);
  const [exporting, setExporting] = useState(false);
  return (
    <>
      <div className="chat-toolbar">
        {group && details ? (
          <GroupSummary details={details} />
        ) : readOnly ? (
          <span className="chat-title">{details?.title ?? 'Untitled chat'}</span>
        ) : (
          <ModelPicker models={models} selected={selected} onChange={onSelect} />
        )}
        <span className="chat-toolbar-actions">
          {details && (
            <button type="button" className="secondary" onClick={() => setSharing(true)}>
              {details.visibility === 'public' ? 'Shared: public' : 'Share'}
            </button>
          )}
          {details && (
            <button type="button" className="secondary" onClick={() => setExporting(true)}>
              Export
            </button>
          )}
          {details && !readOnly && (
            <button
              type="button"
              className="secondary panel-toggle"
              aria-expanded={panelOpen}
              onClick={() => setPanelOpen((open) => !open)}
            >
              {panelOpen ? 'Close settings' : 'Group settings'}
            </button>
          )}
        </span>
      </div>
      <Suspense fallback={null}>
        {exporting && details && <ExportDialog conversationId={details.id} onClose={() => setExporting(false)} />}
        {sharing && details && (
          <ShareDialog details={details} onChanged={onDetailsChanged} onClose={() => setSharing(false)} />
        )}
        {panelOpen && details && !readOnly && (
          <ConversationPanel
            details={details}
            models={models}
            viewerId={viewerId}
            onChanged={onMembersChanged}
            onLeft={onLeft}
          />
        )}
      </Suspense>
    </>
  );
}
