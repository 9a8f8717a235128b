package io.stowage.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.config.ServiceConfig;
import io.stowage.config.StowageConfig;
import io.stowage.exception.ConfigurationException;
import io.stowage.spi.Default;
import io.stowage.spi.Secret;
import io.stowage.spi.StorageDriverProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;
import net.jqwik.api.arbitraries.StringArbitrary;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.yaml.snakeyaml.Yaml;

/**
 * A campaign of hostile configuration against the real loader: files (valid and broken YAML,
 * deep, aliased, huge, binary, not UTF-8), YAML text given in code, environments and settings
 * in code. For every input the loader returns a configuration that keeps the documented rules,
 * or throws a {@link ConfigurationException}; never another exception, a stack overflow or an
 * out-of-memory error, and always within {@link #BOUND}. Secrets of the configuration and URL
 * passwords appear in no message, warning or setting.
 *
 * <p>Each property runs a few hundred tries in every build; the {@code reliability} profile
 * runs 10,000 ({@link ReliabilityTries}).
 */
@AddLifecycleHook(ReliabilityTries.class)
class HostileConfigProperties {
  /** The longest a load may take: far above any real one, far below a hang. */
  private static final Duration BOUND = Duration.ofSeconds(30);

  /** A URL whose password is not masked (schemes are short, so that the search is linear). */
  private static final Pattern URL_PASSWORD = Pattern.compile(
      "[A-Za-z][A-Za-z0-9+.-]{0,31}://[^/?#\\s\"@]*:[^*/?#\\s\"@][^/?#\\s\"@]*@");

  private static Path dir;

  /** Settings shaped like the EBS driver's. */
  record Ebs(Optional<String> region, Optional<String> accessKey,
      @Secret Optional<String> secretKey, Optional<URI> endpoint, @Default("10") int maxRetries) {}

  /** Settings shaped like the VirtualBox driver's, with a required key. */
  record Vbox(@Default("http://10.0.2.2:18083") URI endpoint, String volumePath,
      @Secret Optional<String> password, Optional<Duration> timeout) {}

  /** Settings shaped like the fake driver's. */
  record Fake(Optional<Path> root, @Default("false") boolean stuckAttach) {}

  private static final List<DriverSchema> INSTALLED = List.of(
      new DriverSchema("ebs", List.of("ec2", "aws"), Ebs.class),
      new DriverSchema("virtualbox", List.of(), Vbox.class),
      new DriverSchema("fake", List.of(), Fake.class));

  /** Keys a hostile file is likely to touch: every known key, driver keys and near misses. */
  private static final List<String> KEYS = knownKeys();

  @BeforeContainer
  static void createDirectory() throws IOException {
    dir = Files.createTempDirectory("stowage-hostile-config");
  }

  @AfterContainer
  static void deleteDirectory() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  // ---- properties ----

  @Property(tries = 200)
  void anyFileLoadsOrIsRefusedWithAConfigurationError(@ForAll("files") Input file)
      throws IOException {
    Path path = Files.write(Files.createTempFile(dir, "config", ".yml"), file.bytes());
    try {
      check(ConfigLoader.builder().file(path).drivers(INSTALLED), Set.of());
    } finally {
      Files.delete(path);
    }
  }

  @Property(tries = 200)
  void secretsOfAFileNeverShow(@ForAll("secretFiles") SecretInput input) throws IOException {
    Path path = Files.write(Files.createTempFile(dir, "config", ".yml"), input.bytes());
    try {
      check(ConfigLoader.builder().file(path).drivers(INSTALLED)
          .environment(input.environment()), input.secrets());
    } finally {
      Files.delete(path);
    }
  }

  @Property(tries = 200)
  void anyEnvironmentLoadsOrIsRefused(@ForAll("environments") SecretInput input) {
    check(ConfigLoader.builder().drivers(INSTALLED).environment(input.environment()),
        input.secrets());
  }

  @Property(tries = 200)
  void anySettingsInCodeLoadOrAreRefused(@ForAll("codeSettings") List<Map.Entry<String,
      Object>> settings, @ForAll("secrets") String secret, @ForAll boolean selfHolding) {
    ConfigLoader.Builder builder = ConfigLoader.builder().drivers(INSTALLED)
        .setting("virtualbox.password", secret);
    settings.forEach(e -> builder.setting(e.getKey(), e.getValue()));
    if (selfHolding) {
      // Made here: the generator would hash a map that holds itself, forever.
      Map<String, Object> group = new HashMap<>();
      group.put("group", group);
      builder.setting("stowage", group);
    }
    check(builder, Set.of(secret));
  }

