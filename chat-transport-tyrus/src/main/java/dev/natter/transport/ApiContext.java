package dev.natter.transport;

import dev.natter.codec.JsonCodec;
import dev.natter.core.ChatEngine;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

/**
 * What the HTTP API needs from the server.
 *
 * @param engine the engine behind every endpoint
 * @param codec the JSON bodies
 * @param metrics engine-call timers and response counters
 * @param replies error answers and writing
 * @param originAllowed whether a browser origin may call the API
 * @param maxRequestBytes the largest request body
 * @param maxUploadBytes the largest uploaded file
 * @param secureCookies the session cookie's {@code Secure}: forced on or off, or null to follow the
 *     request's scheme
 * @param passwordWork where register and login run, off the I/O threads
 * @param registrationSlots registrations that may be queued or running on {@code passwordWork} at
 *     once (the rest of it is kept for sign-ins)
 */
record ApiContext(
    ChatEngine engine,
    JsonCodec codec,
    ServerMetrics metrics,
    HttpReplies replies,
    Predicate<String> originAllowed,
    int maxRequestBytes,
    long maxUploadBytes,
    Boolean secureCookies,
    Executor passwordWork,
    int registrationSlots) {}
