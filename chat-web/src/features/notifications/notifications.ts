import { useEffect, useState } from 'react';
import { filesSummary } from '../../lib/files';
import { nameOf, type RoomSummary, type User, type WireMessage } from '../../lib/protocol';
import { mentionsMe } from '../../lib/mentions';

export interface Notifier {
  /** Shows a desktop notification if allowed; clicking it should call onClick. */
  notify(title: string, body: string, tag: string, onClick: () => void): void;
}

/**
 * The desktop notification a new message from someone else deserves while the tab is hidden, by
 * my level for its room: `all` every message, `mentions` only those that mention me (also
 * `@room`), `none` nothing. A server without levels (protocol v1.0): every DM message and group
 * messages that mention me. Null for the rest.
 */
export function notificationFor(
  m: WireMessage,
  room: RoomSummary | undefined,
  me: User,
): { title: string; body: string } | null {
  const isDm = room?.kind === 'dm';
  const mentioned = mentionsMe(m, me);
  const level = room?.notify;
  const wanted =
    level === 'none' ? false : level === 'mentions' ? mentioned : level === 'all' ? true : isDm || mentioned;
  if (!wanted) return null;
  const title = isDm ? nameOf(m.sender) : `${nameOf(m.sender)} in ${room?.name ?? 'a room'}`;
  const text = m.body.trim() || filesSummary(m.files) || 'New message';
  const body = text.length > 200 ? `${text.slice(0, 199)}…` : text;
  return { title, body };
}

export type PermissionState = NotificationPermission | 'unsupported';

export function notificationPermission(): PermissionState {
  if (typeof window === 'undefined' || !('Notification' in window)) return 'unsupported';
  return Notification.permission;
}

/** Asks for permission: only ever called from a button the user pressed. */
export async function requestNotificationPermission(): Promise<PermissionState> {
  if (notificationPermission() === 'unsupported') return 'unsupported';
  try {
    return await Notification.requestPermission();
  } catch {
    return Notification.permission;
  }
}

/** Desktop notifications through the Notification API, when granted. */
export const browserNotifier: Notifier = {
  notify(title, body, tag, onClick) {
    if (notificationPermission() !== 'granted') return;
    try {
      const n = new Notification(title, { body, tag });
      n.onclick = () => {
        window.focus();
        onClick();
        n.close();
      };
    } catch {
      /* some platforms only allow notifications from a service worker */
    }
  },
};

/** "(3) Natter" while something is unread, "Natter" otherwise. */
export function titleFor(unread: number, base = 'Natter'): string {
  return unread > 0 ? `(${unread > 999 ? '999+' : unread}) ${base}` : base;
}

export function useTabTitle(unread: number): void {
  useEffect(() => {
    document.title = titleFor(unread);
  }, [unread]);
  useEffect(
    () => () => {
      document.title = 'Natter';
    },
    [],
  );
}

/** Whether the tab is visible, updated on visibilitychange. */
export function usePageVisible(): boolean {
  const [visible, setVisible] = useState(() => document.visibilityState !== 'hidden');
  useEffect(() => {
    const on = () => setVisible(document.visibilityState !== 'hidden');
    document.addEventListener('visibilitychange', on);
    window.addEventListener('focus', on);
    return () => {
      document.removeEventListener('visibilitychange', on);
      window.removeEventListener('focus', on);
    };
  }, []);
  return visible;
}
