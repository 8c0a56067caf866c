import { useCallback, useMemo, useState } from 'react';
import type { NoticeTone } from '../../lib/notice';
import { nameOf, type RoomSummary, type User } from '../../lib/protocol';
import { describePresence, type PresenceMap } from '../presence/presence';
import { PresenceDot } from '../presence/PresenceDot';
import { useFileDrop } from '../files/useFileDrop';
import type { Attachment } from '../files/uploadsSlice';
import { NotifyMenu } from '../rooms/NotifyMenu';
import { dmPeer } from '../rooms/roomsState';
import { Composer } from './Composer';
import { MessageList } from './MessageList';
import type { MessageActions } from './MessageItem';
import type { MessageFocus } from './messagesSlice';
import { emptyConversation, type ChatMessage, type Conversation as ConversationState } from './messageStore';
import type { TypingEntry } from './typing';
import { TypingIndicator } from './TypingIndicator';

/** What an open conversation asks of the session (the app's ChatController provides it). */
export interface ConversationController {
  sendMessage(room: string, body: string, replyTo?: string | null): boolean;
  retry(room: string, clientMsgId: string): void;
  discard(room: string, clientMsgId: string): void;
  editMessage(room: string, messageId: string, body: string): boolean;
  deleteMessage(room: string, messageId: string): boolean;
  react(room: string, messageId: string, emoji: string, on: boolean): boolean;
  loadOlder(room: string): Promise<void>;
  loadUntil(room: string, seq: number): Promise<void>;
  markRead(room: string, seq: number): void;
  clearFocus(token: number): void;
  typingInput(room: string): void;
  typingStop(room: string): void;
  notice(text: string, tone?: NoticeTone): void;
  /** A room summary from an HTTP answer (the notification level changed). */
  upsertRoom(summary: RoomSummary): void;
  attachFiles(room: string, files: readonly File[]): void;
  removeAttachment(room: string, key: string): void;
  retryAttachment(room: string, key: string): void;
}

interface Props {
  controller: ConversationController;
  room: RoomSummary;
  me: User;
  conversation: ConversationState | undefined;
  typing: Record<string, TypingEntry> | undefined;
  presence: PresenceMap;
  visible: boolean;
  onShowDetails: () => void;
  menuButton: React.ReactNode;
  /** A message of this room to bring into view (a clicked search hit). */
  focus?: MessageFocus | null;
  /** The files attached to this room's next message. */
  attachments?: readonly Attachment[] | undefined;
}

