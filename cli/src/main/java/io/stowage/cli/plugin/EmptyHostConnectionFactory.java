package io.stowage.cli.plugin;

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
 * HTTP/1.1 connections that accept the empty {@code Host} header a client sends when its target
 * has no authority (RFC 9112, section 3.2), as Docker's plugin client does on a unix socket.
 * Jetty 12 answers such a request "400 Blank Host" and has no setting to allow it, so each
 * request stream here leaves an empty Host field out before Jetty checks it: the request then
 * takes the configured server authority, as an HTTP/1.0 request without Host does. Jetty's
 * parser has seen the header by then, so an HTTP/1.1 request with no Host line is still refused
 * ("400 No Host"), and so are a second Host and a Host with a port but no host. See ADR 0006.
 */
final class EmptyHostConnectionFactory extends HttpConnectionFactory {
  EmptyHostConnectionFactory(HttpConfiguration config) {
    super(config);
  }

  @Override
  public Connection newConnection(Connector connector, EndPoint endPoint) {
    return configure(new EmptyHostConnection(getHttpConfiguration(), connector, endPoint),
        connector, endPoint);
  }

  /** Jetty's HTTP/1.1 connection with request streams that drop an empty Host field. */
  private static final class EmptyHostConnection extends HttpConnection {
    EmptyHostConnection(HttpConfiguration config, Connector connector, EndPoint endPoint) {
      super(config, connector, endPoint);
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

    private static boolean isEmpty(String value) {
      return value == null || value.isEmpty();
    }
  }
}
