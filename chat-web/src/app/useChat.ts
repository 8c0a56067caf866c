import { createContext, useContext, useSyncExternalStore } from 'react';
import type { ChatController, ChatState } from './controller';

export const ChatContext = createContext<ChatController | null>(null);

export function useController(): ChatController {
  const c = useContext(ChatContext);
  if (!c) throw new Error('useController outside ChatContext');
  return c;
}

/** The whole chat state; it is immutable, so unchanged parts keep their identity. */
export function useChatState(): ChatState {
  const c = useController();
  return useSyncExternalStore(c.subscribe, c.getState, c.getState);
}
