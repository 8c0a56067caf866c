package dev.natter.client;

/** A listener added with {@link ChatClient#addListener}; {@link #remove()} takes it away. */
@FunctionalInterface
public interface Registration {

  /**
   * Removes the listener: it hears nothing that the client delivers after this call returns
   * (except, when called from another thread, the one event it may be hearing right now). Calling
   * it again does nothing.
   */
  void remove();
}
