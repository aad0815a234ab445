// The keyboard shortcuts, shown by `?`.
import { ModalDialog } from '../dialogs/ModalDialog.tsx';
import { OTHER_KEYS, SHORTCUTS } from './shortcuts.ts';

export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  return (
    <ModalDialog title="Keyboard shortcuts" onCancel={onClose}>
      <dl className="shortcuts">
        {[...SHORTCUTS, ...OTHER_KEYS].map((shortcut) => (
          <div key={shortcut.keys}>
            <dt>
              <kbd>{shortcut.keys}</kbd>
            </dt>
            <dd>{shortcut.description}</dd>
          </div>
        ))}
      </dl>
      <div className="dialog-actions">
        <button type="button" className="primary" onClick={onClose}>
          Close
        </button>
      </div>
    </ModalDialog>
  );
}