  @Property(tries = 200)
  void anyYamlTextLoadsOrIsRefused(@ForAll("texts") String text) {
    check(ConfigLoader.builder().yaml("text.yml", text).drivers(INSTALLED), Set.of());
  }

  /**
   * Loads within the bound; a configuration keeps the documented rules, anything else is a
   * {@link ConfigurationException}; no secret shows anywhere.
   */
  private static void check(ConfigLoader.Builder builder, Set<String> secrets) {
    StowageConfig config;
    try {
      config = assertTimeoutPreemptively(BOUND, builder::load);
      Statistics.collect("loaded");
    } catch (ConfigurationException e) {
      Statistics.collect("refused");
      assertFalse(e.problems().isEmpty(), e.getMessage());
      for (String secret : secrets) {
        assertFalse(e.getMessage().contains(secret), () -> "a secret in: " + e.getMessage());
      }
      assertFalse(URL_PASSWORD.matcher(e.getMessage()).find(),
          () -> "a URL password in: " + e.getMessage());
      return;
    }
    keepsTheRules(config);
    List<String> shown = new ArrayList<>(config.warnings());
    shown.add(config.toString());
    config.settings().forEach(s -> shown.add(s.toString()));
    config.driverSections().values().forEach(s -> shown.add(s.toString()));
    for (String text : shown) {
      for (String secret : secrets) {
        assertFalse(text.contains(secret), () -> "a secret in: " + text);
      }
      assertFalse(URL_PASSWORD.matcher(text).find(), () -> "a URL password in: " + text);
    }
  }

  /** The rules a loaded configuration keeps, whatever its sources held. */
  private static void keepsTheRules(StowageConfig config) {
    assertFalse(config.storageDrivers().isEmpty());
    config.storageDrivers().forEach(StorageDriverProvider::requireValidName);
    config.storageDrivers().forEach(d -> assertTrue(config.driverSection(d).isPresent(), d));
    for (Path p : List.of(config.volumeSettings().mountRoot(), config.stateDirectory())) {
      assertTrue(p.isAbsolute() && p.getParent() != null && p.equals(p.normalize()), p::toString);
    }
    assertFalse(config.stateDirectory().startsWith(config.volumeSettings().mountRoot()));
    Set<Path> sockets = new HashSet<>();
    for (ServiceConfig service : config.services()) {
      assertTrue(config.storageDrivers().contains(service.driver()), service::toString);
      assertEquals(service.driver(), service.driverSection().driverName());
      assertFalse(config.stateDirectory().startsWith(service.volumes().mountRoot()),
          service::toString);
      service.socket().ifPresent(s -> assertTrue(s.isAbsolute() && sockets.add(s),
          service::toString));
      assertEquals(Optional.of(service), config.service(service.name()));
    }
    assertEquals(config.defaultService().driver(), config.storageDrivers().get(0));
    String dataDir = config.volumeSettings().dataDir();
    assertFalse(dataDir.isEmpty() || dataDir.startsWith("/")
        || Arrays.asList(dataDir.split("/")).contains(".."), dataDir);
    int mode = config.volumeSettings().dataDirMode();
    assertTrue(mode >= 0 && mode <= 0777);
    assertTrue(config.volumeSettings().attachTimeout().compareTo(Duration.ZERO) > 0);
    assertTrue(config.volumeSettings().createDefaults().size().isPresent());
    assertTrue(config.volumeSettings().createDefaults().newFsType().isPresent());
    assertEquals(Schema.SETTINGS.stream().map(Setting::key).toList(),
        config.settings().subList(0, Schema.SETTINGS.size()).stream()
            .map(StowageConfig.EffectiveSetting::key).toList());
  }

  // ---- inputs ----

  /** A file's bytes, described briefly for reports. */
  record Input(String label, byte[] bytes) {
    @Override
    public String toString() {
      String head = new String(bytes, 0, Math.min(bytes.length, 300), StandardCharsets.UTF_8);
      return label + " (" + bytes.length + " bytes): " + head;
    }
  }

