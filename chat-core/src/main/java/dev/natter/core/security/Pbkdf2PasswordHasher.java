package dev.natter.core.security;

import dev.natter.core.spi.PasswordHasher;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * PBKDF2-HMAC-SHA256 from the JDK (OWASP: 600,000 iterations), so chat-core needs no dependency.
 * Hashes look like {@code pbkdf2-sha256$600000$<salt>$<hash>} (base64), so the iteration count can
 * be raised later: {@link #needsRehash} tells when a stored hash is weaker than this hasher.
 */
public final class Pbkdf2PasswordHasher implements PasswordHasher {
  /** The OWASP recommendation for PBKDF2-HMAC-SHA256. */
  public static final int DEFAULT_ITERATIONS = 600_000;

  private static final String PREFIX = "pbkdf2-sha256";
  private static final int SALT_BYTES = 16;
  private static final int HASH_BITS = 256;

  private final int iterations;
  private final SecureRandom random = new SecureRandom();

  /** A hasher with {@link #DEFAULT_ITERATIONS}. */
  public Pbkdf2PasswordHasher() {
    this(DEFAULT_ITERATIONS);
  }

  /**
   * A hasher with another iteration count (tests use a low one to stay fast).
   *
   * @param iterations PBKDF2 iterations, at least 1
   * @throws IllegalArgumentException below 1
   */
  public Pbkdf2PasswordHasher(int iterations) {
    if (iterations < 1) {
      throw new IllegalArgumentException("iterations must be positive");
    }
    this.iterations = iterations;
  }

  @Override
  public String hash(char[] password) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    byte[] hash = derive(password, salt, iterations);
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return PREFIX
        + "$"
        + iterations
        + "$"
        + b64.encodeToString(salt)
        + "$"
        + b64.encodeToString(hash);
  }

  @Override
  public boolean verify(char[] password, String storedHash) {
    String[] parts = storedHash.split("\\$");
    if (parts.length != 4 || !parts[0].equals(PREFIX)) {
      return false;
    }
    int storedIterations;
    try {
      storedIterations = Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      return false;
    }
    Base64.Decoder b64 = Base64.getDecoder();
    byte[] expected = b64.decode(parts[3]);
    byte[] actual = derive(password, b64.decode(parts[2]), storedIterations);
    return MessageDigest.isEqual(expected, actual);
  }

  @Override
  public boolean needsRehash(String storedHash) {
    String[] parts = storedHash.split("\\$");
    try {
      return parts.length != 4 || Integer.parseInt(parts[1]) < iterations;
    } catch (NumberFormatException e) {
      return true;
    }
  }

  private static byte[] derive(char[] password, byte[] salt, int iterations) {
    PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
    } finally {
      spec.clearPassword();
    }
  }
}
