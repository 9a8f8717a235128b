package io.stowage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stowage.cli.Commands.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the packaged bin/stowage and bin/dvdcli as separate processes. */
class DistributionIT {
  private static final Path DIST = Path.of(System.getProperty("stowage.dist", "target/stowage"));
  private final ObjectMapper json = new ObjectMapper();

  @TempDir
  Path dir;
  private List<String> global;
  private List<String> service;

  @BeforeEach
  void setUp() {
    global = TestHost.stowageOptions(dir);
    service = List.of("--name", "rexray", "--socket-dir", dir.resolve("plugins").toString(),
        "--run-dir", dir.resolve("run").toString());
  }

  @AfterEach
  void tearDown() throws Exception {
    stowage(concat(List.of("service", "stop"), service));
  }

  private Result run(String bin, List<String> args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(DIST.resolve("bin").resolve(bin).toString());
    cmd.addAll(args);
    return Commands.run(cmd, Map.of("DVDCLI_PLUGIN_DIRS", dir.resolve("plugins").toString()),
        Duration.ofMinutes(3));
  }

  private Result stowage(List<String> args) throws Exception {
    return run("stowage", concat(global, args));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  @Test
  void fixtureDvdcliLineWorksUnchangedAgainstTheServiceNamedRexray() throws Exception {
    Result start = stowage(concat(List.of("service", "start"), service));
    assertEquals(0, start.code(), start.err());
    assertTrue(start.out().contains("started"), start.out());
    assertTrue(Files.exists(dir.resolve("plugins/rexray.sock")));
    assertTrue(Files.exists(dir.resolve("run/rexray.pid")));

    Result mount = run("dvdcli", TestHost.dvdcliFixtureArguments());
    assertEquals(0, mount.code(), mount.err());
    String mountpoint = dir.resolve("mnt/test123456789/data").toString();
    assertEquals(mountpoint + "\n", mount.out());

    Result path = run("dvdcli", List.of("path", "--volumename=test123456789"));
    assertEquals(mountpoint + "\n", path.out());
    assertEquals("test123456789\n", run("dvdcli", List.of("list")).out());
    assertEquals("test123456789\n",
        run("dvdcli", List.of("get", "--volumename=test123456789")).out());

    Result ls = stowage(List.of("--output", "json", "volume", "ls"));
    assertEquals(0, ls.code(), ls.err());
    JsonNode vol = json.readTree(ls.out()).get(0);
    assertEquals("test123456789", vol.get("name").asText());
    assertEquals(5, vol.get("size").asInt());
    assertEquals(150, vol.get("iops").asInt());
    assertEquals("io1", vol.get("type").asText());
    assertEquals(mountpoint, vol.get("mountpoint").asText());

    Result status = stowage(concat(List.of("service", "status"), service));
    assertEquals(0, status.code(), status.out() + status.err());
    assertTrue(status.out().contains("running"));

    assertEquals(0, run("dvdcli", List.of("unmount", "--volumename=test123456789")).code());
    Result after = run("dvdcli", List.of("path", "--volumename=test123456789"));
    assertEquals(0, after.code());
    assertEquals("", after.out());

    Result missing = run("dvdcli", List.of("mount", "--volumename=nope", "--explicitCreate=true"));
    assertEquals(1, missing.code());
    assertEquals("", missing.out());
    assertEquals(2, run("dvdcli", List.of("mount", "--bogus")).code());
    assertEquals(1, run("dvdcli", List.of("--volumedriver=absent", "list")).code());

    Result stop = stowage(concat(List.of("service", "stop"), service));
    assertEquals(0, stop.code(), stop.err());
    assertFalse(Files.exists(dir.resolve("plugins/rexray.sock")));
    assertFalse(Files.exists(dir.resolve("run/rexray.pid")));
    assertEquals(3, stowage(concat(List.of("service", "status"), service)).code());
  }

  @Test
  void stowageCommandOutputsAndExitCodes() throws Exception {
    Result create = stowage(List.of("volume", "create", "v1", "--opt", "size=2",
        "--volumeopts=iops=100,volumetype=gp2"));
    assertEquals(0, create.code(), create.err());
    assertEquals("v1\n", create.out());
    Result exists = stowage(List.of("volume", "create", "v1"));
    assertEquals(7, exists.code());
    assertTrue(exists.err().startsWith("stowage: error: "), exists.err());

    Result mount = stowage(List.of("volume", "mount", "v1", "--caller", "a"));
    assertEquals(0, mount.code(), mount.err());
    String mp = dir.resolve("mnt/v1/data").toString();
    assertEquals(mp + "\n", mount.out());
    assertEquals(mp + "\n", stowage(List.of("volume", "path", "v1")).out());
    Result inUse = stowage(List.of("volume", "rm", "v1"));
    assertEquals(4, inUse.code(), inUse.err());
    assertEquals(0, stowage(List.of("volume", "unmount", "v1", "--caller", "a")).code());
    assertEquals(3, stowage(List.of("volume", "path", "v1")).code());

    Result inspect = stowage(List.of("-o", "json", "volume", "inspect", "v1"));
    assertEquals(0, inspect.code(), inspect.err());
    assertEquals(2, json.readTree(inspect.out()).get("size").asInt());
    Result table = stowage(List.of("volume", "ls"));
    assertTrue(table.out().startsWith("NAME"), table.out());
    assertTrue(table.out().contains("v1"), table.out());

    assertEquals(3, stowage(List.of("volume", "inspect", "nope")).code());
    assertEquals(2, stowage(List.of("volume", "frobnicate")).code());
    assertEquals(2, stowage(List.of("volume", "create", "x", "--opt", "sise=1")).code());
    assertEquals(0, stowage(List.of("volume", "rm", "v1")).code());

    Result config = stowage(List.of("-o", "json", "config", "show"));
    assertEquals(0, config.code(), config.err());
    boolean found = false;
    for (JsonNode s : json.readTree(config.out())) {
      found |= s.get("value").asText().equals(dir.resolve("fake").toString());
    }
    assertTrue(found, config.out());
    assertEquals(0, stowage(List.of("config", "check")).code());
    Result drivers = stowage(List.of("-o", "json", "driver", "ls"));
    assertEquals(0, drivers.code(), drivers.err());
    assertTrue(drivers.out().contains("\"fake\""), drivers.out());
    assertTrue(drivers.out().contains("IOPS"), drivers.out());
    Result version = run("stowage", List.of("version"));
    assertTrue(version.out().startsWith("stowage 0."), version.out());
    Result doctor = stowage(List.of("doctor"));
    assertTrue(doctor.out().contains("driver fake"), doctor.out());
    assertEquals(TestHost.root() ? 0 : 9, doctor.code(), doctor.out());
    Result badConfig = run("stowage", List.of("--config", dir.resolve("missing.yml").toString(),
        "config", "check"));
    assertEquals(5, badConfig.code(), badConfig.err());
  }
}
