package dev.natter.core;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Dimensions and thumbnails of uploaded images, with the JDK's ImageIO. The dimensions come from
 * the image's header; an image of more than {@link #MAX_PIXELS} pixels (a decompression bomb, or
 * just huge) is never decoded and gets no thumbnail. Others are decoded subsampled, so at most
 * about {@link #DECODE_PIXELS} pixels are ever in memory, then scaled to at most {@link
 * #THUMBNAIL_SIDE} pixels a side.
 */
final class Images {
  /** The longest side of a thumbnail. */
  static final int THUMBNAIL_SIDE = 320;

  /** Images with more pixels than this are not decoded (and not shown inline). */
  static final long MAX_PIXELS = 40_000_000L;

  /** The most pixels decoded for a thumbnail, after subsampling. */
  static final long DECODE_PIXELS = 4_000_000L;

  private Images() {}

  /**
   * What was learned about an image.
   *
   * @param width its width, or null when unreadable
   * @param height its height, or null when unreadable
   * @param thumbnail a PNG or JPEG preview ({@link #thumbnailType}), or null
   */
  record Inspection(Integer width, Integer height, byte[] thumbnail) {
    static final Inspection NONE = new Inspection(null, null, null);
  }

  /** The type of the thumbnail of an image of this type: JPEG for photos, PNG otherwise. */
  static String thumbnailType(String imageType) {
    return MediaTypes.JPEG.equals(imageType) ? MediaTypes.JPEG : MediaTypes.PNG;
  }

  /** Whether an image of these dimensions is small enough to decode and show. */
  static boolean withinBounds(Integer width, Integer height) {
    return width == null || height == null || (long) width * height <= MAX_PIXELS;
  }

  /**
   * Reads the image's header and, when it is within bounds, makes a thumbnail. Never fails: an
   * unreadable image yields {@link Inspection#NONE} or no thumbnail.
   */
  static Inspection inspect(String type, InputStream content) {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByMIMEType(type);
    if (!readers.hasNext()) {
      return Inspection.NONE;
    }
    ImageReader reader = readers.next();
    try (ImageInputStream in = new MemoryCacheImageInputStream(content)) {
      reader.setInput(in, true, true);
      int width = reader.getWidth(0);
      int height = reader.getHeight(0);
      if (width <= 0 || height <= 0) {
        return Inspection.NONE;
      }
      if (!withinBounds(width, height)) {
        return new Inspection(width, height, null);
      }
      return new Inspection(width, height, thumbnail(reader, type, width, height));
    } catch (IOException | RuntimeException e) {
      return Inspection.NONE;
    } finally {
      reader.dispose();
    }
  }

  private static byte[] thumbnail(ImageReader reader, String type, int width, int height) {
    try {
      ImageReadParam param = reader.getDefaultReadParam();
      int step = subsampling(width, height);
      if (step > 1) {
        param.setSourceSubsampling(step, step, 0, 0);
      }
      BufferedImage source = reader.read(0, param);
      double scale = Math.min(1.0, (double) THUMBNAIL_SIDE / Math.max(width, height));
      int tw = Math.max(1, (int) Math.round(width * scale));
      int th = Math.max(1, (int) Math.round(height * scale));
      boolean jpeg = MediaTypes.JPEG.equals(thumbnailType(type));
      BufferedImage thumb =
          new BufferedImage(
              tw, th, jpeg ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_INT_ARGB);
      Graphics2D g = thumb.createGraphics();
      try {
        g.setRenderingHint(
            RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.drawImage(source, 0, 0, tw, th, null);
      } finally {
        g.dispose();
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      if (!ImageIO.write(thumb, jpeg ? "jpeg" : "png", out)) {
        return null;
      }
      return out.toByteArray();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The subsampling step that keeps a decoded image within {@link #DECODE_PIXELS}, without going
   * below the thumbnail's size.
   */
  static int subsampling(int width, int height) {
    long pixels = (long) width * height;
    int step = 1;
    while (pixels / ((long) step * step) > DECODE_PIXELS
        && Math.max(width, height) / (step + 1) >= THUMBNAIL_SIDE) {
      step++;
    }
    return step;
  }
}
