import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { RoomSummary, SearchHit, User } from '../lib/protocol';
import { nameOf } from '../lib/protocol';
import { logout, stillSignedIn } from '../features/auth/authApi';
import { ConnectionBadge } from '../features/connection/ConnectionBadge';
import { Conversation } from '../features/messages/Conversation';
import { fetchMessages } from '../features/messages/messagesApi';
import { browserNotifier, usePageVisible, useTabTitle } from '../features/notifications/notifications';
import { NotificationButton } from '../features/notifications/NotificationButton';
import { BrowseRoomsDialog } from '../features/rooms/BrowseRoomsDialog';
import { CreateRoomDialog } from '../features/rooms/CreateRoomDialog';
import { NewDmDialog } from '../features/rooms/NewDmDialog';
import { RoomDetailsDialog } from '../features/rooms/RoomDetailsDialog';
import { totalAttention } from '../features/rooms/roomsState';
import { RoomList } from '../features/rooms/Sidebar';
import { SearchBox } from '../features/search/SearchBox';
import { roomLabel, SearchPanel } from '../features/search/SearchPanel';
import { useMessageSearch } from '../features/search/useMessageSearch';
import { Modal } from '../components/Modal';
import { NetworkError } from '../lib/http';
import { ChatController } from './controller';
import { ErrorBoundary } from './ErrorBoundary';
import { Notices } from './Notices';
import { ChatContext, useChatState } from './useChat';

type Dialog = 'dm' | 'create' | 'browse' | 'details' | null;

/** The phone layout (see app.css): sidebar and search results cover the conversation. */
function isNarrow(): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia('(max-width: 760px)').matches;
}

/** Keys typed here are text, not shortcuts. */
function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export function ChatApp({ user, onSignedOut }: { user: User; onSignedOut: (notice?: string) => void }) {
  const [controller] = useState(
    () =>
      new ChatController({
        me: user,
        socketOptions: { checkAuth: stillSignedIn },
        fetchPage: fetchMessages,
        notifier: browserNotifier,
        isHidden: () => document.visibilityState === 'hidden',
        onSignedOut: () => onSignedOut('Your session ended. Please sign in again.'),
      }),
  );

  useEffect(() => {
    controller.start();
    const online = () => controller.reconnectNow();
    window.addEventListener('online', online);
    return () => {
      window.removeEventListener('online', online);
      controller.stop();
    };
  }, [controller]);

  return (
    <ChatContext.Provider value={controller}>
      <ChatLayout controller={controller} onSignedOut={onSignedOut} />
    </ChatContext.Provider>
  );
}

