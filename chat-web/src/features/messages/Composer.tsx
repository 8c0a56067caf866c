import {
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type ClipboardEvent,
  type FormEvent,
  type KeyboardEvent,
} from 'react';
import { PaperclipIcon } from '../../components/icons';
import { filesSummary } from '../../lib/files';
import { MAX_BODY_CHARS, nameOf, type User } from '../../lib/protocol';
import { AttachmentList } from '../files/AttachmentList';
import { pastedFiles } from '../files/useFileDrop';
import { noAttachments, type Attachment } from '../files/uploadsSlice';
import { MentionSuggestions, optionId } from '../mentions/MentionSuggestions';
import { useMentionAutocomplete } from '../mentions/useMentionAutocomplete';
import type { ChatMessage } from './messageStore';

/** Show the counter this close to the limit. */
export const COUNTER_FROM = MAX_BODY_CHARS - 1000;

// Drafts survive switching rooms (not reloads).
const drafts = new Map<string, string>();

const noMembers: readonly User[] = [];

interface Props {
  roomId: string;
  roomName: string;
  replyTo: ChatMessage | null;
  onCancelReply: () => void;
  /** Returns false when the body was not accepted (empty or too long). */
  onSend: (body: string) => boolean;
  onTyping: (typing: boolean) => void;
  /** Files attached to this room's next message. */
  attachments?: readonly Attachment[];
  onAttach?: (files: File[]) => void;
  onRemoveAttachment?: (key: string) => void;
  onRetryAttachment?: (key: string) => void;
  /** The room's members, for `@` autocomplete. */
  members?: readonly User[];
  meId?: string;
  /** Offer `@room` (groups). */
  allowRoomMention?: boolean;
}

export function Composer({
  roomId,
  roomName,
  replyTo,
  onCancelReply,
  onSend,
  onTyping,
  attachments = noAttachments,
  onAttach,
  onRemoveAttachment,
  onRetryAttachment,
  members = noMembers,
  meId = '',
  allowRoomMention = false,
}: Props) {
  const [value, setValue] = useState(() => drafts.get(roomId) ?? '');
  const ref = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const caretAfter = useRef<number | null>(null);
  const counterId = useId();
  const listId = useId();
  const onPickMention = useCallback((text: string, caret: number) => {
    caretAfter.current = caret;
    setValue(text);
  }, []);
  const mention = useMentionAutocomplete({ members, meId, allowRoom: allowRoomMention, onPick: onPickMention });

  // After a mention is inserted, the caret goes right after it.
  useLayoutEffect(() => {
    const caret = caretAfter.current;
    if (caret === null || !ref.current) return;
    caretAfter.current = null;
    ref.current.focus();
    ref.current.setSelectionRange(caret, caret);
  });
  const length = value.trim().length;
  const tooLong = length > MAX_BODY_CHARS;
  const uploading = attachments.filter((a) => a.status === 'uploading').length;
  const uploaded = attachments.filter((a) => a.status === 'done').length;
  // Text, or at least one uploaded file; never while a file is still uploading.
  const canSend = (length > 0 || uploaded > 0) && !tooLong && uploading === 0;

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
    if (mention.onKeyDown(e, value)) return;
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

  function onPaste(e: ClipboardEvent<HTMLTextAreaElement>) {
    if (!onAttach) return;
    const files = pastedFiles(e.clipboardData);
    if (files.length === 0) return;
    e.preventDefault();
    onAttach(files);
  }

  return (
    <form className="composer" onSubmit={onSubmit} aria-label="Write a message">
      {replyTo ? (
        <div className="composer-reply" data-testid="composer-reply">
          <span>
            Replying to <strong>{nameOf(replyTo.sender)}</strong>:{' '}
            {replyTo.body.replace(/\s+/g, ' ').slice(0, 80) || filesSummary(replyTo.files)}
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
      {onRemoveAttachment && onRetryAttachment ? (
        <AttachmentList attachments={attachments} onRemove={onRemoveAttachment} onRetry={onRetryAttachment} />
      ) : null}
      {mention.open ? (
        <MentionSuggestions
          id={listId}
          suggestions={mention.suggestions}
          active={mention.active}
          onPick={(i) => mention.pick(i, value)}
          onHover={mention.setActive}
        />
      ) : null}
      <div className="composer-row">
        {onAttach ? (
          <>
            <button
              type="button"
              className="icon attach-button"
              aria-label="Attach files"
              title="Attach files (or drop or paste them)"
              onClick={() => fileInput.current?.click()}
              data-testid="attach-button"
            >
              <PaperclipIcon />
            </button>
            <input
              ref={fileInput}
              type="file"
              multiple
              hidden
              tabIndex={-1}
              aria-label="Files to attach"
              onChange={(e) => {
                const files = [...(e.target.files ?? [])];
                e.target.value = ''; // the same file can be picked again
                if (files.length > 0) onAttach(files);
                ref.current?.focus();
              }}
              data-testid="file-input"
            />
          </>
        ) : null}
        <textarea
          ref={ref}
          value={value}
          rows={1}
          onChange={(e) => {
            setValue(e.target.value);
            onTyping(e.target.value.trim().length > 0);
            mention.update(e.target.value, e.target.selectionStart ?? e.target.value.length);
          }}
          onSelect={(e) => mention.update(e.currentTarget.value, e.currentTarget.selectionStart ?? 0)}
          onBlur={() => mention.update('', 0)}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
          aria-autocomplete="list"
          aria-controls={mention.open ? listId : undefined}
          aria-activedescendant={mention.open ? optionId(listId, mention.active) : undefined}
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
        {uploading > 0 ? (
          <span className="hint" aria-live="polite" data-testid="upload-status">
            Uploading {uploading} {uploading === 1 ? 'file' : 'files'}… Send waits until{' '}
            {uploading === 1 ? 'it is' : 'they are'} done.
          </span>
        ) : (
          <span className="hint">Enter to send · Shift+Enter for a new line</span>
        )}
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
