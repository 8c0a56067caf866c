package dev.natter.core;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A concurrent map with a ceiling: when a put takes it past {@code maxEntries}, it drops entries
 * (about a tenth of the ceiling, the ones it visits first: not the least recently used) until it is
 * back under. What it drops is simply loaded again on the next miss, so it suits caches whose every
 * entry can be reloaded. Look-ups take no lock.
 */
final class BoundedCache<K, V> {
  private final Map<K, V> map = new ConcurrentHashMap<>();
  private final int maxEntries;
  private final int evictTo;

  BoundedCache(int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1");
    }
    this.maxEntries = maxEntries;
    this.evictTo = maxEntries - Math.max(1, maxEntries / 10);
  }

  V get(K key) {
    return map.get(key);
  }

  void put(K key, V value) {
    map.put(key, value);
    if (map.size() > maxEntries) {
      evict();
    }
  }

  void remove(K key) {
    map.remove(key);
  }

  /** Removes the entry only while it still maps to {@code value}. */
  void remove(K key, V value) {
    map.remove(key, value);
  }

  int size() {
    return map.size();
  }

  private void evict() {
    Iterator<K> it = map.keySet().iterator();
    while (map.size() > evictTo && it.hasNext()) {
      it.next();
      it.remove();
    }
  }
}
