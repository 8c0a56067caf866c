package dev.natter.core.model;

/** A user together with the stored password hash (never leaves the engine). */
public record Credentials(User user, String passwordHash) {}
