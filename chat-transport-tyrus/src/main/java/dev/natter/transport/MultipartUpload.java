package dev.natter.transport;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.apache.commons.fileupload2.core.AbstractFileUpload;
import org.apache.commons.fileupload2.core.DiskFileItem;
import org.apache.commons.fileupload2.core.DiskFileItemFactory;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.RequestContext;
import org.apache.commons.io.input.BoundedInputStream;
import org.glassfish.grizzly.http.server.Request;

/**
 * Commons FileUpload's streaming parser over a Grizzly request: parts are read as they arrive
 * ({@link #getItemIterator}), nothing is buffered on disk or held whole in memory by the parser.
 */
final class MultipartUpload extends AbstractFileUpload<Request, DiskFileItem, DiskFileItemFactory> {

  @Override
  public FileItemInputIterator getItemIterator(Request request) throws IOException {
    return getItemIterator(new GrizzlyRequestContext(request));
  }

  @Override
  public Map<String, List<DiskFileItem>> parseParameterMap(Request request) {
    throw new UnsupportedOperationException("uploads are streamed: use getItemIterator");
  }

  @Override
  public List<DiskFileItem> parseRequest(Request request) {
    throw new UnsupportedOperationException("uploads are streamed: use getItemIterator");
  }

  /**
   * The request as FileUpload reads it. The body is read up to {@code Content-Length} when it is
   * given: Grizzly does not delimit a body sent with {@code Upgrade: h2c} (the JDK's HttpClient
   * sends one), and reading past it would wait forever.
   */
  private record GrizzlyRequestContext(Request request) implements RequestContext {
    @Override
    public String getCharacterEncoding() {
      return request.getCharacterEncoding();
    }

    @Override
    public long getContentLength() {
      return request.getContentLengthLong();
    }

    @Override
    public String getContentType() {
      return request.getHeader("Content-Type");
    }

    @Override
    public InputStream getInputStream() throws IOException {
      InputStream in = request.getInputStream();
      long length = request.getContentLengthLong();
      if (length < 0) {
        return in;
      }
      return BoundedInputStream.builder()
          .setInputStream(in)
          .setMaxCount(length)
          .setPropagateClose(false)
          .get();
    }

    @Override
    public boolean isMultipartRelated() {
      return false;
    }
  }
}
