package io.stowage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.Stowage;
import io.stowage.cli.plugin.PluginServer;
import io.stowage.driver.fake.SimulatedHost;
import io.stowage.model.MountRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stowage run --dvdi} in this JVM on the fake driver, with two named services as the
 * REX-Ray guide's Marathon app uses them: real loop devices and a private mount namespace as
 * root (asserted under CI=true), the simulated host otherwise where no bind is needed.
 */
class RunCommandTest {
  /** The REX-Ray guide's Marathon app (two volumes on platform1 and platform2). */
  private static final Path SEED_APP =
      Path.of("../examples/src/main/resources/marathon-dvdi-env.json");

  @TempDir
  Path dir;

  /** What a command did. */
  private record Outcome(int code, String out, String err) {}

  /**
   * Two services of the fake driver, each with its own back end, in the configuration's own
   * spelling; loop devices as root, else the simulated host.
   */
  private List<String> global(boolean loop) throws IOException {
    Path config = Files.writeString(dir.resolve("config.yml"), String.join("\n",
        "stowage:",
        "  storageDrivers: [fake]",
        "  state:",
        "    directory: " + dir.resolve("state"),
        "  volume:",
        "    mount:",
        "      root: " + dir.resolve("mnt"),
        "  services:",
        "    platform1:",
        "      driver: fake",
        "      fake:",
        "        root: " + dir.resolve("p1"),
        "    platform2:",
        "      driver: fake",
        "      fake:",
        "        root: " + dir.resolve("p2"),
        "fake:",
        "  root: " + dir.resolve("default"),
        "  devices: " + (loop ? "loop" : "simulated"),
        ""));
    List<String> args = new ArrayList<>(List.of("--config", config.toString()));
    if (!loop) {
      args.add("--simulated-host=" + dir.resolve("host"));
    }
    return args;
  }

