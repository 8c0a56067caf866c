package dev.natter.core.spi;

/** Hashes passwords for storage and verifies them. The hash string carries its own parameters. */
public interface PasswordHasher {
  /**
   * Hashes a password with a fresh salt.
   *
   * @param password the password; the caller clears it afterwards
   * @return the hash with its algorithm, parameters and salt, ready to store
   */
  String hash(char[] password);

  /**
   * Checks a password against a stored hash, in time that does not depend on where they differ.
   *
   * @param password the password given
   * @param storedHash a hash made by {@link #hash}, with its own parameters
   * @return whether the password matches
   */
  boolean verify(char[] password, String storedHash);

  /**
   * Whether a stored hash uses weaker parameters than this hasher and should be re-hashed.
   *
   * @param storedHash a stored hash
   * @return true to re-hash at the next successful sign-in; the default never asks
   */
  default boolean needsRehash(String storedHash) {
    return false;
  }
}
