import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { MAX_BODY_CHARS, nameOf } from '../../lib/protocol';
import type { ChatMessage } from './messageStore';

/** Show the counter this close to the limit. */
export const COUNTER_FROM = MAX_BODY_CHARS - 1000;

// Drafts survive switching rooms (not reloads).
const drafts = new Map<string, string>();

interface Props {
  roomId: string;
  roomName: string;
  replyTo: ChatMessage | null;
  onCancelReply: () => void;
  /** Returns false when the body was not accepted (empty or too long). */
  onSend: (body: string) => boolean;
  onTyping: (typing: boolean) => void;
}

export function Composer({ roomId, roomName, replyTo, onCancelReply, onSend, onTyping }: Props) {
  const [value, setValue] = useState(() => drafts.get(roomId) ?? '');
  const ref = useRef<HTMLTextAreaElement>(null);
  const counterId = useId();
  const length = value.trim().length;
  const tooLong = length > MAX_BODY_CHARS;
  const canSend = length > 0 && !tooLong;

  useEffect(() => {
    drafts.set(roomId, value);
  }, [roomId, value]);

  useEffect(() => {
    if (replyTo) ref.current?.focus();
  }, [replyTo]);

  function send() {
    if (!canSend) return;
    if (onSend(value)) {
      setValue('');
      drafts.delete(roomId);
    }
    ref.current?.focus();
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === 'Enter' && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      send();
    } else if (e.key === 'Escape' && replyTo) {
      e.preventDefault();
      onCancelReply();
    }
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    send();
  }

  return (
    <form className="composer" onSubmit={onSubmit} aria-label="Write a message">
      {replyTo ? (
        <div className="composer-reply" data-testid="composer-reply">
          <span>
            Replying to <strong>{nameOf(replyTo.sender)}</strong>: {replyTo.body.replace(/\s+/g, ' ').slice(0, 80)}
          </span>
          <button
            type="button"
            className="icon"
            aria-label="Cancel reply"
            onClick={onCancelReply}
            data-testid="cancel-reply"
          >
            ✕
          </button>
        </div>
      ) : null}
      <div className="composer-row">
        <textarea
          ref={ref}
          value={value}
          rows={1}
          onChange={(e) => {
            setValue(e.target.value);
            onTyping(e.target.value.trim().length > 0);
          }}
          onKeyDown={onKeyDown}
          placeholder={`Message ${roomName}`}
          aria-label={`Message ${roomName}`}
          aria-describedby={length >= COUNTER_FROM ? counterId : undefined}
          aria-invalid={tooLong}
          data-testid="composer"
        />
        <button
          type="submit"
          className="primary send"
          disabled={!canSend}
          aria-label="Send message"
          data-testid="send-button"
        >
          Send
        </button>
      </div>
      <div className="composer-foot">
        <span className="hint">Enter to send · Shift+Enter for a new line</span>
        {length >= COUNTER_FROM ? (
          <span
            id={counterId}
            className={`counter${tooLong ? ' over' : ''}`}
            data-testid="char-counter"
            aria-live="polite"
          >
            {tooLong ? `${length - MAX_BODY_CHARS} characters too long` : `${MAX_BODY_CHARS - length} characters left`}
          </span>
        ) : null}
      </div>
    </form>
  );
}
