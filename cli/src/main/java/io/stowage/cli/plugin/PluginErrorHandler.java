package io.stowage.cli.plugin;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own refusals, of requests it cannot take (no {@code Host}, a head too large, a
 * malformed request line), answered as the plugin answers: {@code {"Err": "..."}} in the
 * plugin's content type instead of an HTML page, and the connection closed after the answer.
 * An answer to {@code HEAD} has no body; where Jetty could not read the request line, it does
 * not know the method (Jetty's placeholder {@code BAD}), and the closed connection tells a
 * {@code HEAD} client where the answer ends.
 */
final class PluginErrorHandler extends ErrorHandler {
  private final PluginProtocol protocol;

  PluginErrorHandler(PluginProtocol protocol) {
    this.protocol = protocol;
  }

  /** Every method gets its reason, not only those Jetty writes error pages for. */
  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  protected void generateResponse(Request request, Response response, int code, String message,
      Throwable cause, Callback callback) {
    // Without an HTTP reason, Jetty's message is the exception's toString(): a Java type.
    String reason = cause == null || cause instanceof HttpException ? message
        : HttpStatus.getMessage(code);
    byte[] body = protocol.error(code, "HTTP " + code + ": " + reason).body();
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, PluginProtocol.CONTENT_TYPE);
    response.getHeaders().put(HttpHeader.CONNECTION, "close");
    if (HttpMethod.HEAD.is(request.getMethod())) {
      response.write(true, null, callback);
    } else {
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
      response.write(true, ByteBuffer.wrap(body), callback);
    }
  }
}
