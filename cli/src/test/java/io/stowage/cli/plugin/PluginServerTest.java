package io.stowage.cli.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.exception.ConfigurationException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.io.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginServerTest {
  private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^Content-Length: *(\\d+)");

  @TempDir
  Path dir;
  private InMemoryVolumeService volumes;
  private PluginServer server;
  private HttpClient client;

  @BeforeEach
  void start() throws Exception {
    volumes = new InMemoryVolumeService(Path.of("/mnt"));
    server = PluginServer.builder(volumes).socket(dir.resolve("p.sock"))
        .idleTimeout(Duration.ofSeconds(2)).build();
    server.start();
    client = new HttpClient();
    client.start();
  }

  @AfterEach
  void stop() throws Exception {
    client.stop();
    server.close();
  }

  private ContentResponse post(String path, String body) throws Exception {
    return client.newRequest("http://localhost" + path).method("POST")
        .transport(new Transport.TCPUnix(server.socket()))
        .body(new StringRequestContent(PluginProtocol.CONTENT_TYPE, body))
        .timeout(10, TimeUnit.SECONDS).send();
  }

  @Test
  void servesTheProtocolWithItsMediaTypeOnA0660Socket() throws Exception {
    ContentResponse r = post("/Plugin.Activate", "");
    assertEquals(200, r.getStatus());
    assertEquals("{\"Implements\":[\"VolumeDriver\"]}", r.getContentAsString());
    assertEquals(PluginProtocol.CONTENT_TYPE, r.getHeaders().get("Content-Type"));
    assertEquals("rw-rw----", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(server.socket())));
    assertEquals("{\"Mountpoint\":\"/mnt/v/data\",\"Err\":\"\"}",
        post("/VolumeDriver.Mount", "{\"Name\":\"v\",\"ID\":\"x\"}").getContentAsString());
  }

  @Test
  void rejectsOtherMethodsAndUnknownPaths() throws Exception {
    ContentResponse get = client.newRequest("http://localhost/VolumeDriver.List")
        .transport(new Transport.TCPUnix(server.socket())).send();
    assertEquals(405, get.getStatus());
    assertTrue(get.getContentAsString().contains("POST"));
    assertEquals(404, post("/nope", "{}").getStatus());
    assertTrue(volumes.calls().isEmpty());
  }

  @Test
  void oversizedBodyIs413AndChangesNothing() throws Exception {
    String big = "{\"Name\":\"v\",\"Opts\":{\"x\":\"" + "a".repeat(70_000) + "\"}}";
    ContentResponse r = post("/VolumeDriver.Create", big);
    assertEquals(413, r.getStatus());
    assertTrue(r.getContentAsString().contains("larger than 65536"));
    assertTrue(volumes.calls().isEmpty());
  }

  @Test
  void oversizedChunkedBodyIs413() throws Exception {
    try (SocketChannel ch = connect()) {
      String head = "POST /VolumeDriver.Create HTTP/1.1\r\nHost: x\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n";
      ch.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
      String chunk = "a".repeat(8192);
      for (int i = 0; i < 10; i++) {
        ch.write(ByteBuffer.wrap(("2000\r\n" + chunk + "\r\n").getBytes(StandardCharsets.US_ASCII)));
      }
      ch.write(ByteBuffer.wrap("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
      String reply = readAll(ch);
      assertTrue(reply.startsWith("HTTP/1.1 413"), reply);
    }
    assertTrue(volumes.calls().isEmpty());
  }

  /** Docker 20.10's request head, byte for byte: an empty Host, as on a unix socket. */
  private static String docker(String path, String body) {
    return "POST " + path + " HTTP/1.1\r\nHost: \r\nUser-Agent: Go-http-client/1.1\r\n"
        + "Content-Length: " + body.length() + "\r\n"
        + "Accept: application/vnd.docker.plugins.v1.2+json\r\n\r\n" + body;
  }

  @Test
  void acceptsDockersRequestsWithTheirEmptyHostOnOneConnection() throws Exception {
    try (SocketChannel ch = connect()) {
      String activate = exchange(ch, docker("/Plugin.Activate", ""));
      assertTrue(activate.startsWith("HTTP/1.1 200 "), activate);
      assertTrue(activate.endsWith("\r\n\r\n{\"Implements\":[\"VolumeDriver\"]}"), activate);
      String capabilities = exchange(ch, docker("/VolumeDriver.Capabilities", "{}\n"));
      assertTrue(capabilities.endsWith("{\"Capabilities\":{\"Scope\":\"global\"}}"),
          capabilities);
      String create = exchange(ch, docker("/VolumeDriver.Create",
          "{\"Name\":\"v\",\"Opts\":{\"size\":\"1\"}}\n"));
      assertTrue(create.endsWith("{\"Err\":\"\"}"), create);
      String get = exchange(ch, docker("/VolumeDriver.Get", "{\"Name\":\"v\"}\n"));
      assertTrue(get.contains("\"CreatedAt\":\"2026-01-02T03:04:05Z\""), get);
    }
    assertEquals(List.of("create v {size=1GiB}"), volumes.calls());
  }

  @Test
  void refusesWhatDockerNeverSends() throws Exception {
    String noHost = "POST /VolumeDriver.Create HTTP/1.1\r\nContent-Length: 12\r\n\r\n"
        + "{\"Name\":\"v\"}";
    String twoHosts = "POST /VolumeDriver.Create HTTP/1.1\r\nHost: \r\nHost: x\r\n"
        + "Content-Length: 12\r\n\r\n{\"Name\":\"v\"}";
    String portOnly = "POST /VolumeDriver.Create HTTP/1.1\r\nHost: :80\r\n"
        + "Content-Length: 12\r\n\r\n{\"Name\":\"v\"}";
    String tooLarge = docker("/VolumeDriver.Create",
        "{\"Name\":\"v\",\"Opts\":{\"x\":\"" + "a".repeat(70_000) + "\"}}");
    String get = "GET /VolumeDriver.List HTTP/1.1\r\nHost: \r\n\r\n";
    for (String request : List.of(noHost, twoHosts, portOnly)) {
      String reply = send(request);
      assertTrue(reply.startsWith("HTTP/1.1 400 "), request);
      assertTrue(reply.contains("Content-Type: " + PluginProtocol.CONTENT_TYPE + "\r\n")
          && reply.contains("Connection: close\r\n") && reply.contains("{\"Err\":\"HTTP 400: "),
          reply);
    }
    String put = send(noHost.replace("POST", "PUT"));
    assertTrue(put.startsWith("HTTP/1.1 400 ") && put.contains("{\"Err\":\"HTTP 400: "), put);
    try (SocketChannel ch = connect()) {
      ch.write(ByteBuffer.wrap(noHost.replace("POST", "HEAD")
          .getBytes(StandardCharsets.US_ASCII)));
      String reply = readAll(ch);
      assertTrue(reply.startsWith("HTTP/1.1 400 ") && reply.endsWith("\r\n\r\n"),
          "an answer to HEAD has no body: " + reply);
    }
    assertTrue(send(tooLarge).startsWith("HTTP/1.1 413 "));
    assertTrue(send(get).startsWith("HTTP/1.1 405 "));
    assertTrue(volumes.calls().isEmpty(), volumes.calls().toString());
  }

  private String send(String request) throws IOException {
    try (SocketChannel ch = connect()) {
      return exchange(ch, request);
    }
  }

  /** Writes one request and reads one response: its head and Content-Length bytes. */
  private static String exchange(SocketChannel ch, String request) throws IOException {
    ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8));
    while (out.hasRemaining()) {
      ch.write(out);
    }
    ByteArrayOutputStream in = new ByteArrayOutputStream();
    ByteBuffer buf = ByteBuffer.allocate(8192);
    int end = -1;
    long length = 0;
    while (end < 0 || in.size() < end + length) {
      buf.clear();
      if (ch.read(buf) < 0) {
        break;
      }
      in.write(buf.array(), 0, buf.position());
      String text = in.toString(StandardCharsets.ISO_8859_1);
      if (end < 0 && text.contains("\r\n\r\n")) {
        end = text.indexOf("\r\n\r\n") + 4;
        Matcher m = CONTENT_LENGTH.matcher(text.substring(0, end));
        length = m.find() ? Long.parseLong(m.group(1)) : 0;
      }
    }
    return in.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aQueryStringOrPathParameterIsRefusedAndChangesNothing() throws Exception {
    for (String path : List.of("/VolumeDriver.Mount?x=1", "/VolumeDriver.Mount;x=1",
        "/VolumeDriver.Mount?")) {
      String reply = send(docker(path, "{\"Name\":\"v\",\"ID\":\"c\"}"));
      assertTrue(reply.startsWith("HTTP/1.1 400 "), path + ": " + reply);
      assertTrue(reply.contains("\"Err\":\"the plugin protocol takes a bare path"), reply);
    }
    assertTrue(send(docker("/VolumeDriver%2EMount", "{\"Name\":\"v\"}"))
        .startsWith("HTTP/1.1 404 "));
    assertTrue(volumes.calls().isEmpty(), volumes.calls().toString());
  }

  @Test
  void aHeadLargerThan8KiBIsRefused() throws Exception {
    String request = "POST /VolumeDriver.List HTTP/1.1\r\nHost: \r\nX-Pad: "
        + "a".repeat(PluginServer.MAX_REQUEST_HEAD_BYTES) + "\r\nContent-Length: 2\r\n\r\n{}";
    String refused = send(request);
    assertTrue(refused.startsWith("HTTP/1.1 431 ") && refused.contains("{\"Err\":\"HTTP 431: "),
        refused);
    String fits = "POST /VolumeDriver.List HTTP/1.1\r\nHost: \r\nX-Pad: " + "a".repeat(7000)
        + "\r\nContent-Length: 2\r\n\r\n{}";
    assertTrue(send(fits).startsWith("HTTP/1.1 200 "));
  }

  @Test
  void aClientTricklingItsHeadIsCutOffAtTheRequestTimeout() throws Exception {
    server.close();
    // The idle timeout alone would never fire: a line arrives every 100 ms.
    server = PluginServer.builder(volumes).socket(dir.resolve("p.sock"))
        .idleTimeout(Duration.ofSeconds(30)).requestTimeout(Duration.ofSeconds(1)).build();
    server.start();
    try (SocketChannel ch = connect()) {
      ch.write(ByteBuffer.wrap("POST /VolumeDriver.List HTTP/1.1\r\n"
          .getBytes(StandardCharsets.US_ASCII)));
      int sent = 0;
      boolean cutOff = false;
      while (!cutOff && sent < 300) { // 30 s of trickling at most
        Thread.sleep(100); // the trickle itself: no event to wait for
        try {
          ch.write(ByteBuffer.wrap(("X-Line-" + sent++ + ": x\r\n")
              .getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException e) {
          cutOff = true;
        }
      }
      assertTrue(cutOff, "the server still read after " + sent + " header lines");
      assertTrue(sent < 100, "cut off only after " + sent + " header lines");
    }
    // A request that arrives at once, on a connection idle for longer than the request
    // timeout, is served: the clock starts at its first byte.
    try (SocketChannel ch = connect()) {
      assertTrue(exchange(ch, docker("/VolumeDriver.List", "{}")).startsWith("HTTP/1.1 200 "));
      Thread.sleep(1500); // idle between requests, longer than the request timeout
      assertTrue(exchange(ch, docker("/VolumeDriver.List", "{}")).startsWith("HTTP/1.1 200 "));
    }
  }

  @Test
  void idleClientIsDisconnected() throws Exception {
    try (SocketChannel ch = connect()) {
      ch.write(ByteBuffer.wrap("POST /VolumeDriver.List HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{"
          .getBytes(StandardCharsets.US_ASCII)));
      long t0 = System.nanoTime();
      readAll(ch);
      long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertTrue(waited < 8000, "waited " + waited + " ms");
    }
  }

  @Test
  void aCallLongerThanTheIdleTimeoutCompletes() throws Exception {
    volumes.mountDelay(3500);
    ContentResponse r = post("/VolumeDriver.Mount", "{\"Name\":\"slow\",\"ID\":\"c\"}");
    assertEquals(200, r.getStatus(), r.getContentAsString());
    assertEquals("{\"Mountpoint\":\"/mnt/slow/data\",\"Err\":\"\"}", r.getContentAsString());
  }

  @Test
  void aLiveSocketIsNotTakenOverAndAStaleOneIsReplaced() throws Exception {
    PluginServer second = PluginServer.builder(volumes).socket(server.socket()).build();
    assertThrows(ConfigurationException.class, second::start);
    server.close();
    assertFalse(Files.exists(server.socket()));
    Path stale = dir.resolve("stale.sock");
    try (java.nio.channels.ServerSocketChannel ss =
        java.nio.channels.ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      ss.bind(UnixDomainSocketAddress.of(stale));
    }
    assertTrue(Files.exists(stale));
    try (PluginServer third = PluginServer.builder(volumes).socket(stale).build()) {
      third.start();
      assertEquals(200, client.newRequest("http://localhost/Plugin.Activate").method("POST")
          .transport(new Transport.TCPUnix(stale)).send().getStatus());
    }
  }

  private SocketChannel connect() throws IOException {
    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    ch.connect(UnixDomainSocketAddress.of(server.socket()));
    return ch;
  }

  private static String readAll(SocketChannel ch) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(65536);
    StringBuilder sb = new StringBuilder();
    while (ch.read(buf) >= 0) {
      buf.flip();
      sb.append(StandardCharsets.UTF_8.decode(buf));
      buf.clear();
    }
    return sb.toString();
  }
}
