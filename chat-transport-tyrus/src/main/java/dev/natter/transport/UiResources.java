package dev.natter.transport;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The browser UI's files, read from the classpath under {@code natter-ui/} (the chat-web jar puts
 * them there) and kept in memory once read. Paths that name no file fall back to {@code index.html}
 * (the UI routes itself), unless they look like a file or an asset.
 */
final class UiResources {
  static final String PREFIX = "natter-ui/";
  static final String INDEX = "index.html";

  /** A file of the UI. */
  record File(String name, byte[] bytes, String contentType, String etag, String cacheControl) {}

  private final ClassLoader loader;
  private final Map<String, File> cache = new ConcurrentHashMap<>();

  UiResources(ClassLoader loader) {
    this.loader = loader;
  }

  static boolean presentIn(ClassLoader loader) {
    return loader.getResource(PREFIX + INDEX) != null;
  }

  /** The file to answer {@code path} with, or empty for a 404. */
  Optional<File> resolve(String path) {
    if (path == null
        || !path.startsWith("/")
        || path.contains("..")
        || path.contains("\\")
        || path.contains("//")
        || path.indexOf('\0') >= 0) {
      return Optional.empty();
    }
    String name = path.equals("/") ? INDEX : path.substring(1);
    String last = name.substring(name.lastIndexOf('/') + 1);
    if (last.contains(".")) {
      return load(name); // a file, or a 404: never index.html in place of a missing file
    }
    if (name.startsWith("assets/")) {
      return Optional.empty();
    }
    return load(INDEX);
  }

  private Optional<File> load(String name) {
    return Optional.ofNullable(cache.computeIfAbsent(name, this::read)); // misses are not kept
  }

  private File read(String name) {
    URL url = loader.getResource(PREFIX + name);
    if (url == null) {
      return null;
    }
    if ("file".equals(url.getProtocol()) && new java.io.File(url.getPath()).isDirectory()) {
      return null;
    }
    byte[] bytes;
    try (InputStream in = url.openStream()) {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      return null; // a directory entry of a jar, or unreadable
    }
    String cacheControl =
        name.startsWith("assets/") ? "public, max-age=31536000, immutable" : "no-cache";
    return new File(name, bytes, contentType(name), etag(bytes), cacheControl);
  }

  private static String etag(byte[] bytes) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "\"" + HexFormat.of().formatHex(d, 0, 12) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String contentType(String name) {
    String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    switch (ext) {
      case "html":
        return "text/html; charset=utf-8";
      case "js":
      case "mjs":
        return "text/javascript; charset=utf-8";
      case "css":
        return "text/css; charset=utf-8";
      case "json":
      case "map":
        return "application/json; charset=utf-8";
      case "webmanifest":
        return "application/manifest+json; charset=utf-8";
      case "svg":
        return "image/svg+xml";
      case "png":
        return "image/png";
      case "jpg":
      case "jpeg":
        return "image/jpeg";
      case "gif":
        return "image/gif";
      case "webp":
        return "image/webp";
      case "ico":
        return "image/x-icon";
      case "woff2":
        return "font/woff2";
      case "woff":
        return "font/woff";
      case "ttf":
        return "font/ttf";
      case "txt":
        return "text/plain; charset=utf-8";
      case "wasm":
        return "application/wasm";
      default:
        return "application/octet-stream";
    }
  }
}
