import { memo, useState, type KeyboardEvent } from 'react';
import { filesSummary } from '../../lib/files';
import { mentionsMe } from '../../lib/mentions';
import { nameOf, type User } from '../../lib/protocol';
import { MessageFiles } from '../files/MessageFiles';
import { timeLabel } from '../../lib/time';
import type { ChatMessage } from './messageStore';
import { MessageText } from './MessageText';

/** The fixed reaction palette. */
export const REACTIONS = ['👍', '❤️', '😂', '🎉', '😮', '😢'] as const;

export interface MessageActions {
  reply: (m: ChatMessage) => void;
  edit: (m: ChatMessage, body: string) => boolean;
  remove: (m: ChatMessage) => void;
  react: (m: ChatMessage, emoji: string, on: boolean) => void;
  retry: (m: ChatMessage) => void;
  discard: (m: ChatMessage) => void;
  jumpTo: (messageId: string) => void;
}

interface Props {
  message: ChatMessage;
  first: boolean;
  me: User;
  quoted: ChatMessage | null | undefined;
  actions: MessageActions;
  /** Brought into view on request (a search hit): highlighted for a moment. */
  highlighted?: boolean;
}

function snippet(text: string, n = 90): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > n ? `${flat.slice(0, n - 1)}…` : flat;
}

