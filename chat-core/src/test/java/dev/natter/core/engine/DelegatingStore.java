package dev.natter.core.engine;

import dev.natter.core.spi.ChatStore;
import dev.natter.core.spi.ComposedChatStore;

/** A store that forwards everything to another one; tests override what they need to break. */
class DelegatingStore extends ComposedChatStore {
  protected final ChatStore delegate;

  DelegatingStore(ChatStore delegate) {
    super(delegate);
    this.delegate = delegate;
  }

  @Override
  public void close() {
    delegate.close();
  }
}
