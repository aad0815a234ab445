// The models one may ask for another reply to the newest message (see MessageView's AskAnotherModel): loaded when
// its popover first opens, not with the first screen.
import type { PickableModel } from '../types.ts';
import { modelLabel } from './ModelPicker.tsx';

type Props = { models: PickableModel[]; onPick: (modelId: string) => void };

export function AnotherModelList({ models, onPick }: Props) {
  return (
    <div className="model-picker-panel another-model-list">
      <p className="muted">The new reply appears beside the ones there; they stay.</p>
      {models.map((model) => (
        <button key={model.id} type="button" className="secondary" onClick={() => onPick(model.id)}>
          {modelLabel(model)}
        </button>
      ))}
      {models.length === 0 && <p className="muted">No model is available to you.</p>}
    </div>
  );
}
