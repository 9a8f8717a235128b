package io.stowage.cli.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stowage.Stowage;
import io.stowage.cli.Outputs;
import io.stowage.cli.ReliabilityTries;
import io.stowage.cli.TestHost;
import io.stowage.cli.dvdcli.DvdCli;
import io.stowage.driver.fake.SimulatedHost;
import io.stowage.spi.MountEntry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * A campaign of hostile plugin requests and dvdcli command lines against the real plugin
 * server on a real unix socket, serving Stowage on the fake driver and a {@link SimulatedHost}
 * in a fresh root for every try. Requests go out as raw bytes: Docker's own (empty Host, its
 * Accept header, empty bodies) and every kind of wrong one (methods, paths with queries,
 * headers, chunked and oversized bodies, malformed and mistyped JSON, duplicate keys, deep
 * nesting, bytes that are not UTF-8). Every request gets an answer with a 2xx or 4xx status,
 * never 5xx (one that declares a body it never sends is cut off unanswered at the request
 * timeout); every answer is the plugin's, a JSON object with an {@code Err} string, empty
 * exactly when the call succeeded (no body in answer to {@code HEAD}); and a call that
 * succeeded did what it says (a created volume exists, a mount point is a directory under the
 * mount root, a removed volume is gone). dvdcli exits 0, 1 or 2 and says why when it fails.
 * No answer, output or log line shows a stack trace or a secret (an {@code encryptionkey}
 * option, a driver's secret setting); nothing is created outside the root; nothing is mounted
 * that no call asked for.
 *
 * <p>A few hundred tries in every build; the {@code reliability} profile runs 10,000
 * ({@link ReliabilityTries}).
 */
@AddLifecycleHook(ReliabilityTries.class)
class HostilePluginProperties {
  private static final String KEY_SECRET = "@KEY@";
  private static final Path CWD = Path.of("").toAbsolutePath();
  private static final Duration BOUND = Duration.ofSeconds(60);
  private static final Set<Integer> STATUSES = Set.of(200, 400, 404, 405, 408, 413, 414, 431);
  /** What a try's root may hold: the configured places and the host. */
  private static final Set<String> ALLOWED = Set.of("fake", "state", "mnt", "plugins", "host");

  private static Path base;
  private final ObjectMapper json = new ObjectMapper();

  @BeforeContainer
  static void createBase() throws IOException {
    base = Files.createTempDirectory("stowage-hostile-plugin");
  }

  @AfterContainer
  static void deleteBase() throws IOException {
    TestHost.deleteTree(base);
  }

  /**
   * One raw request.
   *
   * @param method the method
   * @param path the request target
   * @param headers header lines without Content-Length or Transfer-Encoding
   * @param body the body
   * @param framing how the body is framed: {@code length}, {@code chunked}, {@code none}
   */
  record Request(String method, String path, List<String> headers, byte[] body,
      String framing) {
    byte[] bytes() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
      headers.forEach(h -> head.append(h).append("\r\n"));
      switch (framing) {
        case "length" -> head.append("Content-Length: ").append(body.length).append("\r\n");
        case "chunked" -> head.append("Transfer-Encoding: chunked\r\n");
        default -> { }
      }
      head.append("\r\n");
      out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
      if (framing.equals("chunked")) {
        for (int at = 0; at < body.length; at += 1000) {
          int n = Math.min(1000, body.length - at);
          out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
          out.write(body, at, n);
          out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      } else if (framing.equals("length")) {
        out.writeBytes(body);
      }
      return out.toByteArray();
    }

    /** Whether it declares a body it does not send. */
    boolean incomplete() {
      return framing.equals("none") && headers.stream().anyMatch(h -> h.regionMatches(true, 0,
          "Content-Length:", 0, 15) && !h.substring(15).strip().equals("0"));
    }

    @Override
    public String toString() {
      String text = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
      return method + " " + abbreviate(path) + " " + headers.stream().map(h -> abbreviate(h))
          .toList() + " " + framing + " (" + body.length + " bytes) " + text;
    }
  }

  /** One try's place: a root, Stowage on it, and the plugin server on a socket in it. */
  private static final class World implements AutoCloseable {
    final Path root;
    final String secret = "Sxsetting" + Long.toHexString(Double.doubleToLongBits(Math.random()));
    final String keySecret = "Sxkey" + Long.toHexString(Double.doubleToLongBits(Math.random()));
    final Stowage stowage;
    final PluginServer server;
    final Set<Path> asked = new HashSet<>();
    final List<String> cwd;

    World() throws IOException {
      root = Files.createTempDirectory(base, "try");
      cwd = TestHost.names(CWD);
      stowage = Stowage.builder().setting("stowage.storageDrivers", "fake")
          .setting("fake.root", root.resolve("fake").toString())
          .setting("fake.devices", "simulated")
          .setting("stowage.state.directory", root.resolve("state").toString())
          .setting("stowage.volume.mount.root", root.resolve("mnt").toString())
          .setting("ebs.secretKey", secret)
          .host(new SimulatedHost(root.resolve("host"))).build();
      server = PluginServer.builder(stowage.volumes()).socket(root.resolve("plugins/rexray.sock"))
          .driverOptionKeys(stowage.registry().provider("fake").volumeOptionKeys())
          .requestTimeout(Duration.ofSeconds(2)).idleTimeout(Duration.ofSeconds(2)).build();
      server.start();
    }

    List<String> secrets() {
      return List.of(secret, keySecret);
    }

    String fill(String text) {
      return text.replace(KEY_SECRET, keySecret);
    }

    /** Nothing mounted that no call asked for, nothing made outside the root. */
    void check() throws IOException {
      for (MountEntry m : new SimulatedHost(root.resolve("host")).mounts()) {
        assertTrue(m.mountPoint().startsWith(root.resolve("mnt")), () -> "mounted elsewhere: "
            + m);
        assertTrue(asked.stream().anyMatch(p -> p.startsWith(m.mountPoint())),
            () -> "mounted though no call asked: " + m + " (asked " + asked + ")");
      }
      assertEquals(List.of(), TestHost.mountsUnder(root), "no real mount on a simulated host");
      List<String> made = TestHost.names(root);
      assertTrue(ALLOWED.containsAll(made), () -> "created in the root: " + made);
      assertEquals(cwd, TestHost.names(CWD), "created in the working directory");
      assertEquals(List.of(root.getFileName().toString()), TestHost.names(base),
          "created beside the root");
    }

    @Override
    public void close() throws IOException {
      try {
        server.close();
        stowage.close();
      } finally {
        TestHost.deleteTree(root);
      }
    }
  }

  // ---- properties ----

  @Property(tries = 200)
  void anyRequestGetsATypedAnswerAndDoesWhatItSays(@ForAll("sessions") List<Request> requests)
      throws IOException {
    try (World world = new World()) {
      String log = Outputs.standardErrorOf(() -> {
        for (Request request : requests) {
          exchange(world, request);
        }
      });
      Outputs.assertClean("the server's log", log, world.secrets());
      world.check();
    }
  }

  @Property(tries = 200)
  void anyDvdcliCommandLineEndsInATypedResult(
      @ForAll("dvdcliSessions") List<List<String>> commands,
      @ForAll("pluginDirs") String pluginDirs) throws IOException {
    try (World world = new World()) {
      String log = Outputs.standardErrorOf(() -> {
        for (List<String> command : commands) {
          dvdcli(world, command, pluginDirs);
        }
      });
      Outputs.assertClean("the server's log", log, world.secrets());
      world.check();
    }
  }

  // ---- running and checking ----

  /** Sends one request on a connection of its own and checks the answer. */
  private void exchange(World world, Request request) {
    byte[] bytes = world.fill(new String(request.bytes(), StandardCharsets.ISO_8859_1))
        .getBytes(StandardCharsets.ISO_8859_1);
    String reply = assertTimeoutPreemptively(BOUND, () -> {
      try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
        ch.connect(UnixDomainSocketAddress.of(world.server.socket()));
        ByteBuffer out = ByteBuffer.wrap(bytes);
        try {
          while (out.hasRemaining()) {
            ch.write(out);
          }
        } catch (IOException e) {
          // The server may answer and close before it has read an oversized request.
        }
        return readResponse(ch, request.method().equals("HEAD"));
      }
    }, () -> "no answer to " + request);
    String what = request.toString();
    Statistics.label("status").collect(status(reply));
    if (reply.isEmpty()) {
      // A request that never arrives whole is cut off at the request timeout, unanswered.
      assertTrue(request.incomplete(), () -> "the connection closed without an answer to "
          + what);
      return;
    }
    int status = status(reply);
    assertTrue(STATUSES.contains(status), () -> "status " + status + " for " + what + ":\n"
        + reply);
    Outputs.assertClean(what, reply, world.secrets());
    assertTrue(reply.toLowerCase(Locale.ROOT).contains("content-type: "
        + PluginProtocol.CONTENT_TYPE), () -> "not the plugin's answer to " + what + ":\n"
        + reply);
    String body = reply.substring(reply.indexOf("\r\n\r\n") + 4);
    if (request.method().equals("HEAD")) {
      // Unless the server closes the connection with it, where a client sees where it ends.
      assertTrue(body.isEmpty() || reply.toLowerCase(Locale.ROOT).contains("connection: close"),
          () -> "an answer to HEAD has a body: " + what + ":\n" + reply);
      return;
    }
    JsonNode node;
    try {
      node = json.readTree(body);
    } catch (IOException e) {
      throw new AssertionError("not JSON in answer to " + what + ":\n" + reply, e);
    }
    assertTrue(node.isObject(), () -> reply);
    if (!node.has("Err") && status == 200) {
      assertTrue(request.path().equals("/Plugin.Activate")
          || request.path().equals("/VolumeDriver.Capabilities"), () -> reply);
      return;
    }
    assertTrue(node.get("Err").isTextual(), () -> reply);
    String err = node.get("Err").textValue();
    if (status != 200) {
      assertFalse(err.isEmpty(), () -> "an error without a reason: " + reply);
    }
    if (status == 200 && err.isEmpty()) {
      Statistics.label("succeeded").collect(request.path());
      succeeded(world, request, node);
    }
  }

  /** What a call that succeeded must have done. */
  private void succeeded(World world, Request request, JsonNode reply) {
    switch (request.path()) {
      case "/VolumeDriver.Create" -> assertTrue(world.stowage.volumes()
          .find(name(world, request)).isPresent(), () -> "created, yet not found: " + request);
      case "/VolumeDriver.Remove" -> assertTrue(world.stowage.volumes()
          .find(name(world, request)).isEmpty(), () -> "removed, yet found: " + request);
      case "/VolumeDriver.Mount" -> {
        Path mountpoint = Path.of(reply.get("Mountpoint").textValue());
        assertTrue(mountpoint.startsWith(world.root.resolve("mnt"))
            && Files.isDirectory(mountpoint), () -> "mounted at " + mountpoint + ": " + request);
        world.asked.add(mountpoint);
      }
      case "/VolumeDriver.Get" -> assertFalse(reply.at("/Volume/Name").asText().isEmpty(),
          () -> reply.toString());
      default -> { }
    }
  }

  /** The Name of a request that a call accepted, so one it could parse. */
  private String name(World world, Request request) {
    try {
      return json.readTree(world.fill(new String(request.body(), StandardCharsets.UTF_8)))
          .get("Name").textValue();
    } catch (IOException e) {
      throw new AssertionError("a call succeeded on a body that is not JSON: " + request, e);
    }
  }

  private void dvdcli(World world, List<String> command, String pluginDirs) {
    List<String> args = command.stream().map(world::fill).toList();
    String dirs = pluginDirs.replace("@PLUGINS@", world.root.resolve("plugins").toString());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = assertTimeoutPreemptively(BOUND, () -> DvdCli.run(args.toArray(String[]::new),
        new PrintWriter(out), new PrintWriter(err), Map.of("DVDCLI_PLUGIN_DIRS", dirs)));
    String what = "dvdcli " + command + " with DVDCLI_PLUGIN_DIRS=" + pluginDirs;
    String output = "exit " + code + "\nstdout:\n" + out + "\nstderr:\n" + err;
    Statistics.label("exit").collect(code);
    assertTrue(code >= 0 && code <= 2, () -> what + ": " + output);
    if (code != 0) {
      assertFalse(err.toString().isBlank(), () -> what + " failed silently");
    }
    Outputs.assertClean(what, output, world.secrets());
    if (code == 0 && command.contains("mount")) {
      String printed = out.toString().strip();
      if (!printed.isEmpty() && !printed.startsWith("usage") && !printed.startsWith("dvdcli")) {
        try {
          Path mountpoint = Path.of(printed);
          assertTrue(Files.isDirectory(mountpoint), () -> what + " printed " + printed);
          world.asked.add(mountpoint);
        } catch (InvalidPathException e) {
          throw new AssertionError(what + " printed " + printed, e);
        }
      }
    }
  }

  /**
   * Reads one response: its head and as many body bytes as Content-Length says, or to EOF;
   * only the head of an answer to HEAD.
   */
  private static String readResponse(SocketChannel ch, boolean head) throws IOException {
    ByteArrayOutputStream in = new ByteArrayOutputStream();
    ByteBuffer buf = ByteBuffer.allocate(8192);
    int end = -1;
    long length = Long.MAX_VALUE;
    while (end < 0 || (!head && in.size() < end + length)) {
      buf.clear();
      int n;
      try {
        n = ch.read(buf);
      } catch (IOException e) {
        break; // reset by a server that closed with unread input
      }
      if (n < 0) {
        break;
      }
      in.write(buf.array(), 0, buf.position());
      String text = in.toString(StandardCharsets.ISO_8859_1);
      if (end < 0 && text.contains("\r\n\r\n")) {
        end = text.indexOf("\r\n\r\n") + 4;
        java.util.regex.Matcher m = java.util.regex.Pattern
            .compile("(?im)^Content-Length: *(\\d+)").matcher(text.substring(0, end));
        length = m.find() ? Long.parseLong(m.group(1)) : Long.MAX_VALUE;
      }
    }
    return in.toString(StandardCharsets.UTF_8);
  }

  private static int status(String reply) {
    if (!reply.startsWith("HTTP/1.1 ") || reply.length() < 12) {
      return -1;
    }
    return Integer.parseInt(reply.substring(9, 12));
  }

  private static String abbreviate(String text) {
    return text.length() > 120 ? text.substring(0, 120) + "...(" + text.length() + ")" : text;
  }



  // ---- requests ----

  @Provide
  Arbitrary<List<Request>> sessions() {
    return request().list().ofMinSize(1).ofMaxSize(6);
  }

  private Arbitrary<Request> request() {
    Arbitrary<String> path = Arbitraries.frequencyOf(
        Tuple.of(20, Arbitraries.of("/VolumeDriver.Create", "/VolumeDriver.Mount",
            "/VolumeDriver.Unmount", "/VolumeDriver.Remove", "/VolumeDriver.Get",
            "/VolumeDriver.Path", "/VolumeDriver.List", "/VolumeDriver.Capabilities",
            "/Plugin.Activate")),
        Tuple.of(2, Arbitraries.of("/VolumeDriver.Mount?x=1", "/VolumeDriver.Mount;x=1",
            "/VolumeDriver.Mount#f", "/VolumeDriver.mount", "/VolumeDriver%2EMount",
            "/VolumeDriver.Mount/", "//VolumeDriver.Mount", "/../VolumeDriver.Mount",
            "/VolumeDriver.Mount/../Plugin.Activate", "*", "/", "/" + "p".repeat(9000),
            "http://localhost/VolumeDriver.List", "/VolumeDriver.Frob", "/Plugin.Activate?",
            "/%00")));
    Arbitrary<String> method = Arbitraries.frequencyOf(Tuple.of(20, Arbitraries.just("POST")),
        Tuple.of(1, Arbitraries.of("GET", "PUT", "DELETE", "HEAD", "OPTIONS", "post", "BREW")));
    Arbitrary<List<String>> headers = Arbitraries.frequencyOf(
        Tuple.of(12, Arbitraries.just(List.of("Host: ", "User-Agent: Go-http-client/1.1",
            "Accept: application/vnd.docker.plugins.v1.2+json"))),
        Tuple.of(3, Arbitraries.of(List.of("Host: localhost"), List.of("Host: "),
            List.of("Host: ", "Content-Type: application/json"),
            List.of("Host: ", "Connection: close"), List.of("Host: ", "Expect: 100-continue"))),
        Tuple.of(1, Arbitraries.of(List.of(), List.of("Host: ", "Host: x"), List.of("Host: :80"),
            List.of("Host: ", "X-Big: " + "b".repeat(9000)), List.of("Host: ", "Bad Header"),
            List.of("Host: ", "Content-Length: 5"), List.of("Host: ", "X: \u0001"))));
    Arbitrary<String> framing = Arbitraries.frequencyOf(Tuple.of(10, Arbitraries.just("length")),
        Tuple.of(2, Arbitraries.just("chunked")), Tuple.of(1, Arbitraries.just("none")));
    return Combinators.combine(method, path, headers, body(), framing)
        .as((m, p, h, b, f) -> new Request(m, p, h, f.equals("none") ? new byte[0] : b, f));
  }

  private Arbitrary<byte[]> body() {
    return Arbitraries.frequencyOf(
        Tuple.of(16, jsonBody().map(HostilePluginProperties::utf8)),
        Tuple.of(4, jsonBody().flatMap(HostilePluginProperties::broken)
            .map(HostilePluginProperties::utf8)),
        Tuple.of(2, Arbitraries.of("", "{}", "null", "[]", "\"x\"", "1", "{}{}", " ", "\n",
            "{\"Name\":\"v1\"}\n\n").map(HostilePluginProperties::utf8)),
        Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(300)),
        Tuple.of(1, Arbitraries.integers().between(1, 3000)
            .map(n -> utf8("{\"Name\":" + "[".repeat(n) + "]".repeat(n) + "}"))),
        Tuple.of(1, Arbitraries.integers().between(60_000, 70_000)
            .map(n -> utf8("{\"Name\":\"v1\",\"Opts\":{\"x\":\"" + "a".repeat(n) + "\"}}"))),
        Tuple.of(1, Arbitraries.of(new byte[] {'{', '"', 'N', 'a', 'm', 'e', '"', ':', '"',
            (byte) 0xC3, '"', '}'}, new byte[] {(byte) 0xFE, (byte) 0xFF, '{', '}'},
            new byte[] {'{', 0, '}'})));
  }

  /** A request body as Docker would send it, mostly, with hostile values. */
  private Arbitrary<String> jsonBody() {
    Arbitrary<String> nameValue = Arbitraries.frequencyOf(
        Tuple.of(12, Arbitraries.of("v1", "v2").map(HostilePluginProperties::quoted)),
        Tuple.of(3, Arbitraries.of("name:v1", "id:fake-0000000000000000", "V1", "", " ", "..",
            "a/b", "../x", "x".repeat(300), "ü", "\u0000", "v\n1", "fake-0123456789abcdef",
            "name:", "id:", "\u202Ev1", "-v").map(HostilePluginProperties::quoted)),
        Tuple.of(1, Arbitraries.strings().ofMaxLength(12).map(HostilePluginProperties::quoted)),
        Tuple.of(2, Arbitraries.of("5", "true", "null", "[]", "{}", "[\"v1\"]", "1e400",
            "-0")));
    Arbitrary<String> idValue = Arbitraries.frequencyOf(
        Tuple.of(8, Arbitraries.of("c1", "c2", "3237ac8b8f7f8a98")
            .map(HostilePluginProperties::quoted)),
        Tuple.of(2, Arbitraries.of("", " ", "x".repeat(2000), "\u0000", "a/b")
            .map(HostilePluginProperties::quoted)),
        Tuple.of(1, Arbitraries.of("7", "false", "null", "{}", "[\"c1\"]")));
    Arbitrary<String> optValue = Arbitraries.frequencyOf(
        Tuple.of(10, Arbitraries.of("size=1", "size=2", "iops=100", "volumetype=io1",
            "newfstype=ext4", "overwritefs=true", "encryptionkey=" + KEY_SECRET,
            "encrypted=true", "availabilityzone=z1").map(kv -> quoted(kv.substring(0,
            kv.indexOf('='))) + ":" + quoted(kv.substring(kv.indexOf('=') + 1)))),
        Tuple.of(3, Arbitraries.of("\"size\":\"0\"", "\"size\":\"-1\"", "\"size\":\"1e100\"",
            "\"size\":\"\"", "\"\":\"1\"", "\"sise\":\"1\"", "\"SIZE\":\"1\"", "\"size\":1",
            "\"encryptionkey\":5", "\"size\":true", "\"size\":null", "\"size\":{}",
            "\"size\":[\"1\"]", "\"newfstype\":\"../x\"", "\"overwritefs\":\"maybe\"",
            "\"encryptionkey\":\"\"", "\"iops\":\"x\"", "\"k" + "k".repeat(300) + "\":\"1\"")));
    Arbitrary<String> opts = Arbitraries.frequencyOf(
        Tuple.of(6, optValue.list().ofMaxSize(3).map(o -> "{" + String.join(",", o) + "}")),
        Tuple.of(1, Arbitraries.of("null", "[]", "\"size=1\"", "5", "{\"a\":{\"b\":\"c\"}}")));
    return Combinators.combine(nameValue.optional(), idValue.optional(), opts.optional(),
        Arbitraries.of("", "\"Extra\":1", "\"name\":\"v2\""), Arbitraries.of("", "\n"))
        .as((name, id, o, extra, end) -> {
          List<String> fields = new ArrayList<>();
          name.ifPresent(n -> fields.add("\"Name\":" + n));
          id.ifPresent(i -> fields.add("\"ID\":" + i));
          o.ifPresent(x -> fields.add("\"Opts\":" + x));
          if (!extra.isEmpty()) {
            fields.add(extra);
          }
          return "{" + String.join(",", fields) + "}" + end;
        });
  }

  /** A body broken as a careless or hostile client breaks it. */
  private static Arbitrary<String> broken(String text) {
    return Arbitraries.integers().between(0, Math.max(0, text.length() - 1)).flatMap(at ->
        Arbitraries.of(text.substring(0, at), text + "x", text + text,
            text.replaceFirst("\\{", "{\"Name\":\"v2\","), text.replace("\"", "'"),
            text.substring(0, at) + "\u0000" + text.substring(at),
            text.replace(":", ":\n"), "  " + text, text.replace("}", "}}")));
  }

  // ---- dvdcli ----

  @Provide
  Arbitrary<List<List<String>>> dvdcliSessions() {
    return dvdcliLine().list().ofMinSize(1).ofMaxSize(4);
  }

  @Provide
  Arbitrary<String> pluginDirs() {
    return Arbitraries.frequencyOf(Tuple.of(12, Arbitraries.just("@PLUGINS@")),
        Tuple.of(1, Arbitraries.of("", "rel", "/nonexistent-stowage:@PLUGINS@", ":@PLUGINS@:",
            "@PLUGINS@/..", "\u0000", "@PLUGINS@:rel")));
  }

  private Arbitrary<List<String>> dvdcliLine() {
    Arbitrary<String> command = Arbitraries.frequencyOf(
        Tuple.of(10, Arbitraries.of("mount", "unmount", "create", "remove", "path", "get",
            "list")),
        Tuple.of(1, Arbitraries.of("version", "frob", "", "MOUNT", "help")));
    Arbitrary<String> name = Arbitraries.frequencyOf(
        Tuple.of(10, Arbitraries.of("v1", "v2", "test123456789")),
        Tuple.of(2, Arbitraries.of("", " ", "name:v1", "id:fake-0000000000000000", "..", "a/b",
            "x".repeat(300), "\u0000", "ü", "-", "--volumename=v1")),
        Tuple.of(1, Arbitraries.strings().ofMaxLength(10)));
    Arbitrary<String> opt = Arbitraries.frequencyOf(
        Tuple.of(8, Arbitraries.of("size=1", "iops=150", "volumetype=io1", "newfstype=ext4",
            "overwritefs=true", "encryptionkey=" + KEY_SECRET, "size=1,iops=150")),
        Tuple.of(2, Arbitraries.of("novalue", "=1", "size=", "size=-1", "sise=1", ",", "a=b=c",
            "encryptionkey=" + KEY_SECRET + ",bogus")));
    Arbitrary<List<String>> flag = Arbitraries.frequencyOf(
        Tuple.of(8, name.map(n -> List.of("--volumename=" + n))),
        Tuple.of(2, name.map(n -> List.of("--volumeName", n))),
        Tuple.of(4, opt.map(o -> List.of("--volumeopts=" + o))),
        Tuple.of(2, Arbitraries.of("rexray", "REXRAY", "absent", "../x", "", "a b")
            .map(d -> List.of("--volumedriver=" + d))),
        Tuple.of(2, Arbitraries.of(List.of("--explicitcreate"), List.of("--explicitCreate=true"),
            List.of("--explicitcreate=false"), List.of("--explicitcreate=maybe"))),
        Tuple.of(1, Arbitraries.of(List.of("--bogus"), List.of("-h"), List.of("-V"),
            List.of("--volumename"), List.of("--"), List.of("-"), List.of("extra"))));
    return Combinators.combine(command, flag.list().ofMaxSize(3), Arbitraries.integers()
        .between(0, 3)).as((c, flags, where) -> {
          List<String> line = new ArrayList<>();
          List<String> flat = flags.stream().flatMap(List::stream).toList();
          if (where == 0) {
            line.addAll(flat);
            line.add(c);
          } else {
            line.add(c);
            line.addAll(flat);
          }
          return line;
        });
  }

  private static String quoted(String text) {
    try {
      return new ObjectMapper().writeValueAsString(text);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
