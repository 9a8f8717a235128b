package io.stowage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
    List<String> args = new ArrayList<>(List.of("--set=stowage.storageDrivers=fake",
        "--set=fake.root=" + dir.resolve("fake"), "--set=fake.devices=simulated",
        "--simulated-host=" + dir.resolve("host"),
        "--set=stowage.state.directory=" + dir.resolve("state"),
        "--set=stowage.volume.mount.root=" + dir.resolve("mnt")));
    args.addAll(List.of(command));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err),
        Map.of());
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
