package io.stowage.cli.plugin;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stowage.VolumeService;
import io.stowage.exception.ConfigurationException;
import io.stowage.exception.InvalidArgumentException;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.HostPort;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the Docker volume plugin protocol over HTTP on a unix domain socket, on top of one
 * {@link VolumeService}. Docker's mount {@code ID} is the caller of Mount and Unmount; errors
 * go back in {@code Err}, also those of requests refused before they reach the protocol.
 * Requests are bounded: a head of at most 8 KiB and a body of at most 64 KiB (by default), both
 * arriving within the request timeout (10 s) from the first byte, and a connection idle for the
 * idle timeout (30 s) is closed. The socket file has mode 0660. The
 * empty {@code Host} header Docker's client sends on a unix socket is accepted; a missing one
 * is not.
 *
 * <pre>{@code
 * try (PluginServer server = PluginServer.builder(stowage.volumes())
 *     .socket(Path.of("/run/docker/plugins/stowage.sock")).build()) {
 *   server.start();
 *   server.awaitStop();
 * }
 * }</pre>
 *
 * <p>Thread-safe. Closing it stops accepting connections, lets the calls in progress finish
 * (up to the stop timeout) and removes the socket file; the volume service stays open.
 */
public final class PluginServer implements AutoCloseable {
  /** The default largest request body: 64 KiB. */
  public static final int DEFAULT_MAX_REQUEST_BYTES = 64 * 1024;
  /** The largest request head, the request line and every header: 8 KiB. */
  public static final int MAX_REQUEST_HEAD_BYTES = 8 * 1024;
  /** The default time a request may take to arrive, head and body: 10 seconds. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
  /** The default idle timeout of a connection: 30 seconds. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
  /** The default time calls in progress get to finish on stop: 60 seconds. */
  public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(60);

  private static final Logger LOG = LoggerFactory.getLogger(PluginServer.class);

  private final PluginProtocol protocol;
  private final Path socket;
  private final int maxRequestBytes;
  private final Duration requestTimeout;
  private final Duration idleTimeout;
  private final Duration stopTimeout;
  private final int maxThreads;
  private final Object lock = new Object();
  private final AtomicBoolean started = new AtomicBoolean();
  private Server server;

  private PluginServer(Builder b) {
    this.protocol = new PluginProtocol(b.volumes, b.driverKeys, b.scope, b.removeForce,
        new ObjectMapper());
    this.socket = b.socket.toAbsolutePath();
    this.maxRequestBytes = b.maxRequestBytes;
    this.requestTimeout = b.requestTimeout;
    this.idleTimeout = b.idleTimeout;
    this.stopTimeout = b.stopTimeout;
    this.maxThreads = b.maxThreads;
  }

  /**
   * Starts a builder.
   *
   * @param volumes the volumes to serve
   * @return a builder
   */
  public static Builder builder(VolumeService volumes) {
    return new Builder(volumes);
  }

  /**
   * Returns the socket path.
   *
   * @return the absolute path of the unix domain socket
   */
  public Path socket() {
    return socket;
  }

