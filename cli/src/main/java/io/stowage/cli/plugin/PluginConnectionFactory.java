package io.stowage.cli.plugin;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.internal.HttpConnection;

/**
 * HTTP/1.1 connections for the plugin socket, Jetty's own with two changes.
 *
 * <p>They accept the empty {@code Host} header a client sends when its target has no authority
 * (RFC 9112, section 3.2), as Docker's plugin client does on a unix socket. Jetty 12 answers
 * such a request "400 Blank Host" and has no setting to allow it, so each request stream here
 * leaves an empty Host field out before Jetty checks it: the request then takes the configured
 * server authority, as an HTTP/1.0 request without Host does. Jetty's parser has seen the
 * header by then, so an HTTP/1.1 request with no Host line is still refused ("400 No Host"),
 * and so are a second Host and a Host with a port but no host. See ADR 0006.
 *
 * <p>Each request must arrive whole, head and body, within the request timeout from its first
 * byte ({@link RequestDeadline}); otherwise the connection is closed. Jetty's idle timeout
 * starts again with every byte, so on its own it lets a client that trickles header lines hold
 * a connection for ever. The time between requests on a kept-alive connection is bounded by
 * the idle timeout only.
 */
final class PluginConnectionFactory extends HttpConnectionFactory {
  private final Duration requestTimeout;

  PluginConnectionFactory(HttpConfiguration config, Duration requestTimeout) {
    super(config);
    this.requestTimeout = requestTimeout;
  }

  @Override
  public Connection newConnection(Connector connector, EndPoint endPoint) {
    return configure(new PluginConnection(getHttpConfiguration(), connector, endPoint,
        requestTimeout), connector, endPoint);
  }

  /** Jetty's HTTP/1.1 connection with the empty Host left out and a request deadline. */
  private static final class PluginConnection extends HttpConnection {
    private final RequestDeadline deadline;

    PluginConnection(HttpConfiguration config, Connector connector, EndPoint endPoint,
        Duration requestTimeout) {
      super(config, connector, endPoint);
      this.deadline = new RequestDeadline(connector.getScheduler(), requestTimeout,
          () -> endPoint.close(new TimeoutException("the request did not arrive within "
              + requestTimeout.toMillis() + " ms")));
    }

    @Override
    protected HttpStreamOverHTTP1 newHttpStream(String method, String uri, HttpVersion version) {
      return new HttpStreamOverHTTP1(method, uri, version) {
        @Override
        public void parsedHeader(HttpField field) {
          if (field.getHeader() != HttpHeader.HOST || !isEmpty(field.getValue())) {
            super.parsedHeader(field);
          }
        }
      };
    }

    /**
     * The parser's events, called during the super constructor's set-up and afterwards from
     * parsing only: by then {@link #deadline} is set. The parser begins a message on every
     * parse in its start state, also of an empty buffer, so only buffered bytes arm it.
     */
    @Override
    protected RequestHandler newRequestHandler() {
      return new RequestHandler() {
        @Override
        public void messageBegin() {
          super.messageBegin();
          if (!isRequestBufferEmpty()) {
            deadline.arm();
          }
        }

        @Override
        public boolean messageComplete() {
          deadline.disarm();
          return super.messageComplete();
        }

        @Override
        public void badMessage(HttpException failure) {
          deadline.disarm();
          super.badMessage(failure);
        }

        @Override
        public void earlyEOF() {
          deadline.disarm();
          super.earlyEOF();
        }
      };
    }

    @Override
    public void onClose(Throwable cause) {
      deadline.disarm();
      super.onClose(cause);
    }

    private static boolean isEmpty(String value) {
      return value == null || value.isEmpty();
    }
  }
}
