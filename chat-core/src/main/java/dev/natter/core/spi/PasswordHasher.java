package dev.natter.core.spi;

/** Hashes passwords for storage and verifies them. The hash string carries its own parameters. */
public interface PasswordHasher {
  String hash(char[] password);

  boolean verify(char[] password, String storedHash);

  /** Whether a stored hash uses weaker parameters than this hasher and should be re-hashed. */
  default boolean needsRehash(String storedHash) {
    return false;
  }
}
