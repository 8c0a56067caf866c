import type { Suggestion } from './suggestions';

interface Props {
  id: string;
  suggestions: readonly Suggestion[];
  active: number;
  onPick: (index: number) => void;
  onHover: (index: number) => void;
}

export const optionId = (listId: string, index: number) => `${listId}-opt-${index}`;

/** The `@` suggestions under the caret's line: a listbox the textarea drives (aria-activedescendant). */
export function MentionSuggestions({ id, suggestions, active, onPick, onHover }: Props) {
  return (
    <ul
      className="mention-suggestions"
      role="listbox"
      id={id}
      aria-label="Mention suggestions"
      data-testid="mention-suggestions"
    >
      {suggestions.map((s, i) => (
        <li
          key={s.username}
          id={optionId(id, i)}
          role="option"
          aria-selected={i === active}
          className={`mention-option${i === active ? ' active' : ''}`}
          // Keep the focus in the textarea: pick on mousedown, before it would blur.
          onMouseDown={(e) => {
            e.preventDefault();
            onPick(i);
          }}
          onMouseEnter={() => onHover(i)}
          data-testid="mention-option"
          data-username={s.username}
        >
          <span className="mention-option-avatar" aria-hidden="true">
            {s.user ? (s.detail.trim()[0] ?? '?').toUpperCase() : '@'}
          </span>
          <span className="mention-option-name">@{s.username}</span>
          <span className="mention-option-detail">{s.detail}</span>
        </li>
      ))}
    </ul>
  );
}
