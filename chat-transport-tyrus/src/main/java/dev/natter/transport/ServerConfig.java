package dev.natter.transport;

import dev.natter.core.ChatEngine;
import dev.natter.core.spi.ChatStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Everything {@link NatterServerBuilder} collected, checked. Either {@code engine} is set (the
 * caller's, not closed by the server) or {@code store} is (the server builds an engine on it with
 * {@code engineSettings} and closes both).
 */
record ServerConfig(
    ChatEngine engine,
    ChatStore store,
    Consumer<ChatEngine.Builder> engineSettings,
    String host,
    int port,
    Set<String> allowedOrigins,
    int maxFrameBytes,
    long outboundBudgetBytes,
    int maxRequestBytes,
    boolean ui,
    ClassLoader uiClassLoader,
    Boolean secureCookies,
    MeterRegistry registry,
    int workerThreads,
    int passwordThreads,
    long httpIdleTimeoutMs,
    long firstRequestTimeoutMs,
    int maxConnectionsPerUser,
    int maxConnectionsPerAddress,
    int maxConcurrentHandshakes,
    String metricsToken) {}
