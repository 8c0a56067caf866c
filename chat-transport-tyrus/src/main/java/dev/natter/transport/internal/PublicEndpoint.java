package dev.natter.transport.internal;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import java.util.Objects;

/**
 * Not API. Tyrus calls an endpoint's life-cycle methods reflectively, which works only on a public
 * class; this public shell forwards them to Natter's package-private endpoint.
 */
public final class PublicEndpoint extends Endpoint {
  private final Endpoint delegate;

  /**
   * Wraps an endpoint.
   *
   * @param delegate the endpoint that does the work
   */
  public PublicEndpoint(Endpoint delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public void onOpen(Session session, EndpointConfig config) {
    delegate.onOpen(session, config);
  }

  @Override
  public void onClose(Session session, CloseReason closeReason) {
    delegate.onClose(session, closeReason);
  }

  @Override
  public void onError(Session session, Throwable thr) {
    delegate.onError(session, thr);
  }
}
