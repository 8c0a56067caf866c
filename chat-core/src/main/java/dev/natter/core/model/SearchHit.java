package dev.natter.core.model;

/**
 * A search result: the message and a short excerpt of its body with the match marked by {@code [}
 * and {@code ]}.
 *
 * @param message the message that matched
 * @param snippet an excerpt around the match, the matched words between {@code [} and {@code ]}
 */
public record SearchHit(Message message, String snippet) {}