/** One open room: header, messages, typing line, composer. Keyed by room id by the parent. */
export function Conversation({
  controller,
  room,
  me,
  conversation,
  typing,
  presence,
  visible,
  onShowDetails,
  menuButton,
  focus = null,
  attachments,
}: Props) {
  const [replyTo, setReplyTo] = useState<ChatMessage | null>(null);
  // The unread divider stays where it was when the room was opened.
  const [unreadAfterSeq] = useState<number | null>(() => (room.unread > 0 ? room.lastReadSeq : null));
  const roomId = room.id;
  const peer = dmPeer(room, me);
  const title = room.kind === 'dm' ? room.name || nameOf(peer) : room.name;

  const actions = useMemo<MessageActions>(
    () => ({
      reply: (m) => setReplyTo(m),
      edit: (m, body) => (m.messageId ? controller.editMessage(roomId, m.messageId, body) : false),
      remove: (m) => {
        if (m.messageId) controller.deleteMessage(roomId, m.messageId);
      },
      react: (m, emoji, on) => {
        if (m.messageId) controller.react(roomId, m.messageId, emoji, on);
      },
      retry: (m) => {
        if (m.clientMsgId) controller.retry(roomId, m.clientMsgId);
      },
      discard: (m) => {
        if (m.clientMsgId) controller.discard(roomId, m.clientMsgId);
      },
      jumpTo: (messageId) => {
        const el = [...document.querySelectorAll<HTMLElement>('[data-message-id]')].find(
          (x) => x.dataset.messageId === messageId,
        );
        if (el) {
          el.scrollIntoView({ block: 'center', behavior: 'smooth' });
          el.classList.add('flash');
          setTimeout(() => el.classList.remove('flash'), 1500);
        } else {
          controller.notice('The original message is further back in the history.');
        }
      },
    }),
    [controller, roomId],
  );

  const onLoadOlder = useCallback(() => controller.loadOlder(roomId), [controller, roomId]);
  const onLoadUntil = useCallback((seq: number) => controller.loadUntil(roomId, seq), [controller, roomId]);
  const onRead = useCallback((seq: number) => controller.markRead(roomId, seq), [controller, roomId]);
  const onFocusDone = useCallback((token: number) => controller.clearFocus(token), [controller]);
  const listFocus = useMemo(
    () => (focus && focus.room === roomId ? { messageId: focus.messageId, token: focus.token } : null),
    [focus, roomId],
  );
  const onSend = useCallback(
    (body: string) => {
      const ok = controller.sendMessage(roomId, body, replyTo?.messageId ?? null);
      if (ok) setReplyTo(null);
      return ok;
    },
    [controller, roomId, replyTo],
  );
  const onTyping = useCallback(
    (active: boolean) => (active ? controller.typingInput(roomId) : controller.typingStop(roomId)),
    [controller, roomId],
  );

  const onAttach = useCallback((files: File[]) => controller.attachFiles(roomId, files), [controller, roomId]);
  const onRemoveAttachment = useCallback(
    (key: string) => controller.removeAttachment(roomId, key),
    [controller, roomId],
  );
  const onRetryAttachment = useCallback((key: string) => controller.retryAttachment(roomId, key), [controller, roomId]);
  const drop = useFileDrop(onAttach);
  const label = room.kind === 'dm' ? title : `#${title}`;

  const subtitle =
    room.kind === 'dm'
      ? describePresence(peer ? presence[peer.id] : undefined)
      : `${room.members.length} ${room.members.length === 1 ? 'member' : 'members'} · ${room.visibility}`;

  return (
    <section
      className={`conversation${drop.dragging ? ' dragging' : ''}`}
      aria-label={`Conversation: ${title}`}
      data-testid="conversation"
      data-room-id={roomId}
      {...drop.handlers}
    >
      {drop.dragging ? (
        <div className="drop-overlay" data-testid="drop-overlay" aria-hidden="true">
          <span>Drop files to send to {label}</span>
        </div>
      ) : null}
      <header className="conversation-header">
        {menuButton}
        <div className="conversation-title">
          <h2 data-testid="conversation-title">
            {room.kind === 'dm' ? (
              <>
                {peer ? <PresenceDot entry={presence[peer.id]} name={nameOf(peer)} /> : null} {title}
              </>
            ) : (
              `# ${title}`
            )}
          </h2>
          <p className="conversation-subtitle" data-testid="conversation-subtitle">
            {subtitle}
          </p>
        </div>
        <NotifyMenu
          room={room}
          onChanged={(r) => controller.upsertRoom(r)}
          onError={(text) => controller.notice(text, 'error')}
        />
        <button
          type="button"
          className="subtle"
          onClick={onShowDetails}
          aria-label={room.kind === 'dm' ? 'Conversation details' : 'Room details and members'}
          data-testid="room-details"
        >
          {room.kind === 'dm' ? 'Details' : 'Members'}
        </button>
      </header>
      <MessageList
        roomName={label}
        conversation={conversation ?? emptyConversation}
        me={me}
        unreadAfterSeq={unreadAfterSeq}
        visible={visible}
        actions={actions}
        onLoadOlder={onLoadOlder}
        onLoadUntil={onLoadUntil}
        onRead={onRead}
        focus={listFocus}
        onFocusDone={onFocusDone}
      />
      <TypingIndicator entries={typing} />
      <Composer
        key={roomId}
        roomId={roomId}
        roomName={label}
        replyTo={replyTo}
        onCancelReply={() => setReplyTo(null)}
        onSend={onSend}
        onTyping={onTyping}
        attachments={attachments}
        onAttach={onAttach}
        onRemoveAttachment={onRemoveAttachment}
        onRetryAttachment={onRetryAttachment}
        members={room.members}
        meId={me.id}
        allowRoomMention={room.kind === 'group'}
      />
    </section>
  );
}
