import { useEffect, useState } from 'react';
import type { Notifier } from '../../app/controller';

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
