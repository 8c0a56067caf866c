package dev.natter.client;

import dev.natter.core.model.User;

/**
 * A session: the signed-in user and its token, from {@link ChatClient#signIn} or {@link
 * ChatClient#register}. Keep the token to build clients with {@link ChatClientBuilder#token}.
 */
public record SignedIn(User user, String token) {}