  /** A file and an environment that hold secrets under keys that name secrets. */
  record SecretInput(String label, byte[] bytes, Map<String, String> environment,
      Set<String> secrets) {
    @Override
    public String toString() {
      return new Input(label, bytes) + " env " + environment + " secrets " + secrets;
    }
  }

  @Provide
  Arbitrary<Input> files() {
    return Arbitraries.frequencyOf(
        Tuple.of(20, yamlTrees().map(t -> new Input("tree", utf8(t)))),
        Tuple.of(20, yamlTrees().flatMap(HostileConfigProperties::mutated)
            .map(t -> new Input("broken tree", utf8(t)))),
        Tuple.of(8, Arbitraries.bytes().array(byte[].class).ofMaxSize(2048)
            .map(b -> new Input("binary", b))),
        Tuple.of(8, Combinators.combine(yamlTrees(), Arbitraries.integers().between(1, 8),
            Arbitraries.longs()).as(HostileConfigProperties::notUtf8)),
        Tuple.of(8, Combinators.combine(Arbitraries.integers().between(1, 200),
            Arbitraries.of("flow", "block", "mixed")).as(HostileConfigProperties::deep)),
        Tuple.of(1, Arbitraries.integers().between(20_000, 60_000)
            .map(n -> new Input("deep flow", utf8("a: " + "[".repeat(n))))),
        Tuple.of(6, Combinators.combine(Arbitraries.integers().between(1, 12),
            Arbitraries.integers().between(1, 12)).as(HostileConfigProperties::laughs)),
        Tuple.of(3, Arbitraries.of("a: &a {b: *a}\n", "rexray: &r\n  modules: *r\n",
            "? &k {x: *k}\n: 1\n", "a: &a [*a]\n", "a: *undefined\n", "&a a: *a\n")
            .map(t -> new Input("cyclic", utf8(t)))),
        Tuple.of(2, Arbitraries.integers().between(60_000, 1_200_000)
            .map(n -> new Input("long line", utf8("stowage: {}\n#" + "x".repeat(n) + "\n")))),
        Tuple.of(4, Arbitraries.integers().between(1, 5000).map(HostileConfigProperties::manyKeys)),
        Tuple.of(3, Arbitraries.integers().between(200, 70_000)
            .map(n -> new Input("huge key", utf8("stowage:\n  ? " + "k".repeat(n) + "\n  : 1\n")))),
        Tuple.of(1, Arbitraries.integers().between(-64, 64)
            .map(HostileConfigProperties::nearLimit)),
        Tuple.of(6, yamlTrees().flatMap(t -> Arbitraries.of("\u0000", "\uFEFF", "\r\n", "\t",
            "\u0085", "\u2028", "\uD800", "\u001B[31m", "%YAML 1.1\n", "---\n", "...\n",
            "!!binary ", "!!java.lang.Object ", "<<: *x\n")
            .map(odd -> new Input("odd characters", utf8(odd + t + odd))))));
  }

