package io.stowage.cli.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PluginProtocolTest {
  private final ObjectMapper json = new ObjectMapper();
  private final InMemoryVolumeService volumes = new InMemoryVolumeService(Path.of("/mnt"));
  private final PluginProtocol protocol =
      new PluginProtocol(volumes, Set.of(), "global", false, json);

  private JsonNode call(String path, String body, int status) throws Exception {
    PluginProtocol.Reply reply = protocol.handle(path, body.getBytes(StandardCharsets.UTF_8));
    assertEquals(status, reply.status(), reply.text());
    return json.readTree(reply.body());
  }

  @Test
  void activateAndCapabilities() throws Exception {
    assertEquals("VolumeDriver", call("/Plugin.Activate", "", 200).get("Implements").get(0)
        .asText());
    assertEquals("global", call("/VolumeDriver.Capabilities", "{}", 200)
        .at("/Capabilities/Scope").asText());
    PluginProtocol local = new PluginProtocol(volumes, Set.of(), "local", false, json);
    assertTrue(local.handle("/VolumeDriver.Capabilities", new byte[0]).text()
        .contains("\"Scope\":\"local\""));
  }

  @Test
  void createParsesOptionsCaseInsensitivelyAndIsIdempotent() throws Exception {
    assertEquals("", call("/VolumeDriver.Create",
        "{\"Name\":\"v1\",\"Opts\":{\"Size\":\"5\",\"IOPS\":\"150\",\"volumeType\":\"io1\"}}", 200)
        .get("Err").asText());
    assertEquals("", call("/VolumeDriver.Create", "{\"Name\":\"v1\"}", 200).get("Err").asText());
    assertEquals(5, volumes.find("v1").orElseThrow().size().toGiBRoundedUp());
    assertEquals(150L, volumes.find("v1").orElseThrow().iops().orElseThrow());
  }

  @Test
  void unknownOptionIsAnErrorNamingIt() throws Exception {
    String err = call("/VolumeDriver.Create", "{\"Name\":\"v1\",\"Opts\":{\"sise\":\"5\"}}", 200)
        .get("Err").asText();
    assertTrue(err.contains("sise"), err);
    assertTrue(volumes.list().isEmpty());
  }

  @Test
  void mountCountsCallersByDockerId() throws Exception {
    call("/VolumeDriver.Create", "{\"Name\":\"v\"}", 200);
    assertEquals("/mnt/v/data",
        call("/VolumeDriver.Mount", "{\"Name\":\"v\",\"ID\":\"a\"}", 200).get("Mountpoint")
            .asText());
    call("/VolumeDriver.Mount", "{\"Name\":\"v\",\"ID\":\"b\"}", 200);
    call("/VolumeDriver.Unmount", "{\"Name\":\"v\",\"ID\":\"a\"}", 200);
    assertEquals("/mnt/v/data", call("/VolumeDriver.Path", "{\"Name\":\"v\"}", 200)
        .get("Mountpoint").asText());
    call("/VolumeDriver.Unmount", "{\"Name\":\"v\",\"ID\":\"b\"}", 200);
    assertEquals("", call("/VolumeDriver.Path", "{\"Name\":\"v\"}", 200).get("Mountpoint")
        .asText());
    call("/VolumeDriver.Mount", "{\"Name\":\"v\"}", 200);
    assertTrue(volumes.calls().contains("mount v -"), volumes.calls().toString());
  }

  @Test
  void getAndListReportTheRealMountpointAndCreationTime() throws Exception {
    call("/VolumeDriver.Create", "{\"Name\":\"a\",\"Opts\":{\"size\":\"2\"}}", 200);
    call("/VolumeDriver.Create", "{\"Name\":\"b\"}", 200);
    call("/VolumeDriver.Mount", "{\"Name\":\"a\",\"ID\":\"c1\"}", 200);
    JsonNode get = call("/VolumeDriver.Get", "{\"Name\":\"a\"}", 200);
    assertEquals("a", get.at("/Volume/Name").asText());
    assertEquals("/mnt/a/data", get.at("/Volume/Mountpoint").asText());
    assertEquals(2, get.at("/Volume/Status/size").asInt());
    assertEquals("id-a", get.at("/Volume/Status/id").asText());
    assertEquals("2026-01-02T03:04:05Z", get.at("/Volume/CreatedAt").asText());
    JsonNode list = call("/VolumeDriver.List", "{}", 200).get("Volumes");
    assertEquals(2, list.size());
    assertEquals("/mnt/a/data", list.get(0).get("Mountpoint").asText());
    assertEquals("", list.get(1).get("Mountpoint").asText());
    assertEquals("2026-01-02T03:04:05Z", list.get(1).get("CreatedAt").asText());
    assertTrue(call("/VolumeDriver.Get", "{\"Name\":\"zz\"}", 200).get("Err").asText()
        .contains("not found"));
  }

  @Test
  void getStatusIsTheVolumeInLibStorageFieldNames() throws Exception {
    call("/VolumeDriver.Create", "{\"Name\":\"a\",\"Opts\":{\"size\":\"3\",\"iops\":\"100\","
        + "\"volumetype\":\"io1\"}}", 200);
    JsonNode status = call("/VolumeDriver.Get", "{\"Name\":\"a\"}", 200).at("/Volume/Status");
    assertEquals(VolumeJson.write(json.createObjectNode(), volumes.find("a").orElseThrow(),
        volumes.driverName()).toString(), status.toString());
    assertEquals(3, status.get("size").asInt());
    assertEquals(3L << 30, status.get("sizeBytes").asLong());
    assertEquals("io1", status.get("type").asText());
    assertEquals(100, status.get("iops").asInt());
    assertEquals(volumes.driverName(), status.get("driver").asText());
    assertTrue(status.get("fields").isObject());
  }

  @Test
  void malformedRequestsChangeNothing() throws Exception {
    for (String body : List.of("{", "[]", "\"x\"", "{\"Name\":5}", "{\"Opts\":{}}",
        "{\"Name\":\"\"}", "{\"Name\":\"v\",\"Opts\":[1]}", "{\"Name\":\"v\",\"Opts\":{\"size\":{}}}",
        "{\"Name\":\"v\",\"ID\":7}", "")) {
      String path = body.contains("ID") ? "/VolumeDriver.Mount" : "/VolumeDriver.Create";
      JsonNode reply = call(path, body, 400);
      assertTrue(!reply.get("Err").asText().isEmpty(), body);
    }
    assertTrue(volumes.calls().isEmpty(), volumes.calls().toString());
    assertTrue(call("/VolumeDriver.Create", "{\"Name\":5}", 400).get("Err").asText()
        .contains("\"Name\" must be a string"));
  }

  @Test
  void typesAreExactAndTheBodyIsOneJsonValueWithEachKeyOnce() throws Exception {
    for (String body : List.of("{\"Name\":\"v\",\"Opts\":{\"encryptionkey\":5}}",
        "{\"Name\":\"v\",\"Opts\":{\"size\":true}}",
        "{\"Name\":\"v\",\"Opts\":{\"size\":null}}",
        "{\"Name\":\"v\",\"Name\":\"w\"}",
        "{\"Name\":\"v\"} {\"Name\":\"w\"}",
        "{\"Name\":\"v\"}x")) {
      assertTrue(!call("/VolumeDriver.Create", body, 400).get("Err").asText().isEmpty(), body);
    }
    assertTrue(call("/VolumeDriver.Create", "{\"Name\":\"v\",\"Opts\":{\"size\":1}}", 400)
        .get("Err").asText().contains("\"Opts.size\" must be a string, not number"));
    assertTrue(volumes.calls().isEmpty(), volumes.calls().toString());
    assertEquals("", call("/VolumeDriver.Create", "{\"Name\":\"v\"}\n", 200).get("Err")
        .asText());
  }

  @Test
  void unknownPathIs404() throws Exception {
    assertTrue(call("/VolumeDriver.Frobnicate", "{}", 404).get("Err").asText()
        .contains("unknown plugin endpoint"));
  }
}
