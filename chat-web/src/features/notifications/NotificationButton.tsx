import { useState } from 'react';
import { notificationPermission, requestNotificationPermission, type PermissionState } from './notifications';

/** Offers desktop notifications; the browser prompt appears only after a click. */
export function NotificationButton() {
  const [permission, setPermission] = useState<PermissionState>(() => notificationPermission());
  if (permission === 'unsupported' || permission === 'granted') return null;
  if (permission === 'denied') {
    return (
      <p className="hint" data-testid="notifications-denied">
        Notifications are blocked in this browser.
      </p>
    );
  }
  return (
    <button
      type="button"
      className="subtle"
      data-testid="enable-notifications"
      onClick={() => {
        void requestNotificationPermission().then(setPermission);
      }}
    >
      Enable desktop notifications
    </button>
  );
}
