import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { AtIcon, BellIcon, BellOffIcon } from '../../components/icons';
import { NOTIFY_LEVELS, notifyLevelOf, type NotifyLevel, type RoomSummary } from '../../lib/protocol';
import { httpErrorText } from './errors';
import { asSummary, setNotifyLevel } from './roomsApi';

export const NOTIFY_LABELS: Record<NotifyLevel, { label: string; hint: string }> = {
  all: { label: 'All messages', hint: 'Every new message' },
  mentions: { label: 'Mentions only', hint: 'When someone mentions you or @room' },
  none: { label: 'Nothing', hint: 'Muted: no notifications' },
};

const ICONS: Record<NotifyLevel, () => React.ReactNode> = { all: BellIcon, mentions: AtIcon, none: BellOffIcon };

interface Props {
  room: RoomSummary;
  /** The server's summary after the change. */
  onChanged: (room: RoomSummary) => void;
  onError: (text: string) => void;
}

/**
 * The room header's notification menu (a menu button with three radio items): my level for this
 * room, saved with PUT /api/rooms/{id}/notify. Arrow keys, Home/End move, Enter/Space choose,
 * Escape closes and returns to the button.
 */
export function NotifyMenu({ room, onChanged, onError }: Props) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const menuId = useId();
  const levelId = useId();
  const level = notifyLevelOf(room);

  // Opening focuses the checked item; a click elsewhere closes.
  useEffect(() => {
    if (!open) return;
    menuRef.current?.querySelector<HTMLElement>('[aria-checked="true"]')?.focus();
    const onDown = (e: MouseEvent) => {
      const t = e.target as Node | null;
      if (t && !menuRef.current?.contains(t) && !buttonRef.current?.contains(t)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  function close(refocus: boolean) {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  }

  async function choose(next: NotifyLevel) {
    close(true);
    if (next === level || busy) return;
    setBusy(true);
    try {
      const answer = asSummary(await setNotifyLevel(room.id, next));
      onChanged(answer ? { ...answer, notify: answer.notify ?? next } : { ...room, notify: next });
    } catch (e) {
      onError(`Could not change notifications: ${httpErrorText(e)}`);
    } finally {
      setBusy(false);
    }
  }

  function onMenuKey(e: KeyboardEvent<HTMLDivElement>) {
    const items = [...(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitemradio"]') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLElement);
    const move = (i: number) => items[(i + items.length) % items.length]?.focus();
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        move(at + 1);
        break;
      case 'ArrowUp':
        e.preventDefault();
        move(at - 1);
        break;
      case 'Home':
        e.preventDefault();
        move(0);
        break;
      case 'End':
        e.preventDefault();
        move(items.length - 1);
        break;
      case 'Escape':
        e.preventDefault();
        e.stopPropagation();
        close(true);
        break;
      case 'Tab':
        close(false);
        break;
    }
  }

  return (
    <div className="notify-menu">
      <button
        ref={buttonRef}
        type="button"
        className={`icon notify-button level-${level}`}
        aria-label="Notifications"
        aria-describedby={levelId}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        title={`Notifications: ${NOTIFY_LABELS[level].label}`}
        disabled={busy}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' && !open) {
            e.preventDefault();
            setOpen(true);
          }
        }}
        data-testid="notify-button"
        data-level={level}
      >
        {ICONS[level]()}
      </button>
      <span id={levelId} className="visually-hidden">
        {NOTIFY_LABELS[level].label}
      </span>
      {open ? (
        <div
          ref={menuRef}
          id={menuId}
          className="notify-popup"
          role="menu"
          aria-label="Notifications"
          onKeyDown={onMenuKey}
          data-testid="notify-menu"
        >
          {NOTIFY_LEVELS.map((l) => (
            <button
              key={l}
              type="button"
              role="menuitemradio"
              aria-checked={l === level}
              aria-label={NOTIFY_LABELS[l].label}
              aria-describedby={`${menuId}-${l}`}
              tabIndex={l === level ? 0 : -1}
              className="notify-option"
              onClick={() => void choose(l)}
              data-testid="notify-option"
              data-level={l}
            >
              <span className="notify-check" aria-hidden="true">
                {l === level ? '✓' : ''}
              </span>
              <span className="notify-text">
                <span className="notify-label">{NOTIFY_LABELS[l].label}</span>
                <span className="notify-hint" id={`${menuId}-${l}`}>
                  {NOTIFY_LABELS[l].hint}
                </span>
              </span>
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}
