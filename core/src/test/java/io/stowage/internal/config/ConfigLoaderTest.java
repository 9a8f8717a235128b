package io.stowage.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.config.StowageConfig.EffectiveSetting;
import io.stowage.config.StowageConfig;
import io.stowage.exception.ConfigurationException;
import io.stowage.model.ByteSize;
import io.stowage.model.FsType;
import io.stowage.spi.DriverConfig;
import io.stowage.spi.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  /** The settings the REX-Ray user guide's VirtualBox example configures. */
  record VirtualBoxSettings(String endpoint, String volumePath, String controllerName) {}

  @TempDir
  Path dir;

  private Path fixture() throws IOException {
    Path copy = dir.resolve("rexray-config.yml");
    try (InputStream in = getClass().getResourceAsStream("/config/rexray-0.3-virtualbox.yml")) {
      Files.copy(in, copy);
    }
    return copy;
  }

  private Path write(String yaml) throws IOException {
    Path path = Files.createTempFile(dir, "config", ".yml");
    Files.writeString(path, yaml, StandardCharsets.UTF_8);
    return path;
  }

  /** Settings shaped like the EBS driver's, declared under REX-Ray's section names too. */
  record EbsLike(Optional<String> region, Optional<String> accessKey,
      @Secret Optional<String> secretKey, Optional<String> tag, Optional<String> rexrayTag) {}

  /** Settings shaped like the VirtualBox driver's. */
  record VboxLike(Optional<String> endpoint, Optional<String> volumePath,
      Optional<String> controllerName, @Secret Optional<String> password) {}

  /** Settings shaped like the fake driver's. */
  record FakeLike(Optional<Path> root) {}

  /** Drivers installed for the tests that need their sections read from the environment. */
  private static final List<DriverSchema> INSTALLED = List.of(
      new DriverSchema("ebs", List.of("ec2", "aws"), EbsLike.class),
      new DriverSchema("virtualbox", List.of(), VboxLike.class),
      new DriverSchema("fake", List.of(), FakeLike.class));

  private static StowageConfig yaml(String text) {
    return ConfigLoader.builder().yaml("test.yml", text).load();
  }

  private static ConfigurationException rejected(ConfigLoader.Builder builder) {
    return assertThrows(ConfigurationException.class, builder::load);
  }

  private static String setting(StowageConfig config, String key) {
    return config.settings().stream().filter(s -> s.key().equals(key)).findFirst()
        .map(s -> s.value() + " @ " + s.source()).orElse("absent");
  }

  @Test
  void rexRayUserGuideExampleLoadsUnchanged() throws IOException {
    Path file = fixture();
    StowageConfig config = ConfigLoader.builder().file(file).load();

    assertEquals(List.of("virtualbox"), config.storageDrivers());
    assertTrue(config.volumeSettings().preempt());
    assertTrue(config.volumeSettings().ignoreUsedCount());
    assertEquals(List.of(), config.warnings());
    VirtualBoxSettings vbox = config.driverSection("virtualbox").orElseThrow()
        .bind(VirtualBoxSettings.class);
    assertEquals(new VirtualBoxSettings("http://yourlaptop:18083",
        "/Users/youruser/VirtualBox Volumes", "SATA"), vbox);
    assertEquals("true @ " + file + ":6", setting(config, "stowage.volume.mount.preempt"));
    assertEquals("http://yourlaptop:18083 @ " + file + ":10",
        setting(config, "virtualbox.endpoint"));
  }

  @Test
  void noSourceGivesRexRayDefaultsWithTheFakeDriver() {
    StowageConfig config = ConfigLoader.builder().load();

    assertEquals(List.of("fake"), config.storageDrivers());
    assertEquals(Optional.of(ByteSize.ofGiB(16)), config.volumeSettings().createDefaults().size());
    assertEquals(Optional.of(FsType.EXT4), config.volumeSettings().createDefaults().newFsType());
    assertTrue(config.volumeSettings().implicitCreate());
    assertFalse(config.volumeSettings().preempt());
    assertFalse(config.volumeSettings().ignoreUsedCount());
    assertFalse(config.volumeSettings().createDisabled());
    assertFalse(config.volumeSettings().removeDisabled());
    assertFalse(config.volumeSettings().removeForce());
    assertEquals(Path.of("/var/lib/stowage/volumes"), config.volumeSettings().mountRoot());
    assertEquals("data", config.volumeSettings().dataDir());
    assertEquals(0700, config.volumeSettings().dataDirMode());
    assertEquals(Duration.ofSeconds(30), config.volumeSettings().attachTimeout());
    assertEquals(Path.of("/var/lib/stowage"), config.stateDirectory());
    assertTrue(config.driverSection("fake").isPresent());
    assertEquals("0700 @ default", setting(config, "stowage.volume.mount.dataDirMode"));
    assertEquals("30s @ default", setting(config, "stowage.device.attachTimeout"));
  }

  @Test
  void emptyFileAndCommentOnlyFileGiveDefaults() throws IOException {
    assertEquals(List.of("fake"), ConfigLoader.builder().file(write("")).load().storageDrivers());
    assertEquals(List.of("fake"),
        ConfigLoader.builder().file(write("# nothing\n")).load().storageDrivers());
  }

  @Test
  void searchTakesTheFirstExistingLocation() throws IOException {
    Path stowage = dir.resolve("stowage.yml");
    Path rexray = write("rexray:\n  storageDrivers: [ebs]\n");
    ConfigLoader.Builder builder = ConfigLoader.builder().searchDefaultLocations()
        .defaultLocations(List.of(stowage, rexray));
    assertEquals(List.of("ebs"), builder.load().storageDrivers());

    Files.writeString(stowage, "stowage:\n  storageDrivers: [virtualbox]\n");
    assertEquals(List.of("virtualbox"), builder.load().storageDrivers());

    ConfigLoader.Builder none = ConfigLoader.builder().searchDefaultLocations()
        .defaultLocations(List.of(dir.resolve("a.yml"), dir.resolve("b.yml")));
    assertEquals(List.of("fake"), none.load().storageDrivers());
  }

  @Test
  void explicitFileWinsOverSearchAndMustExist() throws IOException {
    Path explicit = write("stowage: {storageDrivers: [ebs]}\n");
    Path found = write("stowage: {storageDrivers: [virtualbox]}\n");
    assertEquals(List.of("ebs"), ConfigLoader.builder().file(explicit).searchDefaultLocations()
        .defaultLocations(List.of(found)).load().storageDrivers());

    Path missing = dir.resolve("missing.yml");
    ConfigurationException e = rejected(ConfigLoader.builder().file(missing));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }

  @Test
  void libStorageSpelling() {
    StowageConfig config = yaml("""
        libstorage:
          service: virtualbox
          device:
            attachTimeout: 2m
          integration:
            volume:
              operations:
                mount:
                  preempt: true
                  path: /mnt/volumes
                  rootPath: /payload
                unmount:
                  ignoreusedcount: true
                create:
                  implicit: false
                  disable: true
                  default:
                    size: 20
                    fsType: xfs
                    type: gp2
                    IOPS: 300
                    availabilityZone: us-east-1a
                remove:
                  disable: true
                  force: true
        """);
    assertEquals(List.of("virtualbox"), config.storageDrivers());
    assertEquals(Duration.ofMinutes(2), config.volumeSettings().attachTimeout());
    assertTrue(config.volumeSettings().preempt());
    assertEquals(Path.of("/mnt/volumes"), config.volumeSettings().mountRoot());
    assertEquals("payload", config.volumeSettings().dataDir());
    assertTrue(config.volumeSettings().ignoreUsedCount());
    assertFalse(config.volumeSettings().implicitCreate());
    assertTrue(config.volumeSettings().createDisabled());
    assertTrue(config.volumeSettings().removeDisabled());
    assertTrue(config.volumeSettings().removeForce());
    assertEquals(ByteSize.ofGiB(20), config.volumeSettings().createDefaults().size().orElseThrow());
    assertEquals(FsType.XFS, config.volumeSettings().createDefaults().newFsType().orElseThrow());
    assertEquals(Optional.of("gp2"), config.volumeSettings().createDefaults().volumeType());
    assertEquals(Optional.of(300L), config.volumeSettings().createDefaults().iops());
    assertEquals(Optional.of("us-east-1a"),
        config.volumeSettings().createDefaults().availabilityZone());
  }

  @Test
  void rexRay03Spelling() {
    StowageConfig config = yaml("""
        rexray:
          storageDrivers: [ec2]
          volume:
            mount: {preempt: true}
            unmount: {ignoreusedcount: true}
            create: {disable: true}
            remove: {disable: true}
        docker:
          size: 5
          iops: 100
          volumeType: io1
          fsType: xfs
          availabilityZone: eu-west-1b
        linux:
          volume:
            rootpath: /data
            filemode: 0750
        aws:
          region: eu-west-1
          accessKey: AKIAEXAMPLE
          rexrayTag: prod
        """);
    assertEquals(List.of("ebs"), config.storageDrivers());
    assertTrue(config.volumeSettings().preempt());
    assertTrue(config.volumeSettings().ignoreUsedCount());
    assertTrue(config.volumeSettings().createDisabled());
    assertTrue(config.volumeSettings().removeDisabled());
    assertEquals(ByteSize.ofGiB(5), config.volumeSettings().createDefaults().size().orElseThrow());
    assertEquals(Optional.of(100L), config.volumeSettings().createDefaults().iops());
    assertEquals(Optional.of("io1"), config.volumeSettings().createDefaults().volumeType());
    assertEquals(FsType.XFS, config.volumeSettings().createDefaults().newFsType().orElseThrow());
    assertEquals(Optional.of("eu-west-1b"),
        config.volumeSettings().createDefaults().availabilityZone());
    assertEquals("data", config.volumeSettings().dataDir());
    assertEquals(0750, config.volumeSettings().dataDirMode());
    record Ebs(String region, Optional<String> accessKey, Optional<String> rexrayTag) {}
    Ebs ebs = config.driverSection("ebs").orElseThrow().bind(Ebs.class);
    assertEquals(new Ebs("eu-west-1", Optional.of("AKIAEXAMPLE"), Optional.of("prod")), ebs);
  }

  @Test
  void stowageSpelling() {
    StowageConfig config = yaml("""
        stowage:
          storageDrivers: [fake, virtualbox]
          volume:
            mount:
              preempt: true
              root: /srv/volumes
              dataDir: payload/inner
              dataDirMode: "0755"
            unmount:
              ignoreUsedCount: yes
            create:
              implicit: false
              default: {size: 512MiB, fsType: ext3, type: ssd, iops: 50,
                        availabilityZone: z1}
            remove: {force: on}
          device:
            attachTimeout: 500ms
          state:
            directory: /run/stowage
        """);
    assertEquals(List.of("fake", "virtualbox"), config.storageDrivers());
    assertTrue(config.volumeSettings().preempt());
    assertTrue(config.volumeSettings().ignoreUsedCount());
    assertFalse(config.volumeSettings().implicitCreate());
    assertTrue(config.volumeSettings().removeForce());
    assertEquals(Path.of("/srv/volumes"), config.volumeSettings().mountRoot());
    assertEquals("payload/inner", config.volumeSettings().dataDir());
    assertEquals(0755, config.volumeSettings().dataDirMode());
    assertEquals(ByteSize.ofMiB(512),
        config.volumeSettings().createDefaults().size().orElseThrow());
    assertEquals(FsType.of("ext3"),
        config.volumeSettings().createDefaults().newFsType().orElseThrow());
    assertEquals(Duration.ofMillis(500), config.volumeSettings().attachTimeout());
    assertEquals(Path.of("/run/stowage"), config.stateDirectory());
    assertTrue(config.driverSection("virtualbox").isPresent());
  }

  @Test
  void stowageBeatsLibStorageBeatsRexRayInOneSource() {
    StowageConfig config = yaml("""
        rexray: {volume: {mount: {preempt: false}}, storageDrivers: [ebs]}
        docker: {size: 3}
        linux: {volume: {rootpath: /old}}
        libstorage:
          integration: {volume: {operations: {mount: {preempt: true, rootPath: /new},
                        create: {default: {size: 4}}}}}
        stowage: {volume: {create: {default: {size: 5}}}}
        """);
    assertTrue(config.volumeSettings().preempt(), "libStorage beats REX-Ray");
    assertEquals("new", config.volumeSettings().dataDir(), "libStorage beats REX-Ray");
    assertEquals(ByteSize.ofGiB(5), config.volumeSettings().createDefaults().size().orElseThrow());
    assertEquals(List.of("ebs"), config.storageDrivers());
  }

  @Test
  void codeBeatsEnvironmentBeatsFileBeatsDefault() throws IOException {
    Path file = write("""
        stowage:
          volume:
            mount: {preempt: false, root: /file}
            create: {default: {size: 7}}
          device: {attachTimeout: 10s}
        virtualbox: {endpoint: http://file:18083, volumePath: /v}
        """);
    StowageConfig config = ConfigLoader.builder().file(file)
        .environment(Map.of(
            "REXRAY_VOLUME_MOUNT_PREEMPT", "true",
            "STOWAGE_VOLUME_MOUNT_ROOT", "/env",
            "STOWAGE_DEVICE_ATTACHTIMEOUT", "20",
            "VIRTUALBOX_ENDPOINT", "http://env:18083"))
        .setting("stowage.volume.mount.root", Path.of("/code"))
        .setting("Virtualbox.Endpoint", "http://code:18083")
        .load();
    assertTrue(config.volumeSettings().preempt(),
        "an environment variable of any spelling beats the file");
    assertEquals(Path.of("/code"), config.volumeSettings().mountRoot());
    assertEquals(Duration.ofSeconds(20), config.volumeSettings().attachTimeout());
    assertEquals(ByteSize.ofGiB(7), config.volumeSettings().createDefaults().size().orElseThrow());
    assertEquals("/code @ code", setting(config, "stowage.volume.mount.root"));
    assertEquals("true @ env REXRAY_VOLUME_MOUNT_PREEMPT",
        setting(config, "stowage.volume.mount.preempt"));
    assertEquals("7GiB @ " + file + ":4", setting(config, "stowage.volume.create.default.size"));
    record Vbox(String endpoint, String volumePath) {}
    assertEquals(new Vbox("http://code:18083", "/v"),
        config.driverSection("virtualbox").orElseThrow().bind(Vbox.class));
  }

  @Test
  void environmentVariablesOfEverySpelling() {
    StowageConfig config = ConfigLoader.builder().environment(Map.of(
        "REXRAY_STORAGEDRIVERS", "ec2 virtualbox",
        "LIBSTORAGE_INTEGRATION_VOLUME_OPERATIONS_UNMOUNT_IGNOREUSEDCOUNT", "true",
        "LIBSTORAGE_INTEGRATION_VOLUME_OPERATIONS_CREATE_DEFAULT_SIZE", "16",
        "DOCKER_FSTYPE", "xfs",
        "LINUX_VOLUME_FILEMODE", "0710",
        "STOWAGE_VOLUME_CREATE_IMPLICIT", "false",
        "EBS_REGION", "us-west-2",
        "FAKE_ROOT", "/tmp/fake",
        "VIRTUALBOX_CONTROLLERNAME", "SCSI",
        "AWS_SECRETKEY", "s3cr3t-from-env")).drivers(INSTALLED).load();
    assertEquals(List.of("ebs", "virtualbox"), config.storageDrivers());
    assertTrue(config.volumeSettings().ignoreUsedCount());
    assertFalse(config.volumeSettings().implicitCreate());
    assertEquals(FsType.XFS, config.volumeSettings().createDefaults().newFsType().orElseThrow());
    assertEquals(0710, config.volumeSettings().dataDirMode());
    record Ebs(String region, String secretKey) {}
    assertEquals(new Ebs("us-west-2", "s3cr3t-from-env"),
        config.driverSection("ebs").orElseThrow().bind(Ebs.class));
    record Fake(Path root) {}
    assertEquals(new Fake(Path.of("/tmp/fake")),
        config.driverSection("fake").orElseThrow().bind(Fake.class));
    record Vbox(String controllerName) {}
    assertEquals(new Vbox("SCSI"),
        config.driverSection("virtualbox").orElseThrow().bind(Vbox.class));
    assertEquals("****", setting(config, "ebs.secretkey").split(" @ ")[0]);
  }

  @Test
  void foreignEnvironmentVariablesAreLeftAlone() {
    StowageConfig config = ConfigLoader.builder().environment(Map.of(
        "PATH", "/usr/bin", "DOCKER_HOST", "unix:///x", "AWS_ACCESS_KEY_ID", "AKIA",
        "AWS_PROFILE", "dev", "LINUX_FOO", "1", "HOME", "/root")).load();
    assertEquals(List.of("fake"), config.storageDrivers());
    assertEquals(List.of(), config.warnings());
    assertFalse(config.driverSection("ebs").isPresent());
  }

  @Test
  void unknownStowageVariableIsAnErrorWithSuggestion() {
    ConfigurationException e = rejected(ConfigLoader.builder().environment(Map.of(
        "STOWAGE_VOLUME_MOUNT_PREMPT", "true")));
    assertEquals(1, e.problems().size(), e.getMessage());
    assertTrue(e.problems().get(0).contains("STOWAGE_VOLUME_MOUNT_PREMPT"), e.getMessage());
    assertTrue(e.problems().get(0).contains("did you mean STOWAGE_VOLUME_MOUNT_PREEMPT"),
        e.getMessage());
  }

  @Test
  void unknownRexRayAndLibStorageVariablesAreWarnings() {
    StowageConfig config = ConfigLoader.builder().environment(Map.of(
        "REXRAY_LOGLEVEL", "debug",
        "REXRAY_MODULES_DEFAULT-DOCKER_NOSUCHKEY", "x",
        "LIBSTORAGE_LOGGING_LEVEL", "info",
        "REXRAY_SOMETHINGNEW", "x")).load();
    assertEquals(4, config.warnings().size(), config.warnings().toString());
    assertTrue(config.warnings().stream().anyMatch(w -> w.contains("REXRAY_SOMETHINGNEW")));
    assertTrue(config.warnings().stream().anyMatch(w -> w.contains("rexray.logLevel")));
  }

  @Test
  void rexRayPluginVariables() {
    StowageConfig config = ConfigLoader.builder().environment(Map.of(
        "REXRAY_PREEMPT", "true", "REXRAY_FSTYPE", "xfs")).load();
    assertTrue(config.volumeSettings().preempt());
    assertEquals(FsType.XFS, config.volumeSettings().createDefaults().newFsType().orElseThrow());
  }

  @Test
  void keysMatchCaseInsensitivelyAtEveryLevel() {
    StowageConfig config = yaml("""
        REXRAY:
          STORAGEDRIVERS: [VirtualBox]
          Volume:
            MOUNT:
              PreEmpt: TRUE
        LibStorage:
          Integration: {VOLUME: {Operations: {Create: {Default: {iops: 42}}}}}
        VirtualBox:
          ENDPOINT: http://h:1
        """);
    assertEquals(List.of("virtualbox"), config.storageDrivers());
    assertTrue(config.volumeSettings().preempt());
    assertEquals(Optional.of(42L), config.volumeSettings().createDefaults().iops());
    record Vbox(String endpoint) {}
    assertEquals(new Vbox("http://h:1"),
        config.driverSection("virtualbox").orElseThrow().bind(Vbox.class));
  }

  @Test
  void unusedRexRayKeysGiveExactlyOneWarningEach() {
    StowageConfig config = yaml("""
        rexray:
          logLevel: debug
          host: tcp://:7979
          osDrivers: [linux]
          volumeDrivers: [docker]
          modules:
            default-admin:
              host: tcp://:7979
        libstorage:
          host: tcp://127.0.0.1:7979
          server:
            tls: {certFile: /etc/libstorage/server.crt}
            endpoints: {public: {address: "tcp://:7980"}}
          logging: {level: info}
          device: {scanType: 1}
          integration:
            volume:
              operations:
                mount: {retryCount: 3}
                path: {cache: {enabled: false, async: false}}
        """);
    List<String> warnings = config.warnings();
    for (String key : List.of("rexray.logLevel", "rexray.host", "rexray.osDrivers",
        "rexray.volumeDrivers", "rexray.modules.default-admin", "libstorage.host",
        "libstorage.server",
        "libstorage.logging", "libstorage.device.scanType",
        "libstorage.integration.volume.operations.mount.retryCount",
        "libstorage.integration.volume.operations.path")) {
      long count = warnings.stream().filter(w -> w.contains(key + " ")).count();
      assertEquals(1, count, key + " in " + warnings);
    }
    assertEquals(11, warnings.size(), warnings.toString());
  }

  @Test
  void unknownKeyNamesItAndTheClosestKnownKey() {
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> yaml("""
        rexray:
          volume:
            mount:
              premept: true
        """));
    assertEquals(1, e.problems().size(), e.getMessage());
    String problem = e.problems().get(0);
    assertTrue(problem.contains("rexray.volume.mount.premept"), problem);
    assertTrue(problem.contains("did you mean rexray.volume.mount.preempt"), problem);
    assertTrue(problem.startsWith("test.yml:4:"), problem);
  }

  @Test
  void unknownRootKeyWithoutCloseMatchListsKnownRoots() {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> yaml("zzzzzzzzzz: 1\n"));
    assertTrue(e.problems().get(0).contains("zzzzzzzzzz"), e.getMessage());
    assertTrue(e.problems().get(0).contains("stowage"), e.getMessage());
  }

  @Test
  void installedDriverSectionsAreLegalRoots() {
    String text = "scaleio:\n  endpoint: https://x\n";
    assertThrows(ConfigurationException.class, () -> yaml(text));
    record Scaleio(String endpoint, String userName) {}
    StowageConfig config = ConfigLoader.builder().yaml("t.yml", text)
        .drivers(List.of(new DriverSchema("scaleio", List.of(), Scaleio.class)))
        .environment(Map.of("SCALEIO_USERNAME", "admin")).load();
    assertEquals(new Scaleio("https://x", "admin"),
        config.driverSection("scaleio").orElseThrow().bind(Scaleio.class));
  }

  @Test
  void everyProblemOfEverySourceIsReportedAtOnce() throws IOException {
    Path file = write("""
        rexray:
          storageDrivers: {a: 1}
          volume:
            mount:
              preempt: maybe
            unmount:
              ignoreusedcount: [a, b]
        docker:
          size: -5
          fsType: zfs
          iops: lots
        linux:
          volume:
            filemode: 0999
            rootpath: /../etc
        stowage:
          volume:
            mount: {root: relative/path}
          device: {attachTimeout: soon}
          state: {directory: [a, b]}
        virtualbox: just-a-string
        libstorage: {integration: {volume: {operations: {creat: {}}}}}
        """);
    ConfigurationException e = assertThrows(ConfigurationException.class, () ->
        ConfigLoader.builder().file(file)
            .environment(Map.of("STOWAGE_VOLUME_MOUNT_PREEMPT", "perhaps",
                "STOWAGE_NOPE", "1"))
            .setting("stowage.volume.remove.force", "sometimes")
            .setting("stowage.bogus", 1)
            .load());
    List<String> problems = e.problems();
    for (String key : List.of("rexray.storageDrivers", "rexray.volume.mount.preempt",
        "rexray.volume.unmount.ignoreusedcount", "docker.size", "docker.fsType", "docker.iops",
        "linux.volume.filemode", "linux.volume.rootpath", "stowage.volume.mount.root",
        "stowage.device.attachTimeout", "stowage.state.directory", "virtualbox", "libstorage.integration.volume."
            + "operations.creat", "STOWAGE_VOLUME_MOUNT_PREEMPT", "STOWAGE_NOPE",
        "stowage.volume.remove.force", "stowage.bogus")) {
      assertTrue(problems.stream().anyMatch(p -> p.contains(key)), key + " in " + problems);
    }
    assertEquals(17, problems.size(), String.join("\n", problems));
    assertTrue(e.getMessage().contains(file.toString()));
    assertTrue(e.getMessage().contains("environment"));
    assertTrue(e.getMessage().contains("code"));
    assertTrue(problems.stream().anyMatch(p -> p.startsWith(file + ":5:")),
        "problems carry the line");
  }

  @Test
  void typeErrorsName() {
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> yaml("""
        stowage:
          volume:
            mount:
              preempt: {nested: true}
        """));
    assertTrue(e.problems().get(0).contains("stowage.volume.mount.preempt must be true or false"
        + ", not a mapping"), e.getMessage());
    e = assertThrows(ConfigurationException.class, () -> yaml("stowage: [a]\n"));
    assertTrue(e.problems().get(0).contains("stowage is a group of settings"), e.getMessage());
  }

  @Test
  void dataDirectoryMustStayInsideTheVolume() {
    assertEquals("data", yaml("linux: {volume: {rootpath: /data}}").volumeSettings().dataDir());
    assertEquals("a/b", yaml("linux: {volume: {rootpath: //a//./b/}}").volumeSettings().dataDir());
    for (String bad : List.of("/", "..", "/../x", "a/../../b", "''", "./.")) {
      ConfigurationException e = assertThrows(ConfigurationException.class,
          () -> yaml("stowage: {volume: {mount: {dataDir: " + bad + "}}}"), bad);
      assertTrue(e.getMessage().contains("dataDir"), e.getMessage());
    }
  }

  @Test
  void fileModesAndDurations() {
    assertEquals(0700, yaml("linux: {volume: {filemode: 448}}").volumeSettings().dataDirMode());
    assertEquals(0700,
        yaml("linux: {volume: {filemode: \"0700\"}}").volumeSettings().dataDirMode());
    assertEquals(0700, yaml("linux: {volume: {filemode: 0o700}}").volumeSettings().dataDirMode());
    assertEquals(Duration.ofSeconds(45), yaml("stowage: {device: {attachTimeout: 45}}")
        .volumeSettings().attachTimeout());
    assertEquals(Duration.ofSeconds(90), yaml("stowage: {device: {attachTimeout: 1m30s}}")
        .volumeSettings().attachTimeout());
    assertEquals(Duration.ofMinutes(2), yaml("stowage: {device: {attachTimeout: PT2M}}")
        .volumeSettings().attachTimeout());
    assertThrows(ConfigurationException.class,
        () -> yaml("stowage: {device: {attachTimeout: 0s}}"));
    assertThrows(ConfigurationException.class,
        () -> yaml("stowage: {device: {attachTimeout: -3s}}"));
  }

  @Test
  void malformedYamlReportsLineAndColumn() {
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> yaml("""
        rexray:
          storageDrivers: [virtualbox
          volume: x
        """));
    assertEquals(1, e.problems().size());
    assertTrue(e.problems().get(0).matches("test\\.yml:\\d+:\\d+: malformed YAML \\(line \\d+,"
        + " column \\d+\\).*"), e.problems().get(0));

    e = assertThrows(ConfigurationException.class, () -> yaml("a: b\n  c: d\n"));
    assertTrue(e.problems().get(0).contains("line 2"), e.problems().get(0));
  }

  @Test
  void rootMustBeAMapping() {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> yaml("- rexray\n- stowage\n"));
    assertTrue(e.problems().get(0).contains("must be a mapping"), e.getMessage());
    e = assertThrows(ConfigurationException.class, () -> yaml("just text"));
    assertTrue(e.problems().get(0).contains("must be a mapping"), e.getMessage());
  }

  @Test
  void duplicateKeysDifferingInCaseAreRejected() {
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> yaml("""
        rexray:
          storageDrivers: [ebs]
          StorageDrivers: [fake]
        """));
    assertTrue(e.problems().get(0).contains("given twice"), e.getMessage());
  }

  /** A driver that declares a secret whose name does not give it away. */
  record FakeWithPin(@Secret Optional<String> pin, Optional<String> credentials,
      Optional<String> apiToken) {}

  @Test
  void secretsAppearNowhere() {
    String secret = "Tr0ub4dor&3-very-secret";
    String file = """
        rexray:
          storageDrivers: [virtualbox]
          loglevel: debug
        virtualbox:
          endpoint: http://h:18083
          password: "%s"
          pasword: "%s"
        ebs:
          secretKey: "%s"
          accessKey: "%s"
          tag: [not, a, string]
        fake:
          apiToken: "%s"
        """.formatted(secret, secret, secret, secret, secret);
    StowageConfig config = ConfigLoader.builder().yaml("t.yml", file)
        .environment(Map.of("EBS_SECRETKEY", secret))
        .setting("fake.credentials", secret)
        .setting("fake.pin", secret)
        .drivers(List.of(new DriverSchema("fake", List.of(), FakeWithPin.class)))
        .load();
    assertFalse(config.toString().contains(secret), config.toString());
    config.settings().forEach(s -> assertFalse(s.toString().contains(secret), s.toString()));
    config.warnings().forEach(w -> assertFalse(w.contains(secret), w));
    for (DriverConfig section : config.driverSections().values()) {
      assertFalse(section.toString().contains(secret), section.toString());
    }
    assertTrue(config.driverSection("virtualbox").orElseThrow().toString()
        .contains("password"));
    assertTrue(config.settings().stream().anyMatch(s -> s.key().equals("fake.pin")
        && s.value().equals("****")), config.settings().toString());

    record Vbox(String endpoint, int password) {}
    ConfigurationException vbox = assertThrows(ConfigurationException.class,
        () -> config.driverSection("virtualbox").orElseThrow().bind(Vbox.class));
    assertFalse(vbox.getMessage().contains(secret), vbox.getMessage());
    assertTrue(vbox.getMessage().contains("virtualbox.password **** must be a whole number"),
        vbox.getMessage());
    assertTrue(vbox.getMessage().contains("pasword (did you mean virtualbox.password?)"),
        vbox.getMessage());

    record Ebs(Duration secretKey, List<String> accessKey, int tag) {}
    ConfigurationException ebs = assertThrows(ConfigurationException.class,
        () -> config.driverSection("ebs").orElseThrow().bind(Ebs.class));
    assertFalse(ebs.getMessage().contains(secret), ebs.getMessage());
    assertEquals(2, ebs.problems().size(), ebs.getMessage());

    record Fake(String apiToken, String credentials) {
      Fake {
        if (credentials.length() > 3) {
          throw new IllegalArgumentException("credentials " + credentials + " too long");
        }
      }
    }
    ConfigurationException fake = assertThrows(ConfigurationException.class,
        () -> config.driverSection("fake").orElseThrow().bind(Fake.class));
    assertFalse(fake.getMessage().contains(secret), fake.getMessage());
    for (EffectiveSetting s : config.settings()) {
      if (s.key().startsWith("fake.") || s.key().endsWith("password")
          || s.key().endsWith("secretKey") || s.key().endsWith("accessKey")) {
        assertEquals("****", s.value(), s.toString());
      }
    }
  }

  @Test
  void malformedYamlNeverEchoesTheLine() {
    String secret = "hunter2-secret-value";
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> yaml("virtualbox:\n  password: \"" + secret + "\n  endpoint: x\n"));
    assertFalse(e.getMessage().contains(secret), e.getMessage());
  }

  @Test
  void settingsListEveryEffectiveSettingWithItsSource() {
    StowageConfig config = ConfigLoader.builder()
        .yaml("t.yml", "docker:\n  size: 8\n")
        .environment(Map.of("EBS_REGION", "r1")).drivers(INSTALLED)
        .setting("stowage.storageDrivers", List.of("ebs")).load();
    assertEquals("8GiB @ t.yml:2", setting(config, "stowage.volume.create.default.size"));
    assertEquals("[ebs] @ code", setting(config, "stowage.storageDrivers"));
    assertEquals("r1 @ env EBS_REGION", setting(config, "ebs.region"));
    assertEquals("ext4 @ default", setting(config, "stowage.volume.create.default.fsType"));
    assertEquals("ebs @ code", setting(config, "stowage.services.ebs.driver"));
    assertEquals("unix:///run/docker/plugins/stowage.sock @ default",
        setting(config, "stowage.services.ebs.host"));
    assertEquals(Schema.SETTINGS.size() + 1 + 2, config.settings().size());
  }

  @Test
  void programmaticSettingsAcceptTypedValuesAndMaps() {
    StowageConfig config = ConfigLoader.builder()
        .setting("stowage.device.attachTimeout", Duration.ofSeconds(5))
        .setting("stowage.volume.mount.dataDirMode", 0750)
        .setting("stowage.volume.mount.preempt", true)
        .setting("fake", Map.of("root", "/tmp/x", "instanceId", "i-1"))
        .load();
    assertEquals(Duration.ofSeconds(5), config.volumeSettings().attachTimeout());
    assertEquals(0750, config.volumeSettings().dataDirMode());
    assertTrue(config.volumeSettings().preempt());
    record Fake(Path root, String instanceId) {}
    assertEquals(new Fake(Path.of("/tmp/x"), "i-1"),
        config.driverSection("fake").orElseThrow().bind(Fake.class));
  }

  @Test
  void ebsSpellingsRankEbsOverEc2OverAws() {
    StowageConfig config = yaml("""
        aws: {region: a, accessKey: k1}
        ec2: {region: b}
        ebs: {}
        """);
    record Ebs(String region, String accessKey) {}
    assertEquals(new Ebs("b", "k1"), config.driverSection("ebs").orElseThrow().bind(Ebs.class));
    StowageConfig withEbs = yaml("aws: {region: a}\nebs: {region: c}\nec2: {region: b}\n");
    record Region(String region) {}
    assertEquals(new Region("c"),
        withEbs.driverSection("ebs").orElseThrow().bind(Region.class));
  }
}
