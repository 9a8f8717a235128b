package io.stowage.cli.plugin;

import io.stowage.exception.InvalidArgumentException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * A small HTTP/1.1 client for the Docker volume plugin protocol, over a unix domain socket or
 * TCP. One connection per call ({@code Connection: close}); a call past its timeout is cut
 * off by one daemon timer thread per client; bodies are read by
 * {@code Content-Length}, by chunks, or to the end of the stream. It loads few classes, so the
 * commands that use it start fast. Thread-safe: it holds only its address.
 */
public final class PluginClient {
  private static final int MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

  private final SocketAddress address;
  private final String host;
  private final Duration timeout;
  private final Object timerLock = new Object();
  private java.util.concurrent.ScheduledThreadPoolExecutor timer;

  private PluginClient(SocketAddress address, String host, Duration timeout) {
    this.address = address;
    this.host = host;
    this.timeout = timeout;
  }

  /**
   * A client for a plugin listening on a unix domain socket.
   *
   * @param socket the socket path
   * @param timeout the longest a call may take
   * @return the client
   */
  public static PluginClient unix(Path socket, Duration timeout) {
    return new PluginClient(UnixDomainSocketAddress.of(socket), "plugin",
        Objects.requireNonNull(timeout, "timeout"));
  }

  /**
   * A client for a plugin address as Docker's spec files give it: {@code unix:///path},
   * {@code tcp://host:port} or {@code http://host:port}.
   *
   * @param address the address
   * @param timeout the longest a call may take
   * @return the client
   * @throws InvalidArgumentException when the address is not one of those forms
   */
  public static PluginClient forAddress(String address, Duration timeout) {
    String text = address.strip();
    URI uri;
    try {
      uri = URI.create(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidArgumentException("plugin address", text, "is not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    switch (scheme) {
      case "unix" -> {
        String path = uri.getPath() == null || uri.getPath().isEmpty()
            ? uri.getSchemeSpecificPart() : uri.getPath();
        return unix(Path.of(path), timeout);
      }
      case "tcp", "http" -> {
        if (uri.getHost() == null || uri.getPort() < 0) {
          throw new InvalidArgumentException("plugin address", text, "needs a host and a port");
        }
        return new PluginClient(new InetSocketAddress(uri.getHost(), uri.getPort()),
            uri.getHost() + ":" + uri.getPort(), timeout);
      }
      default -> throw new InvalidArgumentException("plugin address", text,
          "must start with unix://, tcp:// or http:// (https is not supported)");
    }
  }

  /**
   * A response from the plugin.
   *
   * @param status the HTTP status
   * @param body the body as UTF-8 text
   */
  public record Response(int status, String body) {
    /**
     * Validates the response.
     *
     * @param status the HTTP status
     * @param body the body as UTF-8 text
     */
    public Response {
      Objects.requireNonNull(body, "body");
    }
  }

  /**
   * POSTs a JSON body to a plugin endpoint.
   *
   * @param path the endpoint, such as {@code /VolumeDriver.Get}
   * @param json the request body
   * @return the response
   * @throws IOException when the plugin cannot be reached or answers malformed HTTP
   */
  public Response post(String path, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\n"
        + "Accept: " + PluginProtocol.CONTENT_TYPE + "\r\n"
        + "Content-Type: " + PluginProtocol.CONTENT_TYPE + "\r\n"
        + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
    try (SocketChannel channel = SocketChannel.open(address instanceof UnixDomainSocketAddress
        ? StandardProtocolFamily.UNIX : StandardProtocolFamily.INET)) {
      Deadline deadline = new Deadline(channel, timeout);
      try {
        channel.connect(address);
        var out = Channels.newOutputStream(channel);
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        return read(Channels.newInputStream(channel));
      } finally {
        deadline.cancel();
      }
    }
  }

  private static Response read(InputStream in) throws IOException {
    String statusLine = line(in);
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("the plugin did not answer HTTP: " + statusLine);
    }
    int status;
    try {
      status = Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new IOException("the plugin answered a malformed status line: " + statusLine, e);
    }
    long length = -1;
    boolean chunked = false;
    for (String header = line(in); !header.isEmpty(); header = line(in)) {
      int colon = header.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = header.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      String value = header.substring(colon + 1).strip();
      if (name.equals("content-length")) {
        try {
          length = Long.parseLong(value);
        } catch (NumberFormatException e) {
          throw new IOException("malformed Content-Length: " + value, e);
        }
      } else if (name.equals("transfer-encoding")
          && value.toLowerCase(Locale.ROOT).contains("chunked")) {
        chunked = true;
      }
    }
    byte[] body;
    if (chunked) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      while (true) {
        String size = line(in);
        int semi = size.indexOf(';');
        int n = Integer.parseInt((semi >= 0 ? size.substring(0, semi) : size).strip(), 16);
        if (n == 0) {
          break;
        }
        if (buf.size() + n > MAX_RESPONSE_BYTES) {
          throw new IOException("the plugin's response is larger than " + MAX_RESPONSE_BYTES);
        }
        buf.write(in.readNBytes(n));
        line(in);
      }
      body = buf.toByteArray();
    } else if (length >= 0) {
      if (length > MAX_RESPONSE_BYTES) {
        throw new IOException("the plugin's response is larger than " + MAX_RESPONSE_BYTES);
      }
      body = in.readNBytes((int) length);
      if (body.length < length) {
        throw new IOException("the plugin's response ended after " + body.length + " of "
            + length + " bytes");
      }
    } else {
      body = in.readNBytes(MAX_RESPONSE_BYTES);
    }
    return new Response(status, new String(body, StandardCharsets.UTF_8));
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    while (true) {
      int c = in.read();
      if (c < 0) {
        if (sb.length() == 0) {
          throw new IOException("the plugin closed the connection without an answer");
        }
        return sb.toString();
      }
      if (c == '\n') {
        int end = sb.length();
        if (end > 0 && sb.charAt(end - 1) == '\r') {
          sb.setLength(end - 1);
        }
        return sb.toString();
      }
      if (sb.length() > 16 * 1024) {
        throw new IOException("the plugin sent a header line longer than 16 KiB");
      }
      sb.append((char) c);
    }
  }

  /** Closes the channel when the call outlives its timeout. */
  private final class Deadline {
    private final java.util.concurrent.ScheduledFuture<?> task;

    Deadline(SocketChannel channel, Duration timeout) {
      task = timer().schedule(() -> {
        try {
          channel.close();
        } catch (IOException e) {
          // Already closed.
        }
      }, timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    void cancel() {
      task.cancel(false);
    }
  }

  private java.util.concurrent.ScheduledThreadPoolExecutor timer() {
    synchronized (timerLock) {
      if (timer == null) {
        timer = new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> {
          Thread t = new Thread(r, "plugin-client-deadline");
          t.setDaemon(true);
          return t;
        });
        timer.setRemoveOnCancelPolicy(true);
      }
      return timer;
    }
  }
}
