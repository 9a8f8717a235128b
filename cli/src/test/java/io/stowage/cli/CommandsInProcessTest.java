package io.stowage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stowage.driver.fake.SimulatedHost;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stowage command in this JVM, on the fake driver's simulated host: duration flags, the
 * volume JSON, and commands that read the configuration without opening Stowage.
 */
class CommandsInProcessTest {
  private final ObjectMapper json = new ObjectMapper();

  @TempDir
  Path dir;

  /** What a command did. */
  private record Outcome(int code, String out, String err) {}

  private Outcome stowage(String... command) {
    return stowage(Map.of(), command);
  }

  private Outcome stowage(Map<String, String> environment, String... command) {
    List<String> args = new ArrayList<>(List.of("--set=stowage.storageDrivers=fake",
        "--set=fake.root=" + dir.resolve("fake"), "--set=fake.devices=simulated",
        "--simulated-host=" + dir.resolve("host"),
        "--set=stowage.state.directory=" + dir.resolve("state"),
        "--set=stowage.volume.mount.root=" + dir.resolve("mnt")));
    args.addAll(List.of(command));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err),
        environment);
    return new Outcome(code, out.toString(), err.toString());
  }

  @Test
  void everyDurationFlagTakesGoStyleIsoAndSecondsAndRejectsTheRest() {
    assertEquals(0, stowage("volume", "create", "v1", "--opt", "size=1").code());
    int caller = 0;
    for (String timeout : List.of("30s", "1m30s", "500ms", "PT90S", "90")) {
      Outcome mount = stowage("volume", "mount", "v1", "--caller", "c" + caller++,
          "--timeout", timeout);
      assertEquals(0, mount.code(), timeout + ": " + mount.err());
    }
    Outcome bad = stowage("volume", "mount", "v1", "--timeout", "soon");
    assertEquals(ExitCodes.USAGE, bad.code(), bad.err());
    assertTrue(bad.err().contains("invalid --timeout \"soon\""), bad.err());
    assertEquals(ExitCodes.USAGE, stowage("volume", "mount", "v1", "--timeout", "0s").code());

    List<String> where = List.of("--name", "t", "--socket-dir", dir.resolve("s").toString(),
        "--run-dir", dir.resolve("r").toString());
    List<String> stop = new ArrayList<>(List.of("service", "stop", "--timeout", "2m"));
    stop.addAll(where);
    Outcome stopped = stowage(stop.toArray(String[]::new));
    assertEquals(0, stopped.code(), stopped.err());
    assertTrue(stopped.out().contains("not running"), stopped.out());
    stop.set(3, "forever");
    Outcome badStop = stowage(stop.toArray(String[]::new));
    assertEquals(ExitCodes.USAGE, badStop.code());
    assertTrue(badStop.err().contains("invalid --timeout \"forever\""), badStop.err());
    List<String> start = new ArrayList<>(List.of("service", "start", "--start-timeout", "1x"));
    start.addAll(where);
    Outcome badStart = stowage(start.toArray(String[]::new));
    assertEquals(ExitCodes.USAGE, badStart.code());
    assertTrue(badStart.err().contains("invalid --start-timeout \"1x\""), badStart.err());
    assertFalse(Files.exists(dir.resolve("r")), "a bad flag starts nothing");
  }

  @Test
  void mountTakesReadOnlyAndRepeatableMountOptions() {
    Outcome mount = stowage("volume", "mount", "v2", "--caller", "a", "--read-only",
        "--mount-option", "noatime", "--mount-option", "nodev");
    assertEquals(0, mount.code(), mount.err());
    assertEquals(List.of("ro", "noatime", "nodev"), optionsOfMountAt(dir.resolve("mnt/v2")));

    Outcome writer = stowage("volume", "mount", "v2", "--caller", "b", "--no-read-only",
        "--mount-option", "noatime", "--mount-option", "nodev");
    assertEquals(ExitCodes.IN_USE, writer.code(), writer.err());
    assertTrue(writer.err().contains("read-only with [noatime, nodev] by [a]")
        && writer.err().contains("caller b asks for read-write"), writer.err());

    for (String bad : List.of("exec,suid", "bind", "noatime=1", "rw")) {
      Outcome refused = stowage("volume", "mount", "v2", "--caller", "c", "--read-only",
          "--mount-option", bad);
      assertEquals(ExitCodes.USAGE, refused.code(), bad + ": " + refused.err());
    }
    assertEquals(0, stowage("volume", "unmount", "v2", "--caller", "a").code());
    assertEquals(List.of(), new SimulatedHost(dir.resolve("host")).mounts());
  }

  private List<String> optionsOfMountAt(Path mountPoint) {
    return new SimulatedHost(dir.resolve("host")).mountsAt(mountPoint).get(0).options();
  }

  @Test
  void aUsageErrorMasksTheSecretsOfTheCommandLineAndNamesNoJavaType() {
    Outcome unknown = stowage("volume", "ls", "--opt", "encryptionkey=Sx key,x",
        "--set=virtualbox.password=Sx pass");
    assertEquals(ExitCodes.USAGE, unknown.code(), unknown.err());
    assertTrue(unknown.err().contains("'encryptionkey=****'"), unknown.err());
    assertFalse(unknown.err().contains("Sx"), unknown.err());
    Outcome badPath = stowage("--config", "a\u0000b", "config", "check");
    assertEquals(ExitCodes.USAGE, badPath.code(), badPath.err());
    assertTrue(badPath.err().contains("not a path"), badPath.err());
    assertFalse(badPath.err().contains("java."), badPath.err());
  }

  @Test
  void aMountThatFailsAndIsUndoneWarnsWithoutJavaTypes() {
    Outcome[] mount = new Outcome[1];
    String warning = Outputs.standardErrorOf(() -> mount[0] = stowage(
        "--set=fake.failOn=attach:1", "volume", "mount", "v1"));
    assertEquals(ExitCodes.GENERAL, mount[0].code(), mount[0].err());
    assertTrue(warning.contains("Mount of v1 failed at step 'attach' (fake: injected failure"),
        warning);
    assertFalse(warning.contains("Exception") || mount[0].err().contains("Exception"),
        warning + mount[0].err());
  }

  @Test
  void aUrlPasswordStaysMaskedInAValueThatIsReadAsAPath() {
    Outcome check = stowage("--set=fake.root=http://admin:pw-1234@host:9", "config", "check");
    assertEquals(ExitCodes.CONFIG, check.code(), check.err());
    assertTrue(check.err().contains("invalid root"), check.err());
    assertFalse(check.err().contains("pw-1234"), check.err());
  }

  @Test
  void doctorLooksForCommandsInTheAbsoluteDirectoriesOfPathOnly() throws Exception {
    Path rel = Path.of("").toAbsolutePath().relativize(Files.createDirectories(dir.resolve("bin")));
    Path fake = Files.writeString(dir.resolve("bin/mkfs.xfs"), "#!/bin/sh\n");
    fake.toFile().setExecutable(true);
    Outcome doctor = stowage(Map.of("PATH", rel + ":a\u0000b:/nonexistent"), "-o", "json",
        "doctor");
    assertFalse(doctor.err().contains("internal error"), doctor.err());
    for (JsonNode check : json.readTree(doctor.out())) {
      assertFalse(check.get("detail").asText().contains(fake.toString())
          || check.get("detail").asText().contains(rel.toString()), doctor.out());
    }
  }

  @Test
  void everyServiceDirectoryFlagMustBeAbsoluteAndABadOneCreatesNothing() throws Exception {
    Path cwd = Path.of("").toAbsolutePath();
    List<String> before = TestHost.names(cwd);
    String rel = "rel-" + ProcessHandle.current().pid();
    for (String command : List.of("start", "stop", "status")) {
      for (String flag : List.of("--socket-dir", "--run-dir")) {
        List<String> args = new ArrayList<>(List.of("service", command, "--name", "t",
            "--socket-dir", dir.resolve("s").toString(), "--run-dir", dir.resolve("r").toString()));
        args.set(args.indexOf(flag) + 1, rel);
        Outcome o = stowage(args.toArray(String[]::new));
        assertEquals(ExitCodes.USAGE, o.code(), command + " " + flag + ": " + o.err());
        assertTrue(o.err().contains("invalid " + flag + " \"" + rel + "\": must be an absolute"
            + " path"), o.err());
        assertFalse(o.err().contains("at io.stowage"), o.err());
      }
    }
    assertEquals(before, TestHost.names(cwd), "nothing was created in the working directory");
    assertFalse(Files.exists(dir.resolve("s")) || Files.exists(dir.resolve("r")));
  }

  @Test
  void aMountRootOnAReadOnlyFileSystemFailsConfigCheckAndDoctorWhichCreateNothing()
      throws Exception {
    TestHost.require(TestHost.root(), "root, to mount a read-only file system");
    Path ro = Files.createDirectories(dir.resolve("ro"));
    command("mount", "-t", "tmpfs", "-o", "ro,size=1m", "stowage-test-ro", ro.toString());
    try {
      String root = "--set=stowage.volume.mount.root=" + ro.resolve("volumes");
      Outcome check = stowage(root, "config", "check");
      assertEquals(ExitCodes.CONFIG, check.code(), check.out() + check.err());
      assertTrue(check.err().contains("stowage.volume.mount.root " + ro.resolve("volumes")
          + " is on a read-only file system"), check.err());
      Outcome doctor = stowage(root, "-o", "json", "doctor");
      assertEquals(ExitCodes.CHECK_FAILED, doctor.code(), doctor.out() + doctor.err());
      JsonNode mountRoot = null;
      for (JsonNode c : json.readTree(doctor.out())) {
        if (c.get("check").asText().equals("mount root")) {
          mountRoot = c;
        }
      }
      assertTrue(mountRoot != null, doctor.out());
      assertEquals("fail", mountRoot.get("status").asText(), doctor.out());
      assertTrue(mountRoot.get("detail").asText().contains("read-only"), doctor.out());
      Outcome writable = stowage("config", "check");
      assertEquals(0, writable.code(), writable.err());
      try (var left = Files.list(ro)) {
        assertEquals(List.of(), left.toList());
      }
      assertFalse(Files.exists(dir.resolve("state")), "no host state was created");
    } finally {
      command("umount", ro.toString());
    }
  }

  private static void command(String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), String.join(" ", argv) + ": " + output);
  }


  @Test
  void volumeJsonUsesLibStorageNamesAndTheTableShowsTheSizeForPeople() throws Exception {
    assertEquals(0, stowage("volume", "create", "v1", "--opt", "size=2", "--opt", "iops=100",
        "--opt", "volumetype=io1").code());
    JsonNode inspect = json.readTree(stowage("-o", "json", "volume", "inspect", "v1").out());
    assertEquals(2, inspect.get("size").asInt());
    assertEquals(2L << 30, inspect.get("sizeBytes").asLong());
    assertEquals("io1", inspect.get("type").asText());
    assertEquals(100, inspect.get("iops").asInt());
    assertEquals("fake", inspect.get("driver").asText());
    assertEquals("", inspect.get("mountpoint").asText());
    JsonNode ls = json.readTree(stowage("-o", "json", "volume", "ls").out());
    assertEquals(inspect, ls.get(0));
    String table = stowage("volume", "inspect", "v1").out();
    assertTrue(table.lines().anyMatch(l -> l.matches("size +2GiB")), table);
  }

  @Test
  void doctorReportsEachDriversStepsAndTheConfigCommandsOpenNothing() throws Exception {
    Outcome doctor = stowage("-o", "json", "doctor");
    JsonNode checks = json.readTree(doctor.out());
    JsonNode opens = null;
    for (JsonNode check : checks) {
      if (check.get("check").asText().equals("driver fake opens")) {
        opens = check;
      }
    }
    assertTrue(opens != null, doctor.out());
    assertEquals("ok", opens.get("status").asText(), doctor.out());
    assertTrue(opens.get("detail").asText().startsWith("local instance "), doctor.out());
    assertTrue(doctor.out().contains("can be created in"), doctor.out());

    Outcome show = stowage("config", "show");
    assertEquals(0, show.code(), show.err());
    assertTrue(show.out().contains(dir.resolve("fake").toString()), show.out());
    Outcome check = stowage("config", "check");
    assertEquals(0, check.code(), check.err());
    assertTrue(check.out().startsWith("configuration OK: drivers [fake]"), check.out());
    Outcome drivers = stowage("driver", "ls");
    assertEquals(0, drivers.code(), drivers.err());
    assertTrue(drivers.out().lines().anyMatch(l -> l.matches("fake +yes .*")), drivers.out());
    assertFalse(Files.exists(dir.resolve("state")), "no host state was created");
  }

  @Test
  void snapshotsAreTakenListedRestoredCopiedAndRemoved() throws Exception {
    assertEquals(0, stowage("volume", "create", "v1", "--opt", "size=1").code());
    Outcome created = stowage("--set=fake.regions=fake-2", "snapshot", "create", "v1",
        "--name", "nightly", "--tag", "team=db", "--wait");
    assertEquals(0, created.code(), created.err());
    String id = created.out().strip();

    JsonNode ls = json.readTree(stowage("-o", "json", "snapshot", "ls").out());
    assertEquals(1, ls.size(), ls.toString());
    assertEquals(id, ls.get(0).get("id").asText());
    assertEquals("nightly", ls.get(0).get("name").asText());
    assertEquals("db", ls.get(0).get("tags").get("team").asText());
    assertEquals(1, ls.get(0).get("size").asInt());
    JsonNode inspect = json.readTree(stowage("-o", "json", "snapshot", "inspect", "nightly")
        .out());
    assertEquals(ls.get(0), inspect);

    Outcome restored = stowage("volume", "create", "v2", "--snapshot", "nightly");
    assertEquals(0, restored.code(), restored.err());
    JsonNode v2 = json.readTree(stowage("-o", "json", "volume", "inspect", "v2").out());
    assertEquals("snapshot " + id, v2.get("fields").get("createdFrom").asText());
    assertEquals(ExitCodes.NOT_FOUND, stowage("volume", "create", "v3", "--snapshot", "none")
        .code());

    Outcome nowhere = stowage("snapshot", "copy", "nightly", "--region", "nowhere");
    assertEquals(ExitCodes.USAGE, nowhere.code(), nowhere.err());
    assertTrue(nowhere.err().contains("nowhere"), nowhere.err());
    Outcome copied = stowage("--set=fake.regions=fake-2", "-o", "json", "snapshot", "copy",
        "nightly", "--region", "fake-2");
    assertEquals(0, copied.code(), copied.err());
    JsonNode copy = json.readTree(copied.out());
    assertEquals("fake-2", copy.get("region").asText());
    assertEquals("nightly", copy.get("name").asText());

    assertEquals(0, stowage("snapshot", "rm", "nightly").code());
    Outcome gone = stowage("snapshot", "inspect", "nightly");
    assertEquals(ExitCodes.NOT_FOUND, gone.code(), gone.err());
    assertEquals(ExitCodes.NOT_FOUND, stowage("snapshot", "rm", id).code());
  }

  @Test
  void resizeGrowsToAnAbsoluteSizeAndRefusesAShrink() throws Exception {
    assertEquals(0, stowage("volume", "create", "v1", "--opt", "size=1").code());
    Outcome grown = stowage("volume", "resize", "v1", "2048MiB");
    assertEquals(0, grown.code(), grown.err());
    assertEquals("2GiB", grown.out().strip());
    Outcome shrink = stowage("volume", "resize", "v1", "1");
    assertEquals(ExitCodes.USAGE, shrink.code());
    assertTrue(shrink.err().contains("volumes only grow"), shrink.err());
    assertEquals(ExitCodes.USAGE, stowage("volume", "resize", "v1", "lots").code());
    assertEquals(ExitCodes.NOT_FOUND, stowage("volume", "resize", "v9", "3").code());
    JsonNode v1 = json.readTree(stowage("-o", "json", "volume", "inspect", "v1").out());
    assertEquals(2L << 30, v1.get("sizeBytes").asLong());

    assertEquals(0, stowage("volume", "mount", "v1", "--caller", "c").code());
    JsonNode mounted = json.readTree(stowage("-o", "json", "volume", "resize", "v1", "3").out());
    assertEquals(3, mounted.get("size").asInt());
    assertFalse(mounted.get("mountpoint").asText().isEmpty(), mounted.toString());
  }
}
