// The latest version's text with the open suggestions where they would apply: the original text struck out, the
// suggested text beside it, the reason, and (for the document's writers) accept and reject. Suggestions whose text
// is no longer found, or that overlap another, are listed after the text.
import type { Suggestion } from '../types.ts';
import { placeSuggestions } from './text-changes.ts';

type Props = {
  content: string;
  suggestions: Suggestion[];
  canEdit: boolean;
  onResolve: (id: string, decision: 'accept' | 'reject') => void;
};

function SuggestedEdit({
  suggestion,
  canEdit,
  onResolve,
}: Omit<Props, 'content' | 'suggestions'> & { suggestion: Suggestion }) {
  return (
    <span className="suggestion-inline">
      <del>{suggestion.originalText}</del> <ins>{suggestion.suggestedText}</ins>
      {suggestion.description && <span className="suggestion-reason"> {suggestion.description}</span>}
      {canEdit && (
        <span className="suggestion-actions">
          <button type="button" onClick={() => onResolve(suggestion.id, 'accept')}>
            Accept
          </button>
          <button type="button" className="secondary" onClick={() => onResolve(suggestion.id, 'reject')}>
            Reject
          </button>
        </span>
      )}
    </span>
  );
}

export function SuggestedText({ content, suggestions, canEdit, onResolve }: Props) {
  const { pieces, unplaced } = placeSuggestions(content, suggestions);
  return (
    <section aria-label="Suggestions" className="document-suggestions">
      <div className="suggested-text">
        {pieces.map((piece, index) =>
          piece.suggestion ? (
            <SuggestedEdit
              key={piece.suggestion.id}
              suggestion={piece.suggestion}
              canEdit={canEdit}
              onResolve={onResolve}
            />
          ) : (
            // biome-ignore lint/suspicious/noArrayIndexKey: plain pieces sit between suggestions, in this order alone
            <span key={index}>{piece.text}</span>
          ),
        )}
      </div>
      {unplaced.length > 0 && (
        <>
          <h3>Suggestions not found in the text</h3>
          <ul>
            {unplaced.map((suggestion) => (
              <li key={suggestion.id}>
                <SuggestedEdit suggestion={suggestion} canEdit={canEdit} onResolve={onResolve} />
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
