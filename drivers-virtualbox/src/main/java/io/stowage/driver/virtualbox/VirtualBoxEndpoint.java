package io.stowage.driver.virtualbox;

import io.stowage.exception.ConfigurationException;
import io.stowage.exception.InvalidArgumentException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Where and how to reach vboxwebsrv. The password is a secret: {@link #toString()} masks it and
 * no message names it.
 *
 * @param uri the web service, {@code http://host:port/} or {@code https://host:port/}
 * @param username the user to log on as (empty when vboxwebsrv runs without authentication)
 * @param password the user's password
 * @param tls whether TLS is required; then {@code uri} must be {@code https}
 * @param connectTimeout the bound on opening a connection
 * @param requestTimeout the bound on one SOAP call, from sending it to reading the answer
 * @param sslContext the TLS context for {@code https}, if not the JVM's default (whose trust
 *     store {@code javax.net.ssl.trustStore} sets)
 */
record VirtualBoxEndpoint(URI uri, String username, String password, boolean tls,
    Duration connectTimeout, Duration requestTimeout, Optional<SSLContext> sslContext) {
  /** vboxwebsrv on the host as a NAT guest sees it, at its default port. */
  static final URI DEFAULT_URI = URI.create("http://10.0.2.2:18083");
  /** The default bound on opening a connection. */
  static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** The default bound on one SOAP call. */
  static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Validates the endpoint, reporting every problem at once.
   *
   * @throws ConfigurationException when the URI is not an http(s) URI with a host, carries
   *     credentials, contradicts {@code tls}, or a timeout is not positive
   */
  VirtualBoxEndpoint {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(sslContext, "sslContext");
    List<String> problems = new ArrayList<>();
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      problems.add("virtualbox.endpoint " + InvalidArgumentException.quote(describe(uri))
          + " must be an http:// or https:// URI with a host, such as " + DEFAULT_URI);
    }
    if (uri.getRawUserInfo() != null) {
      problems.add("virtualbox.endpoint must not carry credentials: set virtualbox.username"
          + " and virtualbox.password");
    }
    if (tls && scheme.equals("http")) {
      problems.add("virtualbox.tls is true but virtualbox.endpoint " + describe(uri)
          + " is plain http: use an https:// endpoint");
    }
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      problems.add("virtualbox.connectTimeout must be positive, not " + connectTimeout);
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      problems.add("virtualbox.requestTimeout must be positive, not " + requestTimeout);
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException("the virtualbox driver settings", problems);
    }
  }

  /**
   * An endpoint with the default timeouts and the JVM's TLS context.
   *
   * @param uri the web service
   * @param username the user
   * @param password the password
   * @param tls whether TLS is required
   * @return the endpoint
   */
  static VirtualBoxEndpoint of(URI uri, String username, String password, boolean tls) {
    return new VirtualBoxEndpoint(uri, username, password, tls, DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_REQUEST_TIMEOUT, Optional.empty());
  }

  /**
   * Returns the same endpoint with other timeouts.
   *
   * @param connect the bound on opening a connection
   * @param request the bound on one SOAP call
   * @return the endpoint
   */
  VirtualBoxEndpoint withTimeouts(Duration connect, Duration request) {
    return new VirtualBoxEndpoint(uri, username, password, tls, connect, request, sslContext);
  }

  /**
   * Returns the same endpoint with a TLS context.
   *
   * @param context the context whose trust managers check the server's certificate
   * @return the endpoint
   */
  VirtualBoxEndpoint withSslContext(SSLContext context) {
    return new VirtualBoxEndpoint(uri, username, password, tls, connectTimeout, requestTimeout,
        Optional.of(context));
  }

  /**
   * Returns the URI as messages show it: without user information, query or fragment.
   *
   * @return the URI text
   */
  String describe() {
    return describe(uri);
  }

  private static String describe(URI uri) {
    if (uri.getScheme() == null || uri.getHost() == null) {
      return uri.getScheme() == null ? String.valueOf(uri.getPath())
          : uri.getScheme() + ":" + uri.getRawSchemeSpecificPart().replaceAll("^//[^@/]*@", "//");
    }
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
        + (uri.getRawPath() == null ? "" : uri.getRawPath());
  }

  @Override
  public String toString() {
    return "VirtualBoxEndpoint[uri=" + describe() + ", username=" + username
        + ", password=" + (password.isEmpty() ? "" : "****") + ", tls=" + tls
        + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout
        + ", sslContext=" + (sslContext.isPresent() ? "custom" : "default") + "]";
  }
}