function ChatLayout({
  controller,
  onSignedOut,
}: {
  controller: ChatController;
  onSignedOut: (notice?: string) => void;
}) {
  const state = useChatState();
  const visible = usePageVisible();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [sidebarOpen, setSidebarOpen] = useState(false);
  const [signingOut, setSigningOut] = useState(false);
  const { me, rooms, activeRoomId, presence } = state;
  // What calls for attention, by each room's notification level (muted rooms count nothing).
  const unread = totalAttention(rooms);
  useTabTitle(unread);

  const activeRoom = activeRoomId ? rooms[activeRoomId] : undefined;
  const joinedIds = useMemo(() => new Set(Object.keys(rooms)), [rooms]);
  const search = useMessageSearch();
  const closeSearch = search.close;
  const searchInput = useRef<HTMLInputElement>(null);
  const activeRoomLabel = activeRoom ? roomLabel(activeRoom, me) : null;
  const searchRoom = useMemo(
    () => (activeRoomId && activeRoomLabel ? { id: activeRoomId, label: activeRoomLabel } : null),
    [activeRoomId, activeRoomLabel],
  );

  const openRoom = useCallback(
    (id: string) => {
      controller.openRoom(id);
      setSidebarOpen(false);
    },
    [controller],
  );

  const showHit = useCallback(
    (hit: SearchHit) => {
      void controller.showMessage(hit.room, hit.messageId, hit.seq);
      setSidebarOpen(false);
      if (isNarrow()) closeSearch(); // the results would cover the conversation
    },
    [controller, closeSearch],
  );

  const adopt = useCallback(
    (room: RoomSummary) => {
      controller.upsertRoom(room);
      setDialog(null);
      openRoom(room.id);
    },
    [controller, openRoom],
  );

  async function signOut() {
    setSigningOut(true);
    try {
      await logout();
      controller.stop();
      onSignedOut('You are signed out.');
    } catch (e) {
      setSigningOut(false);
      controller.notice(
        e instanceof NetworkError
          ? 'Could not sign out: lost connection to the server.'
          : 'Could not sign out. Try again.',
        'error',
      );
    }
  }

  // Ctrl/Cmd+K anywhere, or "/" outside a text field, goes to the search box.
  useEffect(() => {
    if (dialog !== null) return;
    const onKey = (e: KeyboardEvent) => {
      const combo = e.key.toLowerCase() === 'k' && (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey;
      const slash = e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && !isTypingTarget(e.target);
      if (!combo && !slash) return;
      e.preventDefault();
      const focus = () => {
        searchInput.current?.focus();
        searchInput.current?.select();
      };
      if (isNarrow()) {
        setSidebarOpen(true); // the box lives in the sidebar, hidden on phones until opened
        requestAnimationFrame(focus);
      } else {
        focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [dialog]);

  // Escape closes the mobile sidebar.
  useEffect(() => {
    if (!sidebarOpen) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setSidebarOpen(false);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [sidebarOpen]);

  const menuButton = (
    <button
      type="button"
      className="icon menu-button"
      aria-label="Show conversations"
      aria-expanded={sidebarOpen}
      aria-controls="sidebar"
      onClick={() => setSidebarOpen((o) => !o)}
      data-testid="sidebar-toggle"
    >
      ☰{unread > 0 ? <span className="menu-dot" aria-hidden="true" /> : null}
    </button>
  );

  return (
    <div
      className={`app${sidebarOpen ? ' sidebar-open' : ''}${search.open && search.results ? ' search-open' : ''}`}
      data-testid="chat-app"
    >
      <a
        className="skip-link"
        href="#composer-anchor"
        onClick={(e) => {
          e.preventDefault();
          document.querySelector<HTMLElement>('[data-testid="composer"]')?.focus();
        }}
      >
        Skip to message box
      </a>
      <aside id="sidebar" className="sidebar" aria-label="Conversations" data-testid="sidebar">
        <header className="sidebar-header">
          <div className="me">
            <span className="brand">natter</span>
            <span className="me-name" data-testid="me-name" title={`@${me.username}`}>
              {nameOf(me)}
            </span>
          </div>
          <button
            type="button"
            className="subtle small"
            onClick={() => void signOut()}
            disabled={signingOut}
            data-testid="sign-out"
          >
            Sign out
          </button>
        </header>
        <ConnectionBadge state={state.connection} onReconnect={() => controller.reconnectNow()} />
        <ErrorBoundary area="search">
          <SearchBox
            activeRoom={searchRoom}
            onSearch={search.run}
            panelOpen={search.open}
            onClosePanel={search.close}
            inputRef={searchInput}
          />
        </ErrorBoundary>
        <div className="sidebar-actions">
          <button type="button" onClick={() => setDialog('dm')} data-testid="new-dm">
            New message
          </button>
          <button type="button" onClick={() => setDialog('create')} data-testid="new-room">
            New room
          </button>
          <button type="button" onClick={() => setDialog('browse')} data-testid="browse-rooms">
            Browse rooms
          </button>
        </div>
        <nav aria-label="Your conversations" className="sidebar-nav">
          {state.ready || Object.keys(rooms).length > 0 ? (
            <ErrorBoundary area="the conversation list">
              <RoomList rooms={rooms} me={me} activeRoomId={activeRoomId} presence={presence} onOpen={openRoom} />
            </ErrorBoundary>
          ) : (
            <p className="empty sidebar-empty" role="status">
              Loading conversations…
            </p>
          )}
        </nav>
        <footer className="sidebar-footer">
          <NotificationButton />
        </footer>
      </aside>
      <div className="sidebar-scrim" onClick={() => setSidebarOpen(false)} aria-hidden="true" />
      <main className="main" id="main">
        {activeRoom ? (
          <ErrorBoundary
            area="the conversation"
            resetKey={activeRoom.id}
            frame={(fallback) => (
              <section className="conversation">
                <header className="conversation-header">{menuButton}</header>
                {fallback}
              </section>
            )}
          >
            <Conversation
              key={activeRoom.id}
              controller={controller}
              room={activeRoom}
              me={me}
              conversation={state.conversations[activeRoom.id]}
              typing={state.typing[activeRoom.id]}
              presence={presence}
              visible={visible}
              onShowDetails={() => setDialog('details')}
              menuButton={menuButton}
              focus={state.focus}
              attachments={state.attachments[activeRoom.id]}
            />
          </ErrorBoundary>
        ) : (
          <section className="conversation empty-state">
            <header className="conversation-header">{menuButton}</header>
            <div className="welcome">
              <h2>Welcome, {nameOf(me)}</h2>
              <p>Pick a conversation, start a direct message, or join a room.</p>
            </div>
          </section>
        )}
      </main>
      {search.open && search.results ? (
        <ErrorBoundary
          area="the search results"
          resetKey={search.results}
          frame={(fallback) => (
            <aside className="search-panel" aria-label="Search results">
              {fallback}
            </aside>
          )}
          onClose={search.close}
        >
          <SearchPanel
            results={search.results}
            rooms={rooms}
            me={me}
            onOpenHit={showHit}
            onRetry={() => search.run(search.results?.query.q ?? '', search.results?.query.room ?? null)}
            onClose={() => {
              search.close();
              searchInput.current?.focus();
            }}
          />
        </ErrorBoundary>
      ) : null}
      <Notices notices={state.notices} onDismiss={(id) => controller.dismissNotice(id)} />
      <ErrorBoundary
        area="this dialog"
        resetKey={dialog}
        frame={(fallback) => (
          <Modal title="Something went wrong" onClose={() => setDialog(null)}>
            {fallback}
          </Modal>
        )}
      >
        {dialog === 'dm' ? <NewDmDialog me={me} onClose={() => setDialog(null)} onOpened={adopt} /> : null}
        {dialog === 'create' ? <CreateRoomDialog onClose={() => setDialog(null)} onCreated={adopt} /> : null}
        {dialog === 'browse' ? (
          <BrowseRoomsDialog joinedIds={joinedIds} onClose={() => setDialog(null)} onJoined={adopt} />
        ) : null}
        {dialog === 'details' && activeRoom ? (
          <RoomDetailsDialog
            room={activeRoom}
            me={me}
            presence={presence}
            onClose={() => setDialog(null)}
            onLeft={(id) => {
              setDialog(null);
              controller.forgetRoom(id);
            }}
            onChanged={(r) => controller.upsertRoom(r)}
          />
        ) : null}
      </ErrorBoundary>
    </div>
  );
}
