package io.stowage.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.config.StowageConfig;
import io.stowage.exception.ConfigurationException;
import io.stowage.spi.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configuration that is hostile or broken: files that are not files, documents that expand or
 * nest without end, directories that would lose the state, environment values that were not
 * text, unused driver sections, and secrets reached sideways. Each is refused with a clear
 * {@link ConfigurationException}, in bounded time, secrets masked.
 */
class HostileInputTest {
  /** How long refusing any of these may take; far more than it does, far less than a hang. */
  private static final Duration BOUND = Duration.ofSeconds(20);

  @TempDir
  Path dir;

  /** Settings shaped like the EBS driver's, with a required region. */
  record Ebs(String region, Optional<String> accessKey, @Secret Optional<String> secretKey,
      Optional<String> endpoint) {}

  /** Settings shaped like the fake driver's. */
  record Fake(Optional<Path> root) {}

  private static final List<DriverSchema> INSTALLED = List.of(
      new DriverSchema("ebs", List.of("ec2", "aws"), Ebs.class),
      new DriverSchema("fake", List.of(), Fake.class));

  private static ConfigurationException refused(ConfigLoader.Builder builder) {
    return assertTimeoutPreemptively(BOUND,
        () -> assertThrows(ConfigurationException.class, builder::load));
  }

  private static ConfigurationException refusedFile(Path file) {
    return refused(ConfigLoader.builder().file(file));
  }

  private static ConfigurationException refusedYaml(String text) {
    return refused(ConfigLoader.builder().yaml("t.yml", text));
  }

  private static String only(ConfigurationException e) {
    assertEquals(1, e.problems().size(), e.getMessage());
    String problem = e.problems().get(0);
    assertFalse(problem.contains("Exception") || problem.contains("java."), problem);
    return problem;
  }

  private Path write(String text) throws IOException {
    Path path = Files.createTempFile(dir, "config", ".yml");
    Files.writeString(path, text, StandardCharsets.UTF_8);
    return path;
  }

  // ---- files ----

  @Test
  void aDeviceIsRefusedWithoutReadingIt() {
    String problem = only(refusedFile(Path.of("/dev/zero")));
    assertEquals("/dev/zero: this is not a regular file (a device, a FIFO or a socket); give the"
        + " path of a YAML configuration file", problem);
  }

  @Test
  void aFifoIsRefusedWithoutWaitingForAWriter() throws Exception {
    Path fifo = dir.resolve("config.yml");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo");
    assertTrue(only(refusedFile(fifo)).contains("is not a regular file"));
  }

  @Test
  void aDirectoryIsRefused() {
    assertEquals(dir + ": this is a directory; give the path of a YAML configuration file",
        only(refusedFile(dir)));
  }

  @Test
  void aSymbolicLinkLoopIsRefused() throws IOException {
    Path loop = Files.createSymbolicLink(dir.resolve("loop.yml"), dir.resolve("loop.yml"));
    String problem = only(refusedFile(loop));
    assertTrue(problem.startsWith(loop + ": the configuration file cannot be read: "), problem);
  }

  @Test
  void searchingTakesWhateverIsAtTheFirstLocationAndSaysWhatIsWrongWithIt() throws IOException {
    Path directory = Files.createDirectory(dir.resolve("config.yml"));
    Path next = write("stowage: {storageDrivers: [ebs]}\n");
    ConfigurationException e = refused(ConfigLoader.builder().searchDefaultLocations()
        .defaultLocations(List.of(dir.resolve("none.yml"), directory, next)));
    assertTrue(only(e).contains("this is a directory"), e.getMessage());
  }

  @Test
  void aFileOfOneMebibyteIsReadAndOneByteMoreIsRefused() throws IOException {
    StringBuilder text = new StringBuilder("stowage: {storageDrivers: [ebs]}\n");
    while (text.length() < ConfigFile.MAX_BYTES) {
      text.append("# a comment line of a large file\n");
    }
    text.setLength(ConfigFile.MAX_BYTES - 1);
    text.append('\n');
    assertEquals(List.of("ebs"), ConfigLoader.builder().file(write(text.toString())).load()
        .storageDrivers());
    Path larger = write(text + "#");
    assertEquals(larger + ": the configuration file is larger than 1 MiB, the most Stowage"
        + " reads", only(refusedFile(larger)));
  }

  @Test
  void aLineLongerThan64KiBIsRefusedBeforeParsing() throws IOException {
    Path file = write("stowage: {}\n#" + "x".repeat(ConfigFile.MAX_BYTES - 20) + "\n");
    assertEquals(file + ":2: line 2 is longer than 65536 characters, the most Stowage reads;"
        + " break it up", only(refusedFile(file)));
  }