  private Outcome stowage(List<String> global, Map<String, String> env, String... command) {
    List<String> args = new ArrayList<>(global);
    args.addAll(List.of(command));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err),
        env);
    return new Outcome(code, out.toString(), err.toString());
  }

  private Path envFile(String... lines) throws IOException {
    return Files.writeString(dir.resolve("task.env"), String.join("\n", lines) + "\n");
  }

  /** Asserts that the run left nothing: no mount or loop device under dir, no run record. */
  private void nothingLeft() throws IOException {
    assertEquals(List.of(), TestHost.mountsUnder(dir));
    if (TestHost.root()) {
      assertEquals(List.of(), TestHost.loopDevicesOver(dir));
    }
    Path runs = dir.resolve("state").resolve(RunJournal.DIRECTORY);
    if (Files.isDirectory(runs)) {
      try (Stream<Path> files = Files.list(runs)) {
        assertEquals(List.of(), files.toList());
      }
    }
  }

  @Test
  void theSeedAppsVolumesAreMountedOnTwoServicesBoundAtTheirContainerPathsAndReleased()
      throws Exception {
    boolean loop = TestHost.loopDevices();
    TestHost.require(loop, "root and loop devices, for real mounts and bind mounts");
    List<String> global = global(true);
    Path data = Files.createDirectories(dir.resolve("container/data"));
    Path logs = Files.createDirectories(dir.resolve("container/logs"));
    Path seen = dir.resolve("seen.txt");
    Path hostView = dir.resolve("host-view.txt");
    Path env = envFile(
        // The seed app's env block, with the container paths the guide leaves out.
        "DVDI_VOLUME_NAME=testing",
        "DVDI_VOLUME_DRIVER=platform1",
        "DVDI_VOLUME_OPTS=size=5,iops=150,volumetype=io1,newfstype=ext4,overwritefs=false",
        "DVDI_VOLUME_CONTAINERPATH=" + data,
        "DVDI_VOLUME_NAME1=testing2",
        "DVDI_VOLUME_DRIVER1=platform2",
        "DVDI_VOLUME_OPTS1=size=6,volumetype=gp2,newfstype=xfs,overwritefs=true",
        "DVDI_VOLUME_CONTAINERPATH1=" + logs);
    Outcome run = stowage(global, Map.of(), "run", "--dvdi", "--env-file", env.toString(),
        "--", "sh", "-c", "{ echo \"$DVDI_MOUNTPOINT\"; echo \"$DVDI_MOUNTPOINT1\";"
            + " cut -d' ' -f2,3 /proc/self/mounts; } > " + seen
            // Its parent is the launcher, in the host's mount namespace.
            + " && cut -d' ' -f2 /proc/$PPID/mounts > " + hostView
            + " && echo one > " + data + "/file && echo two > " + logs + "/file; exit 7");
    assertEquals(7, run.code(), run.err());
    List<String> lines = Files.readAllLines(seen);
    assertEquals(dir.resolve("mnt/testing/data").toString(), lines.get(0));
    assertEquals(dir.resolve("mnt/testing2/data").toString(), lines.get(1));
    assertTrue(lines.contains(dir.resolve("mnt/testing") + " ext4"), lines.toString());
    assertTrue(lines.contains(dir.resolve("mnt/testing2") + " xfs"), lines.toString());
    assertTrue(lines.contains(data + " ext4"), "bound at its container path: " + lines);
    assertTrue(lines.contains(logs + " xfs"), "bound at its container path: " + lines);
    List<String> host = Files.readAllLines(hostView);
    assertTrue(host.contains(dir.resolve("mnt/testing").toString()), host.toString());
    assertFalse(host.contains(data.toString()) || host.contains(logs.toString()),
        "the host does not see the binds: " + host);
    nothingLeft();
    assertFalse(Files.exists(data.resolve("file")), "the host never saw the bind");

    // The files went to the volumes. The app, run through the same services, finds the first;
    // the second volume's options say overwritefs=true, so it is formatted afresh.
    Outcome again = stowage(global, Map.of(), "run", "--dvdi", "--app", SEED_APP.toString(), "--",
        "sh", "-c", "cat \"$DVDI_MOUNTPOINT/file\" > " + seen + " && ls -A \"$DVDI_MOUNTPOINT1\""
            + " >> " + seen);
    assertEquals(0, again.code(), again.err());
    assertEquals(List.of("one"), Files.readAllLines(seen));
    nothingLeft();
  }

  @Test
  void withBindHostTheBindsAreMadeOnTheHostAndRemovedAfterTheCommand() throws Exception {
    TestHost.require(TestHost.loopDevices(), "root and loop devices, for bind mounts");
    List<String> global = global(true);
    Path data = Files.createDirectories(dir.resolve("container/data"));
    Path hostView = dir.resolve("host-view.txt");
    Outcome run = stowage(global, Map.of(), "run", "--dvdi", "--bind", "host", "--env-file",
        envFile("DVDI_VOLUME_NAME=testing", "DVDI_VOLUME_DRIVER=platform1",
            "DVDI_VOLUME_CONTAINERPATH=" + data).toString(), "--", "sh", "-c",
        "cut -d' ' -f2 /proc/$PPID/mounts > " + hostView + " && echo one > " + data + "/file");
    assertEquals(0, run.code(), run.err());
    assertTrue(Files.readAllLines(hostView).contains(data.toString()),
        "bound on the host while the command ran");
    assertFalse(Files.exists(data.resolve("file")), "the bind was removed");
    nothingLeft();
  }

  @Test
  void aCommandNotFoundExits127AndOneNotExecutable126WithEveryMountReleased()
      throws Exception {
    List<String> global = global(TestHost.loopDevices());
    Path env = envFile("DVDI_VOLUME_NAME=testing", "DVDI_VOLUME_DRIVER=platform1",
        "DVDI_VOLUME_NAME1=testing2", "DVDI_VOLUME_DRIVER1=platform2");
    Outcome missing = stowage(global, Map.of(), "run", "--dvdi", "--env-file", env.toString(),
        "--", dir.resolve("no-such-command").toString());
    assertEquals(127, missing.code(), missing.err());
    nothingLeft();
    Path script = Files.writeString(dir.resolve("script"), "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
    Outcome notExecutable = stowage(global, Map.of(), "run", "--dvdi", "--env-file",
        env.toString(), "--", script.toString());
    assertEquals(126, notExecutable.code(), notExecutable.err());
    nothingLeft();
    Outcome ok = stowage(global, Map.of(), "run", "--dvdi", "--env-file", env.toString(), "--",
        "true");
    assertEquals(0, ok.code(), ok.err());
    nothingLeft();
  }

  @Test
  void badInputIsAUsageErrorNamingTheVariableAndNothingIsMounted() throws Exception {
    List<String> global = global(false);
    Outcome badSuffix = stowage(global, Map.of(), "run", "--dvdi", "--env-file", envFile(
        "DVDI_VOLUME_NAME=testing", "DVDI_VOLUME_DRIVER=platform1",
        "DVDI_VOLUME_NAME12=testing2").toString(), "--", "true");
    assertEquals(ExitCodes.USAGE, badSuffix.code(), badSuffix.err());
    assertTrue(badSuffix.err().contains("DVDI_VOLUME_NAME12"), badSuffix.err());
    assertTrue(badSuffix.err().contains("docs/operations.md#invalid-argument-exception"),
        badSuffix.err());

    // The first volume is fine; the second's container path, neither under /tmp (which would
    // be created) nor existing, is not: neither is mounted.
    Path absent = Path.of("/stowage-absent-" + dir.getFileName());
    Outcome badPath = stowage(global, Map.of(), "run", "--dvdi", "--env-file", envFile(
        "DVDI_VOLUME_NAME=testing", "DVDI_VOLUME_DRIVER=platform1",
        "DVDI_VOLUME_NAME1=testing2", "DVDI_VOLUME_DRIVER1=platform2",
        "DVDI_VOLUME_CONTAINERPATH1=" + absent).toString(), "--", "true");
    assertEquals(ExitCodes.USAGE, badPath.code(), badPath.err());
    assertTrue(badPath.err().contains("DVDI_VOLUME_CONTAINERPATH1"), badPath.err());
    assertFalse(Files.exists(absent));

    Map<String, String> environment = Map.of("DVDI_VOLUME_NAME", "a;b");
    Outcome forbidden = stowage(global, environment, "run", "--dvdi", "--", "true");
    assertEquals(ExitCodes.USAGE, forbidden.code(), forbidden.err());
    assertTrue(forbidden.err().contains("invalid DVDI_VOLUME_NAME"), forbidden.err());

    Outcome unknownDriver = stowage(global, Map.of("DVDCLI_PLUGIN_DIRS",
        dir.resolve("plugins").toString()), "run", "--dvdi", "--env-file", envFile(
        "DVDI_VOLUME_NAME=testing", "DVDI_VOLUME_DRIVER=platform9").toString(), "--", "true");
    assertEquals(ExitCodes.NOT_FOUND, unknownDriver.code(), unknownDriver.err());
    assertTrue(unknownDriver.err().contains("DVDI_VOLUME_NAME names driver platform9"),
        unknownDriver.err());

    Outcome both = stowage(global, Map.of(), "run", "--dvdi", "--env-file", "a", "--app", "b",
        "--", "true");
    assertEquals(ExitCodes.USAGE, both.code(), both.err());
    Outcome none = stowage(global, Map.of(), "run", "--dvdi", "--", "true");
    assertEquals(ExitCodes.USAGE, none.code(), none.err());
    assertEquals(ExitCodes.USAGE, stowage(global, Map.of(), "run", "--", "true").code());

    Outcome ls = stowage(global, Map.of(), "--service", "platform1", "volume", "ls");
    assertEquals(0, ls.code(), ls.err());
    assertEquals(1, ls.out().lines().count(), "no volume was created: " + ls.out());
    nothingLeft();
  }

  @Test
  void aDriverThatIsNoServiceButAPluginSocketIsMountedThroughThePluginWithTheRunsCaller()
      throws Exception {
    List<String> global = global(false);
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    try (Stowage other = Stowage.builder()
        .setting("stowage.storageDrivers", "fake")
        .setting("fake.root", dir.resolve("other"))
        .setting("fake.devices", "simulated")
        .setting("stowage.state.directory", dir.resolve("other-state"))
        .setting("stowage.volume.mount.root", dir.resolve("other-mnt"))
        .host(new SimulatedHost(dir.resolve("other-host"))).build();
        PluginServer server = PluginServer.builder(other.volumes())
            .socket(plugins.resolve("elsewhere.sock")).build()) {
      server.start();
      // Another user holds the volume, so the run's release must not unmount it.
      other.volumes().mount("shared", MountRequest.builder().caller("someone").build());
      Path seen = dir.resolve("seen.txt");
      Map<String, String> environment = new HashMap<>(Map.of(
          "DVDCLI_PLUGIN_DIRS", plugins.toString(),
          "DVDI_VOLUME_NAME", "shared", "DVDI_VOLUME_DRIVER", "elsewhere",
          "DVDI_VOLUME_NAME1", "fresh", "DVDI_VOLUME_DRIVER1", "elsewhere",
          "DVDI_VOLUME_OPTS1", "size=2"));
      Outcome run = stowage(global, environment, "run", "--dvdi", "--", "sh", "-c",
          "echo \"$DVDI_MOUNTPOINT $DVDI_MOUNTPOINT1\" > " + seen);
      assertEquals(0, run.code(), run.err());
      assertEquals(dir.resolve("other-mnt/shared/data") + " "
          + dir.resolve("other-mnt/fresh/data"), Files.readString(seen).strip());
      assertTrue(other.volumes().path("shared").isPresent(), "someone still holds it");
      assertTrue(other.volumes().path("fresh").isEmpty(), "the run's only use was released");
      assertEquals(2, other.volumes().find("fresh").orElseThrow().size().toGiBRoundedUp());

      // An explicitly created volume the plugin lacks stops the run before the first mount.
      environment.putAll(Map.of("DVDI_VOLUME_NAME1", "absent",
          "DVDI_VOLUME_EXPLICITCREATE1", "true"));
      Outcome missing = stowage(global, environment, "run", "--dvdi", "--", "true");
      assertEquals(ExitCodes.NOT_FOUND, missing.code(), missing.err());
      assertTrue(other.volumes().find("absent").isEmpty());
      assertEquals(List.of(), other.volumes().list().stream().filter(v -> other.volumes()
          .path(v.name().value()).isPresent()).map(v -> v.name().value())
          .filter(n -> !n.equals("shared")).toList(), "nothing else mounted");
    }
    nothingLeft();
  }
}
