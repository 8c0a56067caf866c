import { useState, type KeyboardEvent, type Ref } from 'react';

export type SearchScope = 'all' | 'room';

interface Props {
  /** The open room, for the "this room" scope (null: none is open). */
  activeRoom: { id: string; label: string } | null;
  /** Runs a search (room null: all my rooms). */
  onSearch: (q: string, room: string | null) => void;
  /** The results panel is shown: Escape closes it, a new scope searches again. */
  panelOpen: boolean;
  onClosePanel: () => void;
  inputRef?: Ref<HTMLInputElement>;
}

/** The search field at the top of the sidebar, with its scope: all my rooms or the open room. */
export function SearchBox({ activeRoom, onSearch, panelOpen, onClosePanel, inputRef }: Props) {
  const [text, setText] = useState('');
  const [scope, setScope] = useState<SearchScope>('all');
  const effective: SearchScope = scope === 'room' && activeRoom ? 'room' : 'all';

  function submit(nextScope: SearchScope = effective) {
    if (!text.trim()) return;
    onSearch(text, nextScope === 'room' && activeRoom ? activeRoom.id : null);
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key !== 'Escape') return;
    // Escape closes the results first, then leaves the field; the text stays either way.
    e.preventDefault();
    e.stopPropagation();
    if (panelOpen) onClosePanel();
    else e.currentTarget.blur();
  }

  return (
    <form
      role="search"
      className="search-box"
      aria-label="Search messages"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      data-testid="search-form"
    >
      <div className="search-row">
        <input
          ref={inputRef}
          type="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
          placeholder="Search messages"
          aria-label="Search messages"
          title="Search messages (Ctrl+K or /)"
          aria-keyshortcuts="Control+K Meta+K /"
          autoComplete="off"
          spellCheck={false}
          enterKeyHint="search"
          data-testid="search-input"
        />
        <button type="submit" className="icon search-submit" aria-label="Search" data-testid="search-submit">
          <svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <circle cx="11" cy="11" r="6.5" fill="none" stroke="currentColor" strokeWidth="2" />
            <path d="M16 16l4.5 4.5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
          </svg>
        </button>
      </div>
      <label className="search-scope">
        <span>In</span>
        <select
          value={effective}
          onChange={(e) => {
            const next = e.target.value === 'room' ? 'room' : 'all';
            setScope(next);
            if (panelOpen) submit(next);
          }}
          aria-label="Search in"
          data-testid="search-scope"
        >
          <option value="all">All my rooms</option>
          <option value="room" disabled={!activeRoom}>
            {activeRoom ? `This room (${activeRoom.label})` : 'This room'}
          </option>
        </select>
      </label>
    </form>
  );
}
