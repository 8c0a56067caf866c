package dev.natter.core.spi;

import java.security.SecureRandom;

/** Makes opaque, unique ids for users, rooms and messages. */
public interface IdGenerator {
  /**
   * A new id, never handed out before.
   *
   * @return the id
   */
  String newId();

  /**
   * ULID-like ids: 26 characters of Crockford base32, a 48-bit millisecond timestamp followed by 80
   * random bits, so they sort roughly by creation time.
   *
   * @return a generator backed by {@link SecureRandom}
   */
  static IdGenerator random() {
    SecureRandom random = new SecureRandom();
    char[] alphabet = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    return () -> {
      long time = System.currentTimeMillis();
      byte[] bytes = new byte[10];
      random.nextBytes(bytes);
      StringBuilder sb = new StringBuilder(26);
      for (int i = 9; i >= 0; i--) {
        sb.append(alphabet[(int) ((time >>> (i * 5)) & 31)]);
      }
      long hi = 0;
      for (int i = 0; i < 5; i++) {
        hi = (hi << 8) | (bytes[i] & 0xff);
      }
      long lo = 0;
      for (int i = 5; i < 10; i++) {
        lo = (lo << 8) | (bytes[i] & 0xff);
      }
      for (int i = 7; i >= 0; i--) {
        sb.append(alphabet[(int) ((hi >>> (i * 5)) & 31)]);
      }
      for (int i = 7; i >= 0; i--) {
        sb.append(alphabet[(int) ((lo >>> (i * 5)) & 31)]);
      }
      return sb.toString();
    };
  }
}
