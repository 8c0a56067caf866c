package dev.natter.transport;

import dev.natter.core.ChatEngine;
import dev.natter.core.spi.ChatStore;
import dev.natter.core.spi.EventBus;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Everything {@link NatterServerBuilder} collected, checked. Either {@code engine} is set (the
 * caller's, not closed by the server) or {@code store} is (the server builds an engine on it with
 * {@code engineSettings} and closes both, and the {@code bus} when one was given).
 */
record ServerConfig(
    ChatEngine engine,
    ChatStore store,
    EventBus bus,
    Consumer<ChatEngine.Builder> engineSettings,
    String host,
    int port,
    Set<String> allowedOrigins,
    int maxFrameBytes,
    long outboundBudgetBytes,
    int maxRequestBytes,
    long maxUploadBytes,
    int maxConcurrentUploads,
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
