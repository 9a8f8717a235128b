package io.stowage.cli.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stowage.Stowage;
import io.stowage.cli.TestHost;
import io.stowage.driver.fake.SimulatedHost;
import io.stowage.model.MountRequest;
import io.stowage.model.UnmountRequest;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.io.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin server on the real stack: Stowage on the fake driver, a real unix socket. */
class PluginStackTest {
  @TempDir
  Path dir;
  private Stowage stowage;
  private PluginServer server;
  private HttpClient client;
  private SimulatedHost simulated;
  private final ObjectMapper json = new ObjectMapper();

  @BeforeEach
  void start() throws Exception {
    Stowage.Builder b = Stowage.builder()
        .setting("stowage.storageDrivers", "fake")
        .setting("fake.root", dir.resolve("fake").toString())
        .setting("stowage.state.directory", dir.resolve("state").toString())
        .setting("stowage.volume.mount.root", dir.resolve("mnt").toString());
    if (TestHost.loopDevices()) {
      b.setting("fake.devices", "loop");
    } else {
      simulated = new SimulatedHost(dir.resolve("host"));
      b.setting("fake.devices", "simulated").host(simulated);
    }
    stowage = b.build();
    server = PluginServer.builder(stowage.volumes()).socket(dir.resolve("plugins/rexray.sock"))
        .driverOptionKeys(stowage.registry().provider("fake").volumeOptionKeys()).build();
    server.start();
    client = new HttpClient();
    client.setMaxConnectionsPerDestination(64);
    client.start();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      for (var v : stowage.volumes().list()) {
        if (stowage.volumes().path(v.name().value()).isPresent()) {
          stowage.volumes().unmount(v.name().value(),
              io.stowage.model.UnmountRequest.DEFAULT.withIgnoreUsedCount(true));
        }
      }
    } finally {
      client.stop();
      server.close();
      stowage.close();
    }
  }

  private JsonNode post(String path, String body) throws Exception {
    ContentResponse r = client.newRequest("http://localhost" + path).method("POST")
        .transport(new Transport.TCPUnix(server.socket()))
        .body(new StringRequestContent(PluginProtocol.CONTENT_TYPE, body))
        .timeout(120, TimeUnit.SECONDS).send();
    JsonNode node = json.readTree(r.getContentAsString());
    node = node == null ? json.createObjectNode() : node;
    ((com.fasterxml.jackson.databind.node.ObjectNode) node).put("_status", r.getStatus());
    return node;
  }

  private static String err(JsonNode n) {
    return n.path("Err").asText("");
  }

  @Test
  void everyEndpointOnTheRealStack() throws Exception {
    assertEquals("VolumeDriver", post("/Plugin.Activate", "").at("/Implements/0").asText());
    assertEquals("global", post("/VolumeDriver.Capabilities", "{}").at("/Capabilities/Scope")
        .asText());
    assertEquals("", err(post("/VolumeDriver.Create",
        "{\"Name\":\"pg\",\"Opts\":{\"size\":\"1\",\"iops\":\"150\",\"volumetype\":\"io1\"}}")));
    JsonNode get = post("/VolumeDriver.Get", "{\"Name\":\"pg\"}");
    assertEquals("pg", get.at("/Volume/Name").asText());
    assertEquals("", get.at("/Volume/Mountpoint").asText());
    assertEquals(1, get.at("/Volume/Status/size").asInt());
    assertEquals("io1", get.at("/Volume/Status/type").asText());
    assertEquals(150, get.at("/Volume/Status/iops").asInt());

    String mp = post("/VolumeDriver.Mount", "{\"Name\":\"pg\",\"ID\":\"c1\"}").path("Mountpoint")
        .asText();
    assertEquals(dir.resolve("mnt/pg/data").toString(), mp);
    assertTrue(Files.isDirectory(Path.of(mp)));
    Files.writeString(Path.of(mp, "hello.txt"), "hi");
    if (TestHost.loopDevices()) {
      String mountPoint = " " + dir.resolve("mnt/pg") + " ";
      assertTrue(Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
          .anyMatch(l -> l.contains(mountPoint) && l.contains("ext4")), "a real ext4 mount");
    }
    assertEquals(mp, post("/VolumeDriver.Mount", "{\"Name\":\"pg\",\"ID\":\"c2\"}")
        .path("Mountpoint").asText());
    assertEquals(mp, post("/VolumeDriver.Get", "{\"Name\":\"pg\"}").at("/Volume/Mountpoint")
        .asText());
    JsonNode list = post("/VolumeDriver.List", "{}").path("Volumes");
    assertEquals(1, list.size());
    assertEquals(mp, list.get(0).path("Mountpoint").asText());
    // First container stops: still mounted for the second.
    assertEquals("", err(post("/VolumeDriver.Unmount", "{\"Name\":\"pg\",\"ID\":\"c1\"}")));
    assertEquals(mp, post("/VolumeDriver.Path", "{\"Name\":\"pg\"}").path("Mountpoint").asText());
    assertEquals("hi", Files.readString(Path.of(mp, "hello.txt")));
    // Remove while mounted is refused and changes nothing.
    assertFalse(err(post("/VolumeDriver.Remove", "{\"Name\":\"pg\"}")).isEmpty());
    // Second container stops: unmounted.
    assertEquals("", err(post("/VolumeDriver.Unmount", "{\"Name\":\"pg\",\"ID\":\"c2\"}")));
    assertEquals("", post("/VolumeDriver.Path", "{\"Name\":\"pg\"}").path("Mountpoint").asText());
    // The data survived the unmount.
    mp = post("/VolumeDriver.Mount", "{\"Name\":\"pg\",\"ID\":\"c3\"}").path("Mountpoint").asText();
    assertEquals("hi", Files.readString(Path.of(mp, "hello.txt")));
    post("/VolumeDriver.Unmount", "{\"Name\":\"pg\",\"ID\":\"c3\"}");
    assertEquals("", err(post("/VolumeDriver.Remove", "{\"Name\":\"pg\"}")));
    assertTrue(err(post("/VolumeDriver.Get", "{\"Name\":\"pg\"}")).contains("not found"));
    assertEquals(0, post("/VolumeDriver.List", "{}").path("Volumes").size());
  }

  @Test
  void readOnlyAndMountOptionsGivenAtCreateApplyToEveryDockerMount() throws Exception {
    assertEquals("", err(post("/VolumeDriver.Create", "{\"Name\":\"ref\",\"Opts\":"
        + "{\"size\":\"1\",\"ReadOnly\":\"true\",\"mountoptions\":\"noatime+nodev\"}}")));
    // Docker's Mount carries a name and an ID only: the options come from the create.
    String mp = post("/VolumeDriver.Mount", "{\"Name\":\"ref\",\"ID\":\"c1\"}")
        .path("Mountpoint").asText();
    assertEquals(dir.resolve("mnt/ref/data").toString(), mp);
    assertTrue(Files.isDirectory(Path.of(mp)));
    List<String> options = mountOptionsAt(dir.resolve("mnt/ref"));
    assertEquals("ro", options.get(0), options.toString());
    assertTrue(options.containsAll(List.of("noatime", "nodev")), options.toString());
    if (TestHost.loopDevices()) {
      FileSystemException e = assertThrows(FileSystemException.class,
          () -> Files.writeString(Path.of(mp, "x"), "refused"));
      assertEquals("Read-only file system", e.getReason());
    }
    assertEquals(mp, post("/VolumeDriver.Mount", "{\"Name\":\"ref\",\"ID\":\"c2\"}")
        .path("Mountpoint").asText());
    assertEquals("", err(post("/VolumeDriver.Unmount", "{\"Name\":\"ref\",\"ID\":\"c1\"}")));
    assertEquals("", err(post("/VolumeDriver.Unmount", "{\"Name\":\"ref\",\"ID\":\"c2\"}")));

    // A program mounting it read-write holds it: Docker's read-only mount is refused by name.
    stowage.volumes().mount("ref", MountRequest.builder().caller("loader").readOnly(false)
        .build());
    JsonNode refused = post("/VolumeDriver.Mount", "{\"Name\":\"ref\",\"ID\":\"c3\"}");
    assertTrue(err(refused).contains("read-write with [noatime, nodev] by [loader]")
        && err(refused).contains("caller c3 asks for read-only"), err(refused));
    assertEquals("rw", mountOptionsAt(dir.resolve("mnt/ref")).get(0));
    stowage.volumes().unmount("ref", UnmountRequest.caller("loader"));
  }

  @Test
  void badMountOptionsAtCreateAreRefusedAndCreateNothing() throws Exception {
    for (String opts : List.of("{\"mountoptions\":\"exec,suid\"}",
        "{\"mountoptions\":\"noexec+exec\"}", "{\"mountoptions\":\"bind\"}",
        "{\"mountoptions\":\"nosuid=0\"}", "{\"ro\":\"maybe\"}",
        "{\"ro\":\"true\",\"mountoptions\":\"rw\"}",
        "{\"ro\":\"1\",\"readonly\":\"0\"}",
        "{\"newfstype\":\"xfs\",\"mountoptions\":\"data=journal\"}")) {
      JsonNode reply = post("/VolumeDriver.Create", "{\"Name\":\"bad\",\"Opts\":" + opts + "}");
      assertEquals(200, reply.path("_status").asInt(), opts);
      assertFalse(err(reply).isEmpty(), opts);
    }
    assertEquals(400, post("/VolumeDriver.Create",
        "{\"Name\":\"bad\",\"Opts\":{\"mountoptions\":[\"ro\"]}}").path("_status").asInt());
    assertEquals(0, stowage.volumes().list().size());
    assertFalse(Files.exists(dir.resolve("state/mount-defaults/fake/bad.json")));
  }

  /** The options of the mount at a directory, as the mount table shows them. */
  private List<String> mountOptionsAt(Path mountPoint) throws Exception {
    if (simulated != null) {
      return simulated.mountsAt(mountPoint).get(0).options();
    }
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String[] fields = line.split(" ");
      if (Path.of(fields[4]).equals(mountPoint)) {
        return List.of(fields[5].split(","));
      }
    }
    throw new AssertionError(mountPoint + " is not mounted");
  }

  @Test
  void badRequestsChangeNothing() throws Exception {
    assertEquals(400, post("/VolumeDriver.Create", "{\"Name\":").path("_status").asInt());
    assertEquals(400, post("/VolumeDriver.Create", "{\"Name\":5}").path("_status").asInt());
    assertEquals(400, post("/VolumeDriver.Mount", "{}").path("_status").asInt());
    assertEquals(404, post("/VolumeDriver.Explode", "{}").path("_status").asInt());
    assertEquals(413, post("/VolumeDriver.Create", "{\"Name\":\"x\",\"Opts\":{\"a\":\""
        + "b".repeat(100_000) + "\"}}").path("_status").asInt());
    JsonNode unknownOpt = post("/VolumeDriver.Create", "{\"Name\":\"x\",\"Opts\":{\"sizee\":\"1\"}}");
    assertEquals(200, unknownOpt.path("_status").asInt());
    assertTrue(err(unknownOpt).contains("sizee"), err(unknownOpt));
    assertEquals(0, stowage.volumes().list().size());
  }

  @Test
  void concurrentMountsAndUnmountsKeepCorrectUses() throws Exception {
    int volumes = 4;
    int callers = 25;
    for (int v = 0; v < volumes; v++) {
      assertEquals("", err(post("/VolumeDriver.Create", "{\"Name\":\"c" + v
          + "\",\"Opts\":{\"size\":\"1\"}}")));
    }
    ExecutorService pool = Executors.newFixedThreadPool(32);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int v = 0; v < volumes; v++) {
        for (int c = 0; c < callers; c++) {
          String body = "{\"Name\":\"c" + v + "\",\"ID\":\"k" + c + "\"}";
          results.add(pool.submit(() -> {
            String e1 = err(post("/VolumeDriver.Mount", body));
            String e2 = err(post("/VolumeDriver.Unmount", body));
            return e1 + e2;
          }));
        }
      }
      for (Future<String> f : results) {
        assertEquals("", f.get(5, TimeUnit.MINUTES));
      }
      assertEquals(volumes * callers * 2, results.size() * 2);
    } finally {
      pool.shutdownNow();
    }
    for (int v = 0; v < volumes; v++) {
      assertEquals("", post("/VolumeDriver.Path", "{\"Name\":\"c" + v + "\"}").path("Mountpoint")
          .asText());
    }
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      assertFalse(line.contains(dir.resolve("mnt").toString()), "leaked mount: " + line);
    }
  }
}
