package io.stowage.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stowage.cli.plugin.PluginClient;
import io.stowage.exception.VolumeNotFoundException;
import io.stowage.model.Caller;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The volumes of a Docker volume plugin that is no configured service, reached over its socket
 * as dvdcli reaches it, but with Docker's mount {@code ID} as the caller, so that the plugin
 * counts each use apart. A plugin's error is a {@link CliException} quoting it. Not
 * thread-safe.
 *
 * @param plugin the plugin's name, for messages
 * @param client the client of its socket
 */
record PluginVolumes(String plugin, PluginClient client) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Returns whether the plugin has a volume, as dvdcli asks: its Get succeeds. */
  boolean exists(String name) {
    call("/Plugin.Activate", JSON.createObjectNode());
    try {
      call("/VolumeDriver.Get", request(name));
      return true;
    } catch (CliException e) {
      return false;
    }
  }

  /**
   * Mounts a volume for a caller: creates it first with the options when it is missing, unless
   * it must exist already.
   *
   * @return its mount point
   */
  Path mount(String name, Map<String, String> options, boolean explicitCreate, Caller caller) {
    if (!exists(name)) {
      if (explicitCreate) {
        throw new VolumeNotFoundException(name);
      }
      ObjectNode create = request(name);
      create.putPOJO("Opts", options);
      call("/VolumeDriver.Create", create);
    }
    String mountpoint = call("/VolumeDriver.Mount", request(name).put("ID", caller.value()))
        .path("Mountpoint").asText("");
    if (mountpoint.isEmpty()) {
      throw new CliException(ExitCodes.GENERAL, "plugin " + plugin + " returned no mount point"
          + " for volume " + name);
    }
    return Path.of(mountpoint);
  }

  /** Releases a caller's use of a volume. */
  void unmount(String name, Caller caller) {
    call("/VolumeDriver.Unmount", request(name).put("ID", caller.value()));
  }

  private static ObjectNode request(String name) {
    return JSON.createObjectNode().put("Name", name);
  }

  private JsonNode call(String path, ObjectNode body) {
    PluginClient.Response response;
    try {
      response = client.post(path, JSON.writeValueAsString(body));
    } catch (IOException e) {
      throw new CliException(ExitCodes.GENERAL, "plugin " + plugin + " cannot be reached for "
          + path + ": " + e.getMessage());
    }
    JsonNode reply;
    try {
      reply = JSON.readTree(response.body());
    } catch (IOException e) {
      throw new CliException(ExitCodes.GENERAL, "plugin " + plugin + ": " + path
          + " answered HTTP " + response.status() + " with a body that is not JSON");
    }
    String error = reply.path("Err").asText("");
    if (!error.isEmpty() || response.status() != 200) {
      throw new CliException(ExitCodes.GENERAL, "plugin " + plugin + ": " + path + " failed: "
          + (error.isEmpty() ? "HTTP " + response.status() : error));
    }
    return reply;
  }
}