  /**
   * Files whose secrets are reached through aliases and URLs from every kind of key: settings
   * of drivers in use and not in use, values of the typed model (which refuse them), unused
   * and unknown keys; then any tree, possibly broken. The environment holds secrets too.
   */
  @Provide
  Arbitrary<SecretInput> secretFiles() {
    Arbitrary<String> junk = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just("")),
        Tuple.of(1, yamlTrees()));
    return Combinators.combine(secrets(), secrets(), urlPasswords(), junk,
        Arbitraries.integers().between(0, 3), Arbitraries.longs(), Arbitraries.of(true, false))
        .as((secret, envSecret, urlPassword, tree, mutations, seed, refused) -> {
          String url = "http://admin:" + urlPassword + "@vbox.example:18083";
          String text = """
              ebs:
                secretKey: &s %s
                region: *s
                endpoint: %s
              virtualbox:
                password: *s
                volumePath: /v
                endpoint: %s
              rexray: {logLevel: *s}
              """.formatted(quoted(secret), quoted(url), quoted(url));
          if (refused) {
            text += """
                stowage:
                  volume: {mount: {root: *s}, create: {default: {iops: *s, type: *s}}}
                  storageDrivers: [*s]
                  bogus: *s
                docker: {fsType: %s}
                """.formatted(quoted(url));
          }
          String tail = mutate(tree, tree.isEmpty() ? 0 : mutations, new Random(seed));
          Map<String, String> environment = new HashMap<>(Map.of("EBS_SECRETKEY", envSecret,
              "VIRTUALBOX_VOLUMEPATH", url, "REXRAY_LOGLEVEL", url));
          if (refused) {
            environment.put("STOWAGE_STATE_DIRECTORY", envSecret);
          }
          return new SecretInput(refused ? "refused secrets" : "secrets", utf8(text + tail),
              environment, Set.copyOf(List.of(secret, envSecret, urlPassword)));
        });
  }

  @Provide
  Arbitrary<SecretInput> environments() {
    Arbitrary<String> names = Combinators.combine(
        Arbitraries.of("STOWAGE_", "REXRAY_", "LIBSTORAGE_", "DOCKER_", "LINUX_", "EBS_",
            "EC2_", "AWS_", "VIRTUALBOX_", "FAKE_", "", "stowage_", "Ebs_"),
        Arbitraries.oneOf(Arbitraries.of(KEYS).map(k -> Schema.envName(k)
            .replaceFirst("^[A-Z]+_", "")), words()))
        .as((prefix, rest) -> prefix + rest)
        .filter(n -> !n.isEmpty());
    Arbitrary<String> values = Arbitraries.oneOf(values(), Arbitraries.of("/caf\uFFFD",
        "\uFFFD", "true\uFFFD", "a\u0000b", "x".repeat(100_000)));
    Arbitrary<Map<String, String>> maps = Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.just(Map.of())),
        Tuple.of(3, Arbitraries.maps(names, values).ofMaxSize(20)));
    return Combinators.combine(maps, secrets(),
        urlPasswords(), Arbitraries.of(true, false)).as((env, secret, urlPassword, refused) -> {
          Map<String, String> all = new HashMap<>(env);
          String url = "https://u:" + urlPassword + "@h:1/p";
          all.put("VIRTUALBOX_PASSWORD", secret);
          all.put("VIRTUALBOX_ENDPOINT", url);
          all.put("REXRAY_VOLUME_MOUNT_PREEMPT", "yes");
          if (refused) {
            all.put("STOWAGE_VOLUME_MOUNT_ROOT", url);
            all.put("STOWAGE_STATE_DIRECTORY", secret);
          }
          return new SecretInput("environment", new byte[0], all, Set.of(secret, urlPassword));
        });
  }

  @Provide
  Arbitrary<List<Map.Entry<String, Object>>> codeSettings() {
    Arbitrary<String> keys = Arbitraries.oneOf(Arbitraries.of(KEYS), dottedWords(),
        Arbitraries.of("", ".", "a..b", " ", "fake._", "fake.-", "fake. root", "virtualbox.",
            "stowage"));
    Arbitrary<Object> leaves = Arbitraries.oneOf(values().map(v -> (Object) v),
        Arbitraries.integers().map(i -> (Object) i), Arbitraries.of(true, false),
        Arbitraries.longs().between(0, 100_000).map(n -> (Object) Duration.ofMillis(n)),
        Arbitraries.of((Object) Path.of("/srv/x"), Thread.State.NEW, List.of("a", "b"),
            List.of(), Map.of(), Arrays.asList("x", null)), Arbitraries.just(null));
    Arbitrary<Object> groups = Arbitraries.maps(words(), leaves).ofMaxSize(4)
        .map(m -> (Object) m);
    Arbitrary<Object> anyValue = Arbitraries.frequencyOf(Tuple.of(8, leaves),
        Tuple.of(3, groups));
    Arbitrary<List<Map.Entry<String, Object>>> lists = Combinators.combine(keys, anyValue)
        .as((key, value) -> (Map.Entry<String, Object>) new AbstractMap.SimpleEntry<>(key,
            value))
        .list().ofMaxSize(12);
    return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(List.of())), Tuple.of(3, lists));
  }

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(400),
        Arbitraries.strings().withChars(":{}[],&*!|>'\"#%@`-? \t\n\\").ofMaxLength(200),
        yamlTrees().flatMap(HostileConfigProperties::mutated));
  }

  /** Secrets: long enough to be looked for in messages, unlike any word of a message. */
  @Provide
  Arbitrary<String> secrets() {
    return Arbitraries.strings().withCharRange('!', '~').ofMinLength(6).ofMaxLength(40)
        .map(s -> "Zq" + s);
  }

  /** Passwords of URLs: characters a URL's user information may hold unencoded. */
  private static Arbitrary<String> urlPasswords() {
    return Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9')
        .withChars("-._~!$&'()*+,;=").ofMinLength(6).ofMaxLength(24).map(s -> "Pw" + s);
  }

  /** YAML trees of known and unknown keys with values of every kind. */
  private static Arbitrary<String> yamlTrees() {
    Arbitrary<String> keys = Arbitraries.oneOf(Arbitraries.of(KEYS), dottedWords());
    Arbitrary<Object> leaves = Arbitraries.oneOf(values().map(v -> (Object) v),
        Arbitraries.integers().map(i -> (Object) i), Arbitraries.of(true, false, 0.5),
        values().list().ofMaxSize(4).map(l -> (Object) l), Arbitraries.just(null),
        Arbitraries.just(Map.of()), Arbitraries.just(List.of(Map.of("a", 1))));
    return Arbitraries.maps(keys, leaves).ofMaxSize(25).map(HostileConfigProperties::dump);
  }

  @SuppressWarnings("unchecked")
  private static String dump(Map<String, Object> flat) {
    Map<String, Object> root = new LinkedHashMap<>();
    flat.forEach((dotted, value) -> {
      Map<String, Object> node = root;
      String[] segments = dotted.split("\\.", -1);
      for (int i = 0; i < segments.length - 1; i++) {
        Object child = node.get(segments[i]);
        if (!(child instanceof LinkedHashMap<?, ?>)) {
          child = new LinkedHashMap<String, Object>();
          node.put(segments[i], child);
        }
        node = (Map<String, Object>) child;
      }
      node.put(segments[segments.length - 1], value);
    });
    return new Yaml().dump(root);
  }

  private static Arbitrary<String> mutated(String text) {
    return Combinators.combine(Arbitraries.integers().between(1, 6), Arbitraries.longs())
        .as((count, seed) -> mutate(text, count, new Random(seed)));
  }

  /** Inserts, deletes or replaces characters YAML cares about. */
  private static String mutate(String text, int count, Random random) {
    String significant = ":{}[],&*!|>'\"#%@`-? \t\n\\~";
    StringBuilder out = new StringBuilder(text);
    for (int i = 0; i < count; i++) {
      int at = out.isEmpty() ? 0 : random.nextInt(out.length());
      char c = significant.charAt(random.nextInt(significant.length()));
      switch (random.nextInt(3)) {
        case 0 -> out.insert(at, c);
        case 1 -> {
          if (!out.isEmpty()) {
            out.deleteCharAt(at);
          }
        }
        default -> {
          if (!out.isEmpty()) {
            out.setCharAt(at, c);
          }
        }
      }
    }
    return out.toString();
  }

  private static Input notUtf8(String text, int count, long seed) {
    Random random = new Random(seed);
    byte[][] invalid = {{(byte) 0xff}, {(byte) 0xc3}, {(byte) 0xc0, (byte) 0x80},
        {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xf8, (byte) 0x88, (byte) 0x80},
        {(byte) 0xe2, (byte) 0x82}};
    byte[] bytes = utf8(text);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int from = 0;
    for (int i = 0; i < count; i++) {
      int at = from + random.nextInt(Math.max(1, bytes.length - from));
      at = Math.min(at, bytes.length);
      out.write(bytes, from, at - from);
      out.writeBytes(invalid[random.nextInt(invalid.length)]);
      from = at;
    }
    out.write(bytes, from, bytes.length - from);
    return new Input("not UTF-8", out.toByteArray());
  }

  private static Input deep(int depth, String style) {
    StringBuilder text = new StringBuilder();
    switch (style) {
      case "flow" -> text.append("stowage: ").append("{a: ".repeat(depth)).append('1')
          .append("}".repeat(depth)).append('\n');
      case "block" -> {
        for (int i = 0; i < depth; i++) {
          text.append(" ".repeat(i)).append("k").append(i).append(":\n");
        }
      }
      default -> {
        text.append("rexray:\n");
        for (int i = 1; i <= depth; i++) {
          text.append("  ".repeat(i)).append(i % 2 == 0 ? "- " : "k: ").append('\n');
        }
      }
    }
    return new Input("deep " + style, utf8(text.toString()));
  }

  private static Input laughs(int levels, int width) {
    StringBuilder text = new StringBuilder("rexray:\n  modules:\n    l0: &l0 {a: 1, b: 2}\n");
    for (int level = 1; level <= levels; level++) {
      text.append("    l").append(level).append(": &l").append(level).append(" {");
      for (int i = 0; i < width; i++) {
        text.append(i == 0 ? "" : ", ").append('x').append(i).append(": *l").append(level - 1);
      }
      text.append("}\n");
    }
    return new Input("aliases " + levels + "x" + width, utf8(text.toString()));
  }

  private static Input manyKeys(int count) {
    StringBuilder text = new StringBuilder("libstorage:\n  server:\n");
    for (int i = 0; i < count; i++) {
      text.append("    k").append(i).append(": v\n");
    }
    return new Input("many keys", utf8(text.toString()));
  }

  /** A file of about 1 MiB of comment lines: at, just under or just over the limit. */
  private static Input nearLimit(int offset) {
    int size = ConfigFile.MAX_BYTES + offset;
    StringBuilder text = new StringBuilder("stowage: {}\n");
    while (text.length() < size) {
      text.append("# filler\n");
    }
    text.setLength(size - 1);
    text.append('\n');
    return new Input("near the limit", utf8(text.toString()));
  }

  private static Arbitrary<String> words() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withCharRange('a', 'z').withChars("_-").ofMinLength(1)
            .ofMaxLength(12),
        unicode().ofMinLength(1).ofMaxLength(12),
        Arbitraries.integers().between(257, 400).map("k"::repeat));
  }

  /** Any text YAML can hold: every character but unpaired surrogates (control characters too). */
  private static StringArbitrary unicode() {
    return Arbitraries.strings().withCharRange('\u0000', '\uD7FF')
        .withCharRange('\uE000', '\uFFFF');
  }

  private static Arbitrary<String> dottedWords() {
    return words().list().ofMinSize(1).ofMaxSize(5).map(l -> String.join(".", l));
  }

  private static Arbitrary<String> values() {
    return Arbitraries.frequencyOf(
        Tuple.of(10, unicode().ofMaxLength(30)),
        Tuple.of(10, Arbitraries.of("true", "no", "0700", "448", "16", "512MiB", "ext4", "zfs",
            "30s", "0s", "-3s", "PT2M", "/srv/volumes", "/", "//", "..",
            "/var/lib/stowage/records", "fake", "ec2", "Bad!Name", "ebs virtualbox",
            "http://10.0.2.2:18083", "99999999999999999999", "1e400", "~", "null", "")),
        Tuple.of(1, Arbitraries.integers().between(1000, 70_000).map("v"::repeat)));
  }

  private static List<String> knownKeys() {
    List<String> keys = new ArrayList<>();
    Schema.SETTINGS.forEach(s -> keys.addAll(s.spellings().keySet()));
    keys.addAll(Schema.UNUSED);
    // Services: each spelling's own keys and overrides, under names good and bad.
    for (String service : List.of("stowage.services.p1", "stowage.services.fake",
        "libstorage.server.services.s-1", "rexray.modules.default-docker",
        "rexray.modules.default-admin", "rexray.modules.m1", "rexray.modules.Bad_Name")) {
      for (String key : List.of("driver", "type", "desc", "host", "spec", "disabled",
          "libstorage.service", "rexray.storageDrivers", "volume.mount.preempt",
          "volume.mount.root", "integration.volume.operations.create.default.size",
          "docker.size", "fake.root", "virtualbox.password", "state.directory",
          "rexray.modules.x.host", "hots")) {
        keys.add(service + "." + key);
      }
    }
    keys.add("libstorage.server.virtualbox.endpoint");
    keys.add("libstorage.server.integration.volume.operations.mount.preempt");
    for (String section : Schema.KNOWN_SECTIONS.keySet()) {
      for (String key : List.of("region", "secretKey", "accessKey", "endpoint", "volumePath",
          "password", "root", "maxRetries", "timeout", "stuckAttach", "bogus", "pasword")) {
        keys.add(section + "." + key);
      }
    }
    return List.copyOf(keys);
  }

  private static String quoted(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
