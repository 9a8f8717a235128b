package io.stowage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stowage.cli.Commands.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Docker daemon (Debian's docker.io, private to this class) uses the packaged
 * {@code bin/stowage service} as its volume plugin, through the {@code docker} command, with
 * the fake back end on real loop devices. The plugin gets a name of its own for the run, so its
 * socket in Docker's {@code /run/docker/plugins} cannot meet another; the seed's dvdcli line
 * reaches the same service as {@code rexray} through a spec file in a private directory.
 */
class DockerIT {
  private static final Path DIST = Path.of(System.getProperty("stowage.dist", "target/stowage"));
  private static final Path BUSYBOX = Path.of("/bin/busybox");
  private static final Path PLUGIN_DIR = Path.of("/run/docker/plugins");
  private static final String IMAGE = "stowage-busybox:test";
  /** A container that holds its volume until SIGTERM, then exits at once. */
  private static final List<String> HOLD = List.of("sh", "-c",
      "trap 'exit 0' TERM; sleep 600 & wait");
  private static final Duration UNMOUNT_WAIT = Duration.ofSeconds(30);

  @TempDir
  static Path dir;
  private static String plugin;
  private static List<String> global;
  private static List<String> service;
  private static DockerDaemon docker;
  private static Instant started;
  private final ObjectMapper json = new ObjectMapper();

  @BeforeAll
  static void startDaemonAndPlugin() throws Exception {
    TestHost.require(TestHost.root() && Files.exists(Path.of("/dev/loop-control")),
        "root and loop devices");
    TestHost.require(Files.isExecutable(DockerDaemon.DOCKERD)
        && Files.isExecutable(DockerDaemon.DOCKER) && Files.isRegularFile(BUSYBOX),
        "docker.io and busybox-static (scripts/install-packages)");
    started = Instant.now();
    plugin = "stowage-test-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    global = TestHost.stowageOptions(dir);
    service = List.of("--name", plugin, "--socket-dir", PLUGIN_DIR.toString(),
        "--run-dir", dir.resolve("run").toString());
    Result start = stowage("service", "start");
    assertEquals(0, start.code(), start.output());
    Path dvdcliDir = Files.createDirectories(dir.resolve("dvdcli"));
    Files.writeString(dvdcliDir.resolve("rexray.spec"), "unix://" + socket() + "\n");
    docker = DockerDaemon.start(dir.resolve("docker"), plugin);
    docker.importBusybox(BUSYBOX, IMAGE, List.of("sh", "cat", "echo", "sleep"));
  }

  @AfterAll
  static void stopDaemonAndPlugin() throws Exception {
    List<String> problems = new ArrayList<>();
    try {
      if (docker != null) {
        docker.close();
      }
    } finally {
      if (plugin != null) {
        Result stop = stowage("service", "stop");
        if (stop.code() != 0) {
          problems.add("service stop failed: " + stop.output());
        }
        if (Files.deleteIfExists(socket())) {
          problems.add("the plugin socket was left behind");
        }
        releaseVolumes(problems);
      }
    }
    if (!problems.isEmpty()) {
      fail(String.join("\n", problems));
    }
  }

  /** Unmounts and detaches what a failed test left; any of it is itself a failure. */
  private static void releaseVolumes(List<String> problems) throws Exception {
    if (!TestHost.mountsUnder(dir).isEmpty() || !TestHost.loopDevicesOver(dir).isEmpty()) {
      problems.add("left behind: mounts " + TestHost.mountsUnder(dir) + ", loop devices "
          + TestHost.loopDevicesOver(dir));
      for (JsonNode v : new ObjectMapper().readTree(stowage("-o", "json", "volume", "ls")
          .out())) {
        stowage("volume", "unmount", v.get("name").asText(), "--force");
        stowage("volume", "detach", v.get("name").asText(), "--force");
      }
    }
  }

  private static Path socket() {
    return PLUGIN_DIR.resolve(plugin + ".sock");
  }

  private static Result stowage(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(DIST.resolve("bin/stowage").toString());
    command.addAll(global);
    command.addAll(List.of(args));
    if (args[0].equals("service")) {
      command.addAll(service);
    }
    return Commands.run(command, Map.of(), Duration.ofMinutes(2));
  }

  private static Result docker(String... args) throws Exception {
    return docker.docker(args);
  }

  private static String ok(Result result) {
    assertEquals(0, result.code(), result.output());
    return result.out().strip();
  }

  private JsonNode inspect(String volume) throws Exception {
    return json.readTree(ok(docker("volume", "inspect", volume))).get(0);
  }

  private static List<String> dockerVolumes() throws Exception {
    return ok(docker("volume", "ls", "--format", "{{.Driver}} {{.Name}}")).lines().toList();
  }

  private List<String> backEndVolumes() throws Exception {
    List<String> names = new ArrayList<>();
    json.readTree(ok(stowage("-o", "json", "volume", "ls")))
        .forEach(v -> names.add(v.get("name").asText()));
    return names;
  }

  /** Starts a container that holds the volume on /data; returns its ID. */
  private static String hold(String volume) throws Exception {
    List<String> run = new ArrayList<>(List.of("run", "--detach", "--network", "none",
        "--volume", volume + ":/data", IMAGE));
    run.addAll(HOLD);
    return ok(docker(run.toArray(String[]::new)));
  }

  /**
   * Runs a command in a container with the volume on /data, created by Docker through the plugin
   * when new; returns its output once Docker has unmounted the volume again.
   */
  private static String run(String volume, String... command) throws Exception {
    Path cidFile = dir.resolve("cid-" + ThreadLocalRandom.current().nextLong(Long.MAX_VALUE));
    List<String> run = new ArrayList<>(List.of("run", "--rm", "--cidfile", cidFile.toString(),
        "--network", "none", "--volume-driver", plugin, "--volume", volume + ":/data", IMAGE));
    run.addAll(List.of(command));
    String out = ok(docker(run.toArray(String[]::new)));
    awaitUnmountFor(Files.readString(cidFile).strip(), volume);
    return out;
  }

  private static Path mountpoint(String volume) {
    return dir.resolve("mnt").resolve(volume).resolve("data");
  }

  private static boolean mounted(String volume) throws IOException {
    return TestHost.mountsUnder(dir.resolve("mnt")).contains(dir.resolve("mnt").resolve(volume));
  }

  /**
   * Waits until Docker reports it unmounted the volume for the container: it logs that event
   * once the plugin has answered the container's Unmount.
   */
  private static void awaitUnmountFor(String container, String volume) throws Exception {
    long deadline = System.nanoTime() + UNMOUNT_WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      Instant now = Instant.now();
      Result events = docker("events", "--since", Long.toString(started.getEpochSecond()),
          "--until", now.getEpochSecond() + "." + String.format("%09d", now.getNano()),
          "--filter", "type=volume", "--filter", "event=unmount", "--filter",
          "volume=" + volume, "--format", "{{.Actor.Attributes.container}}");
      if (ok(events).lines().anyMatch(container::equals)) {
        return;
      }
      Thread.sleep(100);
    }
    fail("Docker did not unmount " + volume + " for " + container + " within " + UNMOUNT_WAIT);
  }

  @Test
  void volumeCreateWithOptionsLsInspectAndRm() throws Exception {
    Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    assertEquals("va", ok(docker("volume", "create", "--driver", plugin, "--opt", "size=1",
        "--opt", "volumetype=gp3", "--opt", "iops=300", "va")));
    assertTrue(dockerVolumes().contains(plugin + " va"), dockerVolumes().toString());

    JsonNode va = inspect("va");
    assertEquals(plugin, va.get("Driver").asText());
    assertEquals("global", va.get("Scope").asText());
    Instant created = OffsetDateTime.parse(va.get("CreatedAt").asText()).toInstant();
    assertFalse(created.isBefore(before), va.toString());
    assertFalse(created.isAfter(Instant.now()), va.toString());
    assertEquals("", va.get("Mountpoint").asText());
    assertEquals(1, va.at("/Status/size").asInt());
    assertEquals("gp3", va.at("/Status/type").asText());
    assertEquals(300, va.at("/Status/iops").asInt());

    String container = hold("va");
    assertEquals(mountpoint("va").toString(), inspect("va").get("Mountpoint").asText());
    assertTrue(mounted("va"));
    ok(docker("stop", container));
    awaitUnmountFor(container, "va");
    ok(docker("rm", container));
    assertFalse(mounted("va"));
    assertEquals("", inspect("va").get("Mountpoint").asText());

    ok(docker("volume", "rm", "va"));
    assertFalse(dockerVolumes().contains(plugin + " va"), dockerVolumes().toString());
    assertFalse(backEndVolumes().contains("va"));
  }

  @Test
  void aFileWrittenInOneContainerIsReadInTheNext() throws Exception {
    String text = "written at " + Instant.now();
    run("vb", "sh", "-c", "echo \"$1\" > /data/note", "sh", text);
    assertEquals(text, run("vb", "cat", "/data/note"));
    assertEquals(plugin, inspect("vb").get("Driver").asText(), "created by Docker on first use");
    assertFalse(mounted("vb"));
  }

  @Test
  void twoContainersShareAVolumeMountedUntilTheLastStops() throws Exception {
    ok(docker("volume", "create", "--driver", plugin, "vc"));
    String first = hold("vc");
    String second = hold("vc");
    ok(docker("exec", first, "sh", "-c", "echo shared > /data/s"));
    assertEquals("shared", ok(docker("exec", second, "cat", "/data/s")));

    ok(docker("stop", first));
    awaitUnmountFor(first, "vc");
    assertTrue(mounted("vc"), "the second container still uses it");
    assertEquals(mountpoint("vc").toString(), inspect("vc").get("Mountpoint").asText());
    assertEquals("shared", ok(docker("exec", second, "cat", "/data/s")));

    ok(docker("stop", second));
    awaitUnmountFor(second, "vc");
    assertFalse(mounted("vc"));
    assertEquals("", inspect("vc").get("Mountpoint").asText());
    ok(docker("rm", first, second));
  }

  @Test
  void aContainerKilledWithSigkillLeavesNothingMounted() throws Exception {
    ok(docker("volume", "create", "--driver", plugin, "--opt", "size=1", "vd"));
    String container = hold("vd");
    assertTrue(mounted("vd"));
    ok(docker("kill", "--signal", "KILL", container));
    assertEquals("137", ok(docker("wait", container)));
    awaitUnmountFor(container, "vd");
    assertFalse(mounted("vd"));
    JsonNode backEnd = json.readTree(ok(stowage("-o", "json", "volume", "inspect", "vd")));
    assertEquals(0, backEnd.get("attachments").size(), backEnd.toString());
    Path image = Path.of(backEnd.at("/fields/image").asText());
    assertTrue(TestHost.loopDevicesOver(image).isEmpty(), "the loop device is detached");
    ok(docker("rm", container));
  }

  @Test
  void aVolumeCreatedReadOnlyIsReadOnlyInEveryContainer() throws Exception {
    ok(docker("volume", "create", "--driver", plugin, "--opt", "ro=true",
        "--opt", "mountoptions=noatime+nodev", "vh"));
    String container = hold("vh");
    Result write = docker("exec", container, "sh", "-c", "echo refused > /data/f");
    assertNotEquals(0, write.code(), write.output());
    assertTrue(write.err().contains("Read-only file system"), write.err());
    ok(docker("stop", container));
    awaitUnmountFor(container, "vh");
    assertFalse(mounted("vh"));
    ok(docker("rm", container));
  }

  @Test
  void aBadOptionShowsThePluginsOwnError() throws Exception {
    Result create = docker("volume", "create", "--driver", plugin, "--opt", "sise=1", "ve");
    assertNotEquals(0, create.code());
    assertTrue(create.err().contains("invalid volume option \"sise\": unknown option"
        + " (did you mean size?)"), create.err());
    assertFalse(dockerVolumes().contains(plugin + " ve"));
    assertFalse(backEndVolumes().contains("ve"));
  }

  @Test
  void aVolumeHeldAcrossAPluginRestartStaysUsableAndIsUnmountedAtTheEnd() throws Exception {
    ok(docker("volume", "create", "--driver", plugin, "vf"));
    String container = hold("vf");
    ok(docker("exec", container, "sh", "-c", "echo before > /data/f"));

    assertEquals(0, stowage("service", "stop").code());
    assertFalse(Files.exists(socket()));
    Result restart = stowage("service", "start");
    assertEquals(0, restart.code(), restart.output());

    assertTrue(mounted("vf"));
    ok(docker("exec", container, "sh", "-c", "echo after >> /data/f"));
    assertEquals("before\nafter", ok(docker("exec", container, "cat", "/data/f")));
    assertEquals(mountpoint("vf").toString(), inspect("vf").get("Mountpoint").asText());
    assertEquals("before\nafter", run("vf", "cat", "/data/f"));
    assertTrue(mounted("vf"), "the held use survived the other container's unmount");

    ok(docker("stop", container));
    awaitUnmountFor(container, "vf");
    assertFalse(mounted("vf"));
    ok(docker("rm", container));
  }

  @Test
  void theSeedDvdcliLineRunsWhileTheDaemonUsesThePlugin() throws Exception {
    ok(docker("volume", "create", "--driver", plugin, "vg"));
    String dockerUse = hold("vg");
    Map<String, String> env = Map.of("DVDCLI_PLUGIN_DIRS", dir.resolve("dvdcli").toString());
    List<String> command = new ArrayList<>(List.of(DIST.resolve("bin/dvdcli").toString()));
    command.addAll(TestHost.dvdcliFixtureArguments());
    Result mount = Commands.run(command, env, Duration.ofMinutes(2));
    Path volume = mountpoint("test123456789");
    assertEquals(volume + "\n", mount.out(), mount.output());
    Files.writeString(volume.resolve("from-dvdcli"), "hello");

    JsonNode seen = inspect("test123456789");
    assertEquals(plugin, seen.get("Driver").asText());
    assertEquals(volume.toString(), seen.get("Mountpoint").asText());
    assertEquals(5, seen.at("/Status/size").asInt());
    assertEquals("io1", seen.at("/Status/type").asText());
    assertEquals(150, seen.at("/Status/iops").asInt());
    String container = hold("test123456789");
    assertEquals("hello", ok(docker("exec", container, "cat", "/data/from-dvdcli")));

    Result unmount = Commands.run(List.of(DIST.resolve("bin/dvdcli").toString(), "unmount",
        "--volumedriver=rexray", "--volumename=test123456789"), env, Duration.ofMinutes(2));
    assertEquals(0, unmount.code(), unmount.output());
    assertTrue(mounted("test123456789"), "the container still uses it");
    ok(docker("stop", container));
    awaitUnmountFor(container, "test123456789");
    assertFalse(mounted("test123456789"));
    assertTrue(mounted("vg"), "Docker's other volume was untouched");
    ok(docker("stop", dockerUse));
    awaitUnmountFor(dockerUse, "vg");
    assertFalse(mounted("vg"));
    ok(docker("rm", container, dockerUse));
  }
}