  /**
   * Binds the socket and starts serving. A stale socket file (nothing answers on it) is
   * replaced; a live one is an error.
   *
   * @throws ConfigurationException when the socket cannot be bound or another server answers
   *     on it
   * @throws IllegalStateException when already started
   */
  public void start() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("the plugin server has already been started");
    }
    synchronized (lock) {
      prepareSocket();
      QueuedThreadPool threads = new QueuedThreadPool(maxThreads, Math.min(4, maxThreads));
      threads.setName("plugin");
      Server s = new Server(threads);
      s.setStopTimeout(stopTimeout.toMillis());
      HttpConfiguration http = new HttpConfiguration();
      http.setSendServerVersion(false);
      http.setSendDateHeader(false);
      http.setRequestHeaderSize(MAX_REQUEST_HEAD_BYTES);
      // A unix socket has no authority: requests with an empty Host (Docker's) take this one.
      http.setServerAuthority(new HostPort("localhost"));
      UnixDomainServerConnector connector =
          new UnixDomainServerConnector(s, new PluginConnectionFactory(http, requestTimeout));
      connector.setUnixDomainPath(socket);
      connector.setIdleTimeout(idleTimeout.toMillis());
      connector.setAcceptQueueSize(256);
      s.addConnector(connector);
      s.setHandler(new PluginHandler());
      s.setErrorHandler(new PluginErrorHandler(protocol));
      try {
        s.start();
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
      } catch (Exception e) {
        try {
          s.stop();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
        throw new ConfigurationException(socket.toString(),
            List.of("cannot serve the plugin socket: " + e));
      }
      server = s;
      LOG.info("Serving the Docker volume plugin protocol on {}", socket);
    }
  }

  /**
   * Blocks until the server stops.
   *
   * @throws InterruptedException when interrupted while waiting
   */
  public void awaitStop() throws InterruptedException {
    Server s;
    synchronized (lock) {
      s = server;
    }
    if (s != null) {
      s.join();
    }
  }

  /**
   * Stops accepting connections, lets calls in progress finish, and removes the socket file.
   */
  @Override
  public void close() {
    Server s;
    synchronized (lock) {
      s = server;
      server = null;
    }
    if (s == null) {
      return;
    }
    try {
      s.stop();
    } catch (Exception e) {
      LOG.warn("Stopping the plugin server on {} failed", socket, e);
    }
    try {
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      LOG.warn("Removing the plugin socket {} failed", socket, e);
    }
    LOG.info("Stopped serving on {}", socket);
  }

  private void prepareSocket() {
    try {
      Files.createDirectories(socket.getParent());
    } catch (IOException e) {
      throw new ConfigurationException(socket.toString(),
          List.of("cannot create the socket directory " + socket.getParent() + ": " + e));
    }
    if (!Files.exists(socket, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (answers(socket)) {
      throw new ConfigurationException(socket.toString(), List.of("another server already"
          + " answers on " + socket + "; stop it first or choose another --name"));
    }
    try {
      LOG.info("Replacing the stale socket file {}", socket);
      Files.delete(socket);
    } catch (IOException e) {
      throw new ConfigurationException(socket.toString(),
          List.of("cannot remove the stale socket file " + socket + ": " + e));
    }
  }

  private static boolean answers(Path socket) {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      return channel.connect(UnixDomainSocketAddress.of(socket));
    } catch (IOException e) {
      return false;
    }
  }

  /** Reads the bounded body, hands it to the protocol and writes the reply. */
  private final class PluginHandler extends Handler.Abstract {
    PluginHandler() {
      super(InvocationType.BLOCKING);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      PluginProtocol.Reply reply = answer(request, response);
      response.setStatus(reply.status());
      response.getHeaders().put(new HttpField(HttpHeader.CONTENT_TYPE,
          PluginProtocol.CONTENT_TYPE));
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, reply.body().length);
      if (reply.status() == 413 || reply.status() == 408) {
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
      }
      response.write(true, ByteBuffer.wrap(reply.body()), callback);
      return true;
    }

    private PluginProtocol.Reply answer(Request request, Response response) {
      if (!HttpMethod.POST.is(request.getMethod())) {
        response.getHeaders().put(HttpHeader.ALLOW, "POST");
        return protocol.error(405, "method " + request.getMethod()
            + " is not allowed; the plugin protocol uses POST");
      }
      HttpURI uri = request.getHttpURI();
      if (uri.getQuery() != null || uri.getParam() != null || uri.getFragment() != null) {
        return protocol.error(400, "the plugin protocol takes a bare path: no query,"
            + " parameters or fragment");
      }
      if (request.getLength() > maxRequestBytes) {
        return tooLarge();
      }
      byte[] body;
      try (InputStream in = Content.Source.asInputStream(request)) {
        body = in.readNBytes(maxRequestBytes + 1);
      } catch (IOException e) {
        LOG.debug("Reading a request body failed: {}", e.toString());
        return protocol.error(408, "the request body did not arrive completely within "
            + requestTimeout.toMillis() + " ms (idle timeout " + idleTimeout.toMillis()
            + " ms)");
      }
      if (body.length > maxRequestBytes) {
        return tooLarge();
      }
      // The body is in: the call itself may take longer than the idle timeout.
      request.addIdleTimeoutListener(timeout -> false);
      return protocol.handle(uri.getPath(), body);
    }

    private PluginProtocol.Reply tooLarge() {
      return protocol.error(413, "the request body is larger than " + maxRequestBytes
          + " bytes");
    }
  }

  /** Builds a {@link PluginServer}. Not thread-safe. */
  public static final class Builder {
    private final VolumeService volumes;
    private Set<String> driverKeys = Set.of();
    private Path socket = Path.of("/run/docker/plugins/stowage.sock");
    private String scope = "global";
    private boolean removeForce;
    private int maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    private Duration stopTimeout = DEFAULT_STOP_TIMEOUT;
    private int maxThreads = 64;

    private Builder(VolumeService volumes) {
      this.volumes = Objects.requireNonNull(volumes, "volumes");
    }

    /**
     * Sets the unix domain socket path (default {@code /run/docker/plugins/stowage.sock}).
     *
     * @param socket the path
     * @return this builder
     */
    public Builder socket(Path socket) {
      this.socket = Objects.requireNonNull(socket, "socket");
      return this;
    }

    /**
     * Sets the volume option keys the driver understands besides the common ones.
     *
     * @param keys lower-case option keys
     * @return this builder
     */
    public Builder driverOptionKeys(Set<String> keys) {
      this.driverKeys = Set.copyOf(keys);
      return this;
    }

    /**
     * Sets the scope Capabilities reports: {@code global} (default) or {@code local}.
     *
     * @param scope the scope
     * @return this builder
     * @throws InvalidArgumentException for any other value
     */
    public Builder scope(String scope) {
      if (!"global".equals(scope) && !"local".equals(scope)) {
        throw new InvalidArgumentException("scope", scope, "must be global or local");
      }
      this.scope = scope;
      return this;
    }

    /**
     * Sets whether Remove detaches an attached volume first.
     *
     * @param force true to remove attached volumes
     * @return this builder
     */
    public Builder removeForce(boolean force) {
      this.removeForce = force;
      return this;
    }

    /**
     * Sets the largest request body accepted; larger ones get 413.
     *
     * @param bytes the limit, at least 1 KiB
     * @return this builder
     */
    public Builder maxRequestBytes(int bytes) {
      if (bytes < 1024) {
        throw new InvalidArgumentException("maxRequestBytes", Integer.toString(bytes),
            "must be at least 1024");
      }
      this.maxRequestBytes = bytes;
      return this;
    }

    /**
     * Sets how long a request may take to arrive, head and body, from its first byte; a
     * connection whose request is not in by then is closed.
     *
     * @param timeout the request timeout
     * @return this builder
     */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive("requestTimeout", timeout);
      return this;
    }

    /**
     * Sets how long a connection may stay idle.
     *
     * @param timeout the idle timeout
     * @return this builder
     */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = positive("idleTimeout", timeout);
      return this;
    }

    /**
     * Sets how long calls in progress get to finish on close.
     *
     * @param timeout the stop timeout
     * @return this builder
     */
    public Builder stopTimeout(Duration timeout) {
      this.stopTimeout = positive("stopTimeout", timeout);
      return this;
    }

    /**
     * Sets the largest number of request threads (default 64).
     *
     * @param threads at least 8
     * @return this builder
     */
    public Builder maxThreads(int threads) {
      if (threads < 8) {
        throw new InvalidArgumentException("maxThreads", Integer.toString(threads),
            "must be at least 8");
      }
      this.maxThreads = threads;
      return this;
    }

    /**
     * Builds the server; {@link PluginServer#start()} binds the socket.
     *
     * @return the server
     */
    public PluginServer build() {
      return new PluginServer(this);
    }

    private static Duration positive(String field, Duration d) {
      Objects.requireNonNull(d, field);
      if (d.isNegative() || d.isZero()) {
        throw new InvalidArgumentException(field, d.toString(), "must be positive");
      }
      return d;
    }
  }
}
