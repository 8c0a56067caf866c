import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { User } from '../../lib/protocol';
import { buildListItems } from './grouping';
import { MessageItem, type MessageActions } from './MessageItem';
import { highestSeq, lowestSeq, type ChatMessage, type Conversation } from './messageStore';
import { highestVisibleSeq, isAtBottom, LOAD_OLDER_PX, scrollAfterChange, type SeqRect } from './scroll';

interface Props {
  roomName: string;
  conversation: Conversation;
  me: User;
  /** Show the unread divider after this seq (snapshot taken when the room was opened). */
  unreadAfterSeq: number | null;
  /** The tab is visible: reading is possible. */
  visible: boolean;
  actions: MessageActions;
  onLoadOlder: () => Promise<void>;
  /** Pages back until `seq` is loaded (or the start of the room). */
  onLoadUntil: (seq: number) => Promise<void>;
  onRead: (seq: number) => void;
  /** Scroll to this message and highlight it briefly once it is loaded (a clicked search hit). */
  focus?: { messageId: string; token: number } | null;
  /** The focused message was shown. */
  onFocusDone?: (token: number) => void;
}

/** How long a message brought into view stays highlighted. */
export const FOCUS_HIGHLIGHT_MS = 3000;

export function MessageList({
  roomName,
  conversation,
  me,
  unreadAfterSeq,
  visible,
  actions,
  onLoadOlder,
  onLoadUntil,
  onRead,
  focus = null,
  onFocusDone,
}: Props) {
  const { messages, hasMore, loadingOlder, loaded } = conversation;
  const ref = useRef<HTMLDivElement>(null);
  const atBottomRef = useRef(true);
  const prevHeightRef = useRef(0);
  const prevLowestRef = useRef<number | null>(null);
  const prevLastKeyRef = useRef<string | null>(null);
  const initialDoneRef = useRef(false);
  const jumpRef = useRef(false);
  const [atBottom, setAtBottom] = useState(true);
  const [seenUpTo, setSeenUpTo] = useState<number | null>(null);
  const [dividerAbove, setDividerAbove] = useState(false);
  const [jumping, setJumping] = useState(false);
  const [highlightedId, setHighlightedId] = useState<string | null>(null);

  const lowest = lowestSeq(messages);
  const firstUnread = unreadAfterSeq === null ? null : unreadAfterSeq + 1;
  const unreadLoaded = firstUnread !== null && lowest !== null && (lowest <= firstUnread || !hasMore);
  const hasUnreadDivider =
    unreadLoaded && messages.some((m) => m.seq !== null && m.seq > (unreadAfterSeq ?? 0) && m.sender.id !== me.id);

  const items = useMemo(
    () => buildListItems(messages, hasUnreadDivider ? unreadAfterSeq : null, me.id),
    [messages, hasUnreadDivider, unreadAfterSeq, me.id],
  );

  const byId = useMemo(() => {
    const map = new Map<string, ChatMessage>();
    for (const m of messages) if (m.messageId) map.set(m.messageId, m);
    return map;
  }, [messages]);

  const reportRead = useCallback(() => {
    const el = ref.current;
    if (!el || !visible || document.visibilityState === 'hidden') return;
    let seq: number | null;
    if (isAtBottom(el)) {
      seq = highestSeq(messages);
    } else {
      const view = el.getBoundingClientRect();
      const rows: SeqRect[] = [];
      el.querySelectorAll<HTMLElement>('[data-seq]').forEach((row) => {
        const r = row.getBoundingClientRect();
        rows.push({ seq: Number(row.dataset.seq), top: r.top, bottom: r.bottom });
      });
      seq = highestVisibleSeq(rows, view.top, view.bottom);
    }
    if (seq !== null) onRead(seq);
  }, [messages, visible, onRead]);

  const updateScrollFlags = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    const bottom = isAtBottom(el);
    atBottomRef.current = bottom;
    setAtBottom(bottom);
    if (bottom) setSeenUpTo(highestSeq(messages));
    const divider = el.querySelector<HTMLElement>('[data-testid="unread-divider"]');
    setDividerAbove(!!divider && divider.getBoundingClientRect().bottom < el.getBoundingClientRect().top);
  }, [messages]);

  // Keep the reader's place when the list changes (see scroll.ts).
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const last = messages[messages.length - 1];
    const lastKey = last?.key ?? null;
    if (!initialDoneRef.current) {
      if (loaded) {
        initialDoneRef.current = true;
        const divider = el.querySelector<HTMLElement>('[data-testid="unread-divider"]');
        if (divider) divider.scrollIntoView({ block: 'start' });
        else el.scrollTop = el.scrollHeight;
      }
    } else {
      const iSentLast =
        !!last && lastKey !== prevLastKeyRef.current && last.sender.id === me.id && last.status === 'pending';
      const action = scrollAfterChange({
        prevLowest: prevLowestRef.current,
        lowest,
        prevHeight: prevHeightRef.current,
        height: el.scrollHeight,
        wasAtBottom: atBottomRef.current,
        iSentLast,
      });
      if (action.kind === 'keep') el.scrollTop += action.delta;
      else if (action.kind === 'bottom') el.scrollTop = el.scrollHeight;
    }
    if (jumpRef.current) {
      const divider = el.querySelector<HTMLElement>('[data-testid="unread-divider"]');
      if (divider) {
        jumpRef.current = false;
        divider.scrollIntoView({ block: 'start' });
      }
    }
    prevHeightRef.current = el.scrollHeight;
    prevLowestRef.current = lowest;
    prevLastKeyRef.current = lastKey;
    updateScrollFlags();
  }, [messages, lowest, loaded, me.id, updateScrollFlags]);

  // A message asked for by id (a search hit): once it is in the list, scroll it to the middle and
  // highlight it for a moment. Runs after the layout effect above, so it wins over "stay at the
  // bottom" on the first page.
  const focusId = focus?.messageId ?? null;
  const focusToken = focus?.token ?? null;
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || focusId === null || focusToken === null) return;
    const row = [...el.querySelectorAll<HTMLElement>('[data-message-id]')].find((x) => x.dataset.messageId === focusId);
    if (!row) return;
    row.scrollIntoView({ block: 'center' });
    atBottomRef.current = isAtBottom(el);
    setHighlightedId(focusId);
    onFocusDone?.(focusToken);
  }, [messages, focusId, focusToken, onFocusDone]);
  useEffect(() => {
    if (highlightedId === null) return;
    const t = setTimeout(() => setHighlightedId(null), FOCUS_HIGHLIGHT_MS);
    return () => clearTimeout(t);
  }, [highlightedId]);

  // Read markers advance as I read: after changes, and when the tab becomes visible.
  useEffect(() => {
    reportRead();
  }, [reportRead]);

  // The list may be shorter than the viewport: fill it with older pages.
  useEffect(() => {
    const el = ref.current;
    if (!el || !loaded || !hasMore || loadingOlder) return;
    if (el.scrollHeight > 0 && el.scrollHeight <= el.clientHeight) void onLoadOlder();
  }, [loaded, hasMore, loadingOlder, messages, onLoadOlder]);

  const frame = useRef<number | null>(null);
  const onScroll = useCallback(() => {
    if (frame.current !== null) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = null;
      const el = ref.current;
      if (!el) return;
      updateScrollFlags();
      if (el.scrollTop < LOAD_OLDER_PX && hasMore && !loadingOlder && loaded) void onLoadOlder();
      reportRead();
    });
  }, [updateScrollFlags, hasMore, loadingOlder, loaded, onLoadOlder, reportRead]);
  useEffect(
    () => () => {
      if (frame.current !== null) cancelAnimationFrame(frame.current);
    },
    [],
  );

  function scrollToBottom() {
    const el = ref.current;
    if (!el) return;
    el.scrollTo({ top: el.scrollHeight, behavior: 'smooth' });
    atBottomRef.current = true;
    setAtBottom(true);
    setSeenUpTo(highestSeq(messages));
    reportRead();
  }

  async function jumpToFirstUnread() {
    if (firstUnread === null) return;
    setJumping(true);
    jumpRef.current = true;
    try {
      await onLoadUntil(firstUnread);
    } finally {
      setJumping(false);
    }
    const divider = ref.current?.querySelector<HTMLElement>('[data-testid="unread-divider"]');
    if (divider) {
      jumpRef.current = false;
      divider.scrollIntoView({ block: 'start', behavior: 'smooth' });
    }
  }

  const newCount =
    atBottom || seenUpTo === null
      ? 0
      : messages.filter((m) => m.seq !== null && m.seq > seenUpTo && m.sender.id !== me.id).length;
  const showJump = firstUnread !== null && (dividerAbove || !unreadLoaded) && !jumping;

  return (
    <div className="message-pane">
      {showJump ? (
        <button
          type="button"
          className="pill pill-top"
          onClick={() => void jumpToFirstUnread()}
          data-testid="jump-to-unread"
        >
          ↑ Jump to first unread
        </button>
      ) : null}
      <div
        className="message-scroller"
        ref={ref}
        onScroll={onScroll}
        data-testid="message-list"
        role="log"
        aria-label={`Messages in ${roomName}`}
        aria-busy={loadingOlder || !loaded}
        tabIndex={0}
      >
        <div className="message-stack">
          <div className="history-edge" aria-live="polite">
            {!loaded ? (
              <span data-testid="history-loading">Loading messages…</span>
            ) : loadingOlder ? (
              <span data-testid="history-loading">Loading older messages…</span>
            ) : hasMore ? (
              <button type="button" className="link" onClick={() => void onLoadOlder()} data-testid="load-older">
                Load older messages
              </button>
            ) : messages.length === 0 ? (
              <span>No messages yet. Say hello!</span>
            ) : (
              <span data-testid="history-start">This is the beginning of the conversation.</span>
            )}
          </div>
          <ol className="messages">
            {items.map((item) =>
              item.kind === 'day' ? (
                <li key={item.key} className="day-separator" data-testid="day-separator">
                  <span>{item.label}</span>
                </li>
              ) : item.kind === 'unread' ? (
                <li
                  key={item.key}
                  className="unread-divider"
                  data-testid="unread-divider"
                  role="separator"
                  aria-label="New messages"
                >
                  <span>New messages</span>
                </li>
              ) : (
                <MessageItem
                  key={item.key}
                  message={item.message}
                  first={item.first}
                  me={me}
                  quoted={item.message.replyTo ? (byId.get(item.message.replyTo) ?? null) : undefined}
                  actions={actions}
                  highlighted={highlightedId !== null && item.message.messageId === highlightedId}
                />
              ),
            )}
          </ol>
        </div>
      </div>
      {newCount > 0 ? (
        <button type="button" className="pill pill-bottom" onClick={scrollToBottom} data-testid="new-messages-pill">
          {newCount === 1 ? '1 new message' : `${newCount} new messages`} ↓
        </button>
      ) : null}
    </div>
  );
}