export const MessageItem = memo(function MessageItem({
  message: m,
  first,
  me,
  quoted,
  actions,
  highlighted = false,
}: Props) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState('');
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [palette, setPalette] = useState(false);
  const mine = m.sender.id === me.id;
  // Someone else's message that mentions me (by name or @room) stands out.
  const mentioned = !mine && mentionsMe(m, me);
  const confirmed = m.status === 'sent' && m.messageId !== null;
  const time = timeLabel(m.ts);

  function startEdit() {
    setDraft(m.body);
    setEditing(true);
    setPalette(false);
  }

  function saveEdit() {
    const text = draft.trim();
    if (!text) return;
    if (text === m.body.trim() || actions.edit(m, text)) setEditing(false);
  }

  function onEditKey(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      saveEdit();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      setEditing(false);
    }
  }

  const classes = [
    'message',
    first ? 'first' : 'cont',
    mine ? 'mine' : '',
    m.status,
    m.deleted ? 'deleted' : '',
    mentioned ? 'mentioned' : '',
    highlighted ? 'highlighted' : '',
  ]
    .filter(Boolean)
    .join(' ');

  const reactions = Object.entries(m.reactions).filter(([, users]) => users.length > 0);

  return (
    <li
      className={classes}
      data-testid="message"
      data-seq={m.seq ?? undefined}
      data-message-id={m.messageId ?? undefined}
      data-client-msg-id={m.clientMsgId ?? undefined}
      data-status={m.status}
      data-sender={m.sender.username}
      data-highlighted={highlighted ? 'true' : undefined}
      data-mentioned={mentioned ? 'true' : undefined}
    >
      {first ? (
        <div className="message-header">
          <span className="sender" data-testid="message-sender">
            {nameOf(m.sender)}
          </span>
          <time dateTime={m.ts} className="message-time">
            {time}
          </time>
        </div>
      ) : (
        <time dateTime={m.ts} className="message-time side">
          {time}
        </time>
      )}
      {m.replyTo ? (
        <button
          type="button"
          className="reply-quote"
          onClick={() => m.replyTo && actions.jumpTo(m.replyTo)}
          aria-label={
            quoted
              ? `Reply to ${nameOf(quoted.sender)}: ${snippet(quoted.body, 60) || filesSummary(quoted.files)}. Show original.`
              : 'Reply to an earlier message. Show original.'
          }
          data-testid="reply-quote"
        >
          <span aria-hidden="true">↩ </span>
          {quoted ? (
            <>
              <strong>{nameOf(quoted.sender)}</strong>{' '}
              {quoted.deleted ? <em>Message deleted</em> : snippet(quoted.body) || filesSummary(quoted.files)}
            </>
          ) : (
            <em>an earlier message</em>
          )}
        </button>
      ) : null}
      <div className="message-body" data-testid="message-body">
        {m.deleted ? (
          <p className="deleted-text">Message deleted</p>
        ) : editing ? (
          <div className="edit-box">
            <textarea
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              onKeyDown={onEditKey}
              aria-label="Edit message"
              data-testid="edit-input"
              autoFocus
              rows={2}
            />
            <div className="edit-actions">
              <span className="hint">Enter to save · Esc to cancel</span>
              <button type="button" className="small" onClick={() => setEditing(false)}>
                Cancel
              </button>
              <button type="button" className="primary small" onClick={saveEdit} data-testid="edit-save">
                Save
              </button>
            </div>
          </div>
        ) : m.body ? (
          <MessageText body={m.body} myUsername={me.username} />
        ) : null}
        {m.editedAt && !m.deleted && !editing ? <span className="edited">(edited)</span> : null}
      </div>
      {!m.deleted && m.files.length > 0 ? <MessageFiles files={m.files} /> : null}
      {m.status === 'pending' ? (
        <div className="message-status" data-testid="message-pending">
          Sending…
        </div>
      ) : null}
      {m.status === 'failed' ? (
        <div className="message-status failed" role="alert" data-testid="message-failed">
          Not sent{m.error ? `: ${m.error}` : '.'}{' '}
          <button type="button" className="link" onClick={() => actions.retry(m)} data-testid="retry-send">
            Retry
          </button>{' '}
          <button type="button" className="link" onClick={() => actions.discard(m)} data-testid="discard-send">
            Discard
          </button>
        </div>
      ) : null}
      {reactions.length > 0 ? (
        <div className="reactions" data-testid="reactions">
          {reactions.map(([emoji, users]) => {
            const mineToo = users.includes(me.id);
            return (
              <button
                key={emoji}
                type="button"
                className={`reaction${mineToo ? ' reacted' : ''}`}
                aria-pressed={mineToo}
                aria-label={`${emoji} ${users.length}${mineToo ? ', including you' : ''}. ${mineToo ? 'Remove' : 'Add'} reaction`}
                disabled={!confirmed || m.deleted}
                onClick={() => actions.react(m, emoji, !mineToo)}
                data-testid="reaction"
              >
                <span aria-hidden="true">{emoji}</span> <span aria-hidden="true">{users.length}</span>
              </button>
            );
          })}
        </div>
      ) : null}
      {confirmed && !m.deleted && !editing ? (
        <div
          className={`message-actions${palette || confirmDelete ? ' open' : ''}`}
          role="toolbar"
          aria-label="Message actions"
        >
          {confirmDelete ? (
            <>
              <span className="confirm-text">Delete this message?</span>
              <button type="button" className="small" onClick={() => setConfirmDelete(false)}>
                Keep
              </button>
              <button
                type="button"
                className="danger small"
                onClick={() => {
                  setConfirmDelete(false);
                  actions.remove(m);
                }}
                data-testid="delete-confirm"
              >
                Delete
              </button>
            </>
          ) : palette ? (
            <>
              {REACTIONS.map((emoji) => (
                <button
                  key={emoji}
                  type="button"
                  className="icon"
                  aria-label={`React with ${emoji}`}
                  onClick={() => {
                    setPalette(false);
                    actions.react(m, emoji, !(m.reactions[emoji] ?? []).includes(me.id));
                  }}
                  data-testid="reaction-option"
                >
                  {emoji}
                </button>
              ))}
              <button type="button" className="icon" aria-label="Close reactions" onClick={() => setPalette(false)}>
                ✕
              </button>
            </>
          ) : (
            <>
              <button
                type="button"
                className="icon"
                aria-label="Reply"
                title="Reply"
                onClick={() => actions.reply(m)}
                data-testid="reply-button"
              >
                ↩
              </button>
              <button
                type="button"
                className="icon"
                aria-label="Add reaction"
                title="React"
                onClick={() => setPalette(true)}
                data-testid="react-button"
              >
                ☺
              </button>
              {mine ? (
                <>
                  <button
                    type="button"
                    className="icon"
                    aria-label="Edit message"
                    title="Edit"
                    onClick={startEdit}
                    data-testid="edit-button"
                  >
                    ✎
                  </button>
                  <button
                    type="button"
                    className="icon"
                    aria-label="Delete message"
                    title="Delete"
                    onClick={() => setConfirmDelete(true)}
                    data-testid="delete-button"
                  >
                    🗑
                  </button>
                </>
              ) : null}
            </>
          )}
        </div>
      ) : null}
    </li>
  );
});
