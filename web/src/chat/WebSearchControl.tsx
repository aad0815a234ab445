// Web search for the next message, with how much of each page the models take in (the API's context size): offered
// when every answering model can search; when only some can, it says which ones stand in the way.
import { useId } from 'react';
import type { WebSearchSize } from '../types.ts';
import { type AnsweringModel, namesOf, unableToSearch } from './answering-models.ts';

export type WebSearchSetting = { on: boolean; contextSize: WebSearchSize };

/** The `webSearch` of POST /api/chat: sent only when on and every answering model can search. */
export function webSearchRequest(
  setting: WebSearchSetting,
  answering: AnsweringModel[],
): { contextSize: WebSearchSize } | undefined {
  return setting.on && answering.length > 0 && unableToSearch(answering).length === 0
    ? { contextSize: setting.contextSize }
    : undefined;
}

type Props = { answering: AnsweringModel[]; setting: WebSearchSetting; onChange: (setting: WebSearchSetting) => void };

export function WebSearchControl({ answering, setting, onChange }: Props) {
  const ids = useId();
  const unable = unableToSearch(answering);
  if (answering.length === 0 || unable.length === answering.length) return null;
  if (unable.length > 0) {
    return (
      <p className="composer-note muted">
        Web search: {namesOf(unable)} cannot search the web; pick only models that can to turn it on.
      </p>
    );
  }
  return (
    <fieldset className="web-search" aria-label="Web search">
      <label className="checkbox">
        <input
          type="checkbox"
          checked={setting.on}
          onChange={(event) => onChange({ ...setting, on: event.target.checked })}
        />
        Search the web
      </label>
      {setting.on && (
        <span className="web-search-size">
          <label htmlFor={`${ids}-size`}>Context size</label>
          <select
            id={`${ids}-size`}
            value={setting.contextSize}
            onChange={(event) => onChange({ ...setting, contextSize: event.target.value as WebSearchSize })}
          >
            <option value="low">low</option>
            <option value="medium">medium</option>
            <option value="high">high</option>
          </select>
        </span>
      )}
    </fieldset>
  );
}