  @Test
  void bytesThatAreNotUtf8AreRefusedWithTheirLine() throws IOException {
    Path file = dir.resolve("latin1.yml");
    Files.write(file, "stowage:\n  volume: {mount: {root: /caf\u00e9}}\n"
        .getBytes(StandardCharsets.ISO_8859_1));
    assertEquals(file + ":2: the configuration file is not UTF-8 text: line 2 holds a byte"
        + " sequence that is not UTF-8; save the file as UTF-8", only(refusedFile(file)));
  }

  @Test
  void aByteOrderMarkIsAccepted() throws IOException {
    Path file = write("\uFEFFstowage: {storageDrivers: [ebs]}\n");
    assertEquals(List.of("ebs"), ConfigLoader.builder().file(file).load().storageDrivers());
  }

  @Test
  void aControlCharacterIsNamedButNotShown() {
    String problem = only(refusedYaml("stowage:\n  volume: {mount: {root: /a\u0000b}}\n"));
    assertEquals("t.yml:2: line 2 holds the character U+0000, which YAML does not allow; a"
        + " configuration file is plain text", problem);
  }

  // ---- documents that expand or nest ----

  @Test
  void deepNestingIsRefused() {
    assertEquals("t.yml:1: the document nests deeper than 32 levels, the most Stowage reads",
        only(refusedYaml("a: " + "[".repeat(60_000))));
    StringBuilder block = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      block.append("  ".repeat(i)).append("k").append(i).append(":\n");
    }
    assertTrue(only(refusedYaml(block.toString())).contains("nests deeper than 32 levels"));
  }

  @Test
  void anAliasOfAMappingThatHoldsItIsRefused() {
    String problem = only(refusedYaml("rexray: &a {modules: *a}\n"));
    assertTrue(problem.startsWith("t.yml:1: rexray.modules.modules... nests deeper than 32"
        + " levels"), problem);
  }

  @Test
  void aliasesThatExpandWithoutEndAreRefused() {
    StringBuilder laughs = new StringBuilder("libstorage:\n  client:\n");
    laughs.append("    l0: &l0 {a: 1, b: 2, c: 3, d: 4, e: 5}\n");
    for (int level = 1; level <= 9; level++) {
      laughs.append("    l").append(level).append(": &l").append(level).append(" {");
      for (int i = 0; i < 5; i++) {
        laughs.append(i == 0 ? "" : ", ").append('x').append(i).append(": *l")
            .append(level - 1);
      }
      laughs.append("}\n");
    }
    assertEquals("t.yml: the document has more than 2000 keys once its aliases are expanded,"
        + " the most Stowage reads", only(refusedYaml(laughs.toString())));
  }

  @Test
  void tooManyAliasesOfCollectionsAreRefused() {
    StringBuilder text = new StringBuilder("libstorage:\n  client:\n    base: &b [1]\n");
    for (int i = 0; i < 60; i++) {
      text.append("    m").append(i).append(": *b\n");
    }
    assertEquals("t.yml:54: the document has more than 50 aliases of mappings or lists, the"
        + " most Stowage reads", only(refusedYaml(text.toString())));
  }

  @Test
  void aHugeKeyIsRefusedWithoutBeingShown() {
    String key = "k".repeat(YamlReader.MAX_KEY + 1);
    String problem = only(refusedYaml("stowage:\n  ? " + key + "\n  : 1\n"));
    assertEquals("t.yml:2: a key below stowage is longer than 256 characters, the most Stowage"
        + " reads", problem);
  }

  @Test
  void yamlTextGivenInCodeHasTheSameBounds() {
    assertEquals("t.yml: the document is larger than 1 MiB, the most Stowage reads",
        only(refusedYaml("#" + "\n".repeat(ConfigFile.MAX_BYTES))));
  }

  @Test
  void settingsInCodeThatHoldThemselvesAreRefused() {
    Map<String, Object> group = new HashMap<>();
    group.put("root", "/r");
    group.put("group", group);
    String problem = only(refused(ConfigLoader.builder().setting("fake", group)));
    assertTrue(problem.startsWith("code: the settings below fake nest deeper than 32 levels"),
        problem);
  }

  @Test
  void thousandsOfMistakesListTheFirstHundred() {
    StringBuilder text = new StringBuilder("stowage:\n");
    for (int i = 0; i < 1500; i++) {
      text.append("  unknown").append(i).append(": x\n");
    }
    ConfigurationException e = refusedYaml(text.toString());
    assertEquals(Findings.MAX_LISTED + 1, e.problems().size());
    assertEquals("1400 more problems are not listed; fix the ones above first",
        e.problems().get(Findings.MAX_LISTED));
  }

  // ---- where state and mounts go ----

  @Test
  void theFileSystemRootIsNeitherMountRootNorStateDirectory() {
    ConfigurationException e = refusedYaml(
        "stowage: {volume: {mount: {root: //}}, state: {directory: /.}}\n");
    assertEquals(List.of(
        "t.yml:1: stowage.volume.mount.root \"//\" must not be the file system root: name a"
            + " directory of its own, such as /var/lib/stowage",
        "t.yml:1: stowage.state.directory \"/.\" must not be the file system root: name a"
            + " directory of its own, such as /var/lib/stowage"), e.problems());
  }

  @Test
  void theStateDirectoryMustNotBeTheMountRootOrInsideIt() {
    for (String state : List.of("/srv/volumes", "/srv/volumes/state")) {
      String problem = only(refused(ConfigLoader.builder()
          .yaml("t.yml", "stowage: {volume: {mount: {root: /srv/volumes}}}\n")
          .environment(Map.of("STOWAGE_STATE_DIRECTORY", state))));
      assertEquals("stowage.state.directory " + state + " (env STOWAGE_STATE_DIRECTORY) and"
          + " stowage.volume.mount.root /srv/volumes (t.yml:1): the state directory must not be"
          + " the mount root or inside it, where a volume mounted at /srv/volumes/<name> could"
          + " cover it and lose the state; give each a directory of its own", problem);
    }
  }

  @Test
  void theMountRootMustNotBeInsideTheStateStoresOwnDirectories() {
    String problem = only(refusedYaml(
        "stowage: {volume: {mount: {root: /var/lib/stowage/records/x}}}\n"));
    assertTrue(problem.contains("the mount root must not be inside the state store's own"
        + " directory /var/lib/stowage/records"), problem);
    StowageConfig config = ConfigLoader.builder()
        .setting("stowage.volume.mount.root", "/var/lib/stowage/mounts").load();
    assertEquals(Path.of("/var/lib/stowage/mounts"), config.volumeSettings().mountRoot());
  }

  // ---- the environment ----

  @Test
  void environmentValuesThatWereNotTextAreRefusedByNameWithoutTheirValue() {
    ConfigurationException e = refused(ConfigLoader.builder().drivers(INSTALLED)
        .environment(Map.of("STOWAGE_VOLUME_MOUNT_ROOT", "/caf\uFFFD",
            "EBS_SECRETKEY", "s3cr3t-\uFFFD-value", "HOME", "/h\uFFFD")));
    assertEquals(2, e.problems().size(), e.getMessage());
    for (String variable : List.of("EBS_SECRETKEY", "STOWAGE_VOLUME_MOUNT_ROOT")) {
      assertTrue(e.problems().stream().anyMatch(p -> p.startsWith("env " + variable + ": the"
          + " value is not text in the encoding Java reads the environment with")),
          e.getMessage());
    }
    assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
    assertFalse(e.getMessage().contains("caf"), e.getMessage());
  }

  // ---- driver sections ----

  @Test
  void sectionsOfInstalledDriversThatAreNotInUseAreChecked() {
    ConfigurationException e = refused(ConfigLoader.builder().drivers(INSTALLED)
        .yaml("t.yml", "stowage: {storageDrivers: [fake]}\nebs: {bogus: 1, secretKey: [a]}\n"));
    assertEquals(List.of(
        "t.yml:2: unknown setting ebs.bogus; known settings: region, accessKey, secretKey,"
            + " endpoint",
        "t.yml:2: ebs.secretKey **** must be a single value, not a list"), e.problems());
  }

  @Test
  void aRequiredKeyMayBeMissingFromTheSectionOfADriverNotInUse() {
    StowageConfig config = ConfigLoader.builder().drivers(INSTALLED)
        .yaml("t.yml", "stowage: {storageDrivers: [fake]}\naws: {accessKey: AKIA}\n").load();
    assertEquals(List.of(), config.warnings());
    ConfigurationException inUse = refused(ConfigLoader.builder().drivers(INSTALLED)
        .yaml("t.yml", "stowage: {storageDrivers: [ec2]}\naws: {accessKey: AKIA}\n"));
    assertEquals("ebs.region is required (a single value) and is not set", only(inUse));
  }

  @Test
  void aSectionOfADriverThatIsNotInstalledIsAWarningNamingIt() {
    StowageConfig config = ConfigLoader.builder().drivers(INSTALLED)
        .yaml("t.yml", "virtualbox: {bogus: 1}\n").load();
    assertEquals(List.of("the section virtualbox configures the storage driver virtualbox,"
        + " which is not installed; ignored (install the driver, or remove the section)"),
        config.warnings());
  }

  @Test
  void driverKeysThatAreNoNamesAreProblemsAndBlanksDoNotMakeTwoKeys() {
    String problem = only(refused(ConfigLoader.builder().drivers(INSTALLED)
        .environment(Map.of("FAKE__", "x"))));
    assertEquals("env FAKE__: fake._ does not name a setting of the fake driver", problem);
    StowageConfig config = ConfigLoader.builder().drivers(INSTALLED)
        .setting("fake. root", "/a").setting("fake.root", "/b").load();
    assertEquals(new Fake(Optional.of(Path.of("/b"))),
        config.driverSection("fake").orElseThrow().bind(Fake.class));
  }

  // ---- messages ----

  @Test
  void valueProblemsSayWhatTheValueMustBe() {
    ConfigurationException e = refusedYaml("""
        docker: {fsType: ntfs, size: lots, iops: 0, volumeType: "a b"}
        stowage: {device: {attachTimeout: 0s}, volume: {mount: {preempt: perhaps}}}
        """);
    assertEquals(List.of(
        "t.yml:2: stowage.volume.mount.preempt \"perhaps\" must be true or false (also yes/no,"
            + " on/off, 1/0)",
        "t.yml:1: docker.size \"lots\" must be a size from 1 MiB to 64 TiB: a whole number of"
            + " GiB, or a number with a unit, such as 16, 512MiB or 2TiB",
        "t.yml:1: docker.fsType \"ntfs\" must be one of the file system types ext4, xfs, ext3,"
            + " btrfs",
        "t.yml:1: docker.volumeType \"a b\" must be 1 to 64 letters, digits, '.', '_' or '-',"
            + " starting with a letter or digit",
        "t.yml:1: docker.iops \"0\" must be a whole number of IOPS from 1 to 256000",
        "t.yml:2: stowage.device.attachTimeout \"0s\" must be a duration longer than zero, such"
            + " as 30s, 2m, 500ms or PT30S"), e.problems());
  }

  // ---- secrets ----

  @Test
  void aSecretReachedThroughAnAliasIsMaskedEverywhere() {
    String secret = "S3CRET-through-alias";
    StowageConfig config = ConfigLoader.builder().drivers(INSTALLED).yaml("t.yml", """
        stowage: {storageDrivers: [ebs]}
        ebs:
          region: r1
          secretKey: &p %s
          endpoint: *p
        rexray: {logLevel: *p}
        """.formatted(secret)).load();
    assertEquals("****", config.settings().stream()
        .filter(s -> s.key().equals("ebs.endpoint")).findFirst().orElseThrow().value());
    assertFalse(config.toString().contains(secret), config.toString());

    ConfigurationException e = refused(ConfigLoader.builder().drivers(INSTALLED).yaml("t.yml", """
        ebs: {secretKey: &p %s}
        stowage: {volume: {mount: {root: *p}}, device: {attachTimeout: *p}}
        """.formatted(secret)));
    assertEquals(List.of("t.yml:2: stowage.volume.mount.root **** must be an absolute path",
        "t.yml:2: stowage.device.attachTimeout **** must be a duration longer than zero, such"
            + " as 30s, 2m, 500ms or PT30S"), e.problems());
  }

  @Test
  void urlsAreFoundInLongValuesInTimeInProportionToTheirLength() {
    String value = "http://user:S3CRET@host/" + "a".repeat(1_000_000);
    StowageConfig config = assertTimeoutPreemptively(BOUND, () -> ConfigLoader.builder()
        .drivers(INSTALLED).environment(Map.of("FAKE_ROOT", value)).load());
    assertTrue(config.settings().stream().anyMatch(s -> s.key().equals("fake.root")
        && s.value().startsWith("http://user:****@host/aaa")), "fake.root");
  }

  @Test
  void urlPasswordsAreMaskedInSettingsWarningsAndErrors() {
    String url = "http://user:S3CRET@host:18083";
    StowageConfig config = ConfigLoader.builder().drivers(INSTALLED)
        .yaml("t.yml", "ebs: {endpoint: \"" + url + "\"}\nvirtualbox: {endpoint: \"" + url
            + "\"}\n")
        .load();
    assertTrue(config.settings().stream().anyMatch(s -> s.key().equals("ebs.endpoint")
        && s.value().equals("http://user:****@host:18083")), config.settings().toString());
    assertTrue(config.settings().stream().anyMatch(s -> s.key().equals("virtualbox.endpoint")
        && s.value().equals("http://user:****@host:18083")), config.settings().toString());
    ConfigurationException e = refused(ConfigLoader.builder()
        .setting("stowage.volume.mount.root", url).setting("stowage." + url, 1));
    assertFalse(e.getMessage().contains("S3CRET"), e.getMessage());
    assertTrue(e.getMessage().contains("\"http://user:****@host:18083\" must be an absolute"
        + " path"), e.getMessage());
  }
}
