package io.stowage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stowage.cli.Commands.Result;
import io.stowage.cli.plugin.PluginClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/stowage service start on a REX-Ray 0.3 configuration with modules: one plugin socket per
 * docker module, each answering real HTTP requests for its own back end, and
 * {@code stowage --service} picking one of them on the command line.
 */
class ServiceSocketsIT {
  private static final Path DIST = Path.of(System.getProperty("stowage.dist", "target/stowage"));
  private final ObjectMapper json = new ObjectMapper();

  @TempDir
  Path dir;

  @AfterEach
  void stop() throws Exception {
    stowage(List.of("service", "stop", "--run-dir", dir.resolve("run").toString()));
  }

  /**
   * The "Example with Modules" of REX-Ray 0.3's guide
   * (core/src/test/resources/config/services/rexray-0.3-modules.yml) on the fake driver: the
   * default module, one with its own host, one with the default host, and the admin module.
   */
  private Path config() throws Exception {
    return Files.writeString(dir.resolve("config.yml"), String.join("\n",
        "rexray:",
        "  storageDrivers:",
        "  - fake",
        "  modules:",
        "    default-admin:",
        "      host: tcp://:7979",
        "    default-docker:",
        "      type: docker",
        "      desc: \"The default docker module.\"",
        "    platform1:",
        "      type: docker",
        "      desc: \"The first platform.\"",
        "      host: \"unix:///run/docker/plugins/platform1.sock\"",
        "      fake:",
        "        root: " + dir.resolve("p1"),
        "    platform2:",
        "      type: docker",
        "      fake:",
        "        root: " + dir.resolve("p2"),
        "fake:",
        "  root: " + dir.resolve("default"),
        "  devices: simulated",
        ""));
  }

  private Result stowage(List<String> args) throws Exception {
    List<String> command = new ArrayList<>(List.of(DIST.resolve("bin/stowage").toString(),
        "--config", config().toString(),
        "--set=stowage.state.directory=" + dir.resolve("state"),
        "--set=stowage.volume.mount.root=" + dir.resolve("mnt"),
        "--simulated-host=" + dir.resolve("host")));
    command.addAll(args);
    return Commands.run(command, Map.of(), Duration.ofMinutes(2));
  }

  private JsonNode call(Path socket, String path, String body) throws Exception {
    PluginClient.Response response = PluginClient.unix(socket, Duration.ofSeconds(30))
        .post(path, body);
    assertEquals(200, response.status(), socket + " " + path + ": " + response.body());
    JsonNode reply = json.readTree(response.body());
    assertEquals("", reply.path("Err").asText(""), socket + " " + path);
    return reply;
  }

  @Test
  void eachDockerModuleIsServedOnItsOwnSocketForItsOwnBackEnd() throws Exception {
    Path sockets = dir.resolve("plugins");
    Result start = stowage(List.of("service", "start", "--socket-dir", sockets.toString(),
        "--run-dir", dir.resolve("run").toString()));
    assertEquals(0, start.code(), start.output());
    String log = Files.readString(dir.resolve("run/stowage.log"));
    assertTrue(log.contains("warning") && log.contains("default-admin"),
        "the admin module, not served, is named in a warning: " + log);
    for (String plugin : List.of("stowage", "platform1", "platform2")) {
      Path socket = sockets.resolve(plugin + ".sock");
      assertTrue(log.contains("serving plugin " + plugin + " "), log);
      call(socket, "/Plugin.Activate", "{}");
      call(socket, "/VolumeDriver.Create", "{\"Name\":\"on-" + plugin + "\",\"Opts\":{}}");
    }
    for (String plugin : List.of("stowage", "platform1", "platform2")) {
      JsonNode list = call(sockets.resolve(plugin + ".sock"), "/VolumeDriver.List", "{}");
      assertEquals(1, list.get("Volumes").size(), plugin + ": " + list);
      assertEquals("on-" + plugin, list.get("Volumes").get(0).get("Name").asText());
    }
    assertFalse(Files.exists(sockets.resolve("default-admin.sock")));

    Result ls = stowage(List.of("--service", "platform1", "-o", "json", "volume", "ls"));
    assertEquals(0, ls.code(), ls.output());
    assertEquals("on-platform1", json.readTree(ls.out()).get(0).get("name").asText());
    Result byDriverOption = stowage(List.of("-o", "json", "volume", "ls", "--driver",
        "platform2"));
    assertEquals("on-platform2", json.readTree(byDriverOption.out()).get(0).get("name")
        .asText(), byDriverOption.output());
    Result rexray = stowage(List.of("--service", "rexray", "-o", "json", "volume", "ls"));
    assertEquals("on-stowage", json.readTree(rexray.out()).get(0).get("name").asText(),
        rexray.output());
    Result both = stowage(List.of("--service", "platform1", "volume", "ls", "--driver",
        "platform2"));
    assertEquals(ExitCodes.USAGE, both.code(), both.output());
    Result unknown = stowage(List.of("--service", "platform9", "volume", "ls"));
    assertEquals(ExitCodes.NOT_FOUND, unknown.code(), unknown.output());

    Result stopped = stowage(List.of("service", "stop", "--run-dir",
        dir.resolve("run").toString()));
    assertEquals(0, stopped.code(), stopped.output());
    for (String plugin : List.of("stowage", "platform1", "platform2")) {
      assertFalse(Files.exists(sockets.resolve(plugin + ".sock")), plugin);
    }
  }
}
