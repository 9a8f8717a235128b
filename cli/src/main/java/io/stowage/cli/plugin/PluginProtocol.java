package io.stowage.cli.plugin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stowage.VolumeService;
import io.stowage.exception.StowageException;
import io.stowage.exception.VolumeAlreadyExistsException;
import io.stowage.exception.VolumeNotFoundException;
import io.stowage.model.Caller;
import io.stowage.model.Mount;
import io.stowage.model.MountRequest;
import io.stowage.model.UnmountRequest;
import io.stowage.model.Volume;
import io.stowage.model.VolumeOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Docker volume plugin protocol without the transport: a request path and body in, a
 * status and JSON body out. Operation errors are HTTP 200 with {@code Err}, as the Docker
 * documentation specifies; malformed requests are 400, unknown paths 404, both with
 * {@code Err}. Thread-safe: it holds no mutable state and the volume service locks per volume.
 */
final class PluginProtocol {
  /** The media type of every request and response. */
  static final String CONTENT_TYPE = "application/vnd.docker.plugins.v1+json";

  private static final Logger LOG = LoggerFactory.getLogger(PluginProtocol.class);

  private final VolumeService volumes;
  private final Set<String> driverKeys;
  private final String scope;
  private final boolean removeForce;
  private final ObjectMapper json;
  private final ObjectReader reader;

  PluginProtocol(VolumeService volumes, Set<String> driverKeys, String scope,
      boolean removeForce, ObjectMapper json) {
    this.volumes = Objects.requireNonNull(volumes, "volumes");
    this.driverKeys = Set.copyOf(driverKeys);
    this.scope = Objects.requireNonNull(scope, "scope");
    this.removeForce = removeForce;
    this.json = Objects.requireNonNull(json, "json");
    // One JSON value, as Go's decoder reads it, and a key given twice is ambiguous.
    this.reader = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
  }

  /** A response: the HTTP status and the JSON body. */
  record Reply(int status, byte[] body) {
    Reply {
      Objects.requireNonNull(body, "body");
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** A request the protocol cannot accept; answered with a 4xx status and {@code Err}. */
  static final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    BadRequest(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }

    int status() {
      return status;
    }
  }

  /**
   * Answers one request.
   *
   * @param path the request path, such as {@code /VolumeDriver.Mount}
   * @param body the request body, possibly empty
   * @return the reply
   */
  Reply handle(String path, byte[] body) {
    try {
      return new Reply(200, write(dispatch(path, body)));
    } catch (BadRequest e) {
      return error(e.status(), e.getMessage());
    } catch (StowageException e) {
      LOG.debug("{} failed: {}", path, e.getMessage());
      return error(200, e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("{} failed unexpectedly", path, e);
      return error(500, "internal error: " + e);
    }
  }

  /**
   * Builds an error reply.
   *
   * @param status the HTTP status
   * @param message the {@code Err} text
   * @return the reply
   */
  Reply error(int status, String message) {
    ObjectNode node = json.createObjectNode();
    node.put("Err", message == null || message.isEmpty() ? "error" : message);
    return new Reply(status, write(node));
  }

  private ObjectNode dispatch(String path, byte[] body) {
    return switch (path) {
      case "/Plugin.Activate" -> activate(body);
      case "/VolumeDriver.Create" -> create(parse(body));
      case "/VolumeDriver.Remove" -> remove(parse(body));
      case "/VolumeDriver.Mount" -> mount(parse(body));
      case "/VolumeDriver.Unmount" -> unmount(parse(body));
      case "/VolumeDriver.Path" -> path(parse(body));
      case "/VolumeDriver.Get" -> get(parse(body));
      case "/VolumeDriver.List" -> list(body);
      case "/VolumeDriver.Capabilities" -> capabilities(body);
      default -> throw new BadRequest(404, "unknown plugin endpoint " + quote(path)
          + "; this plugin implements /Plugin.Activate and /VolumeDriver.{Create, Remove, Mount,"
          + " Unmount, Path, Get, List, Capabilities}");
    };
  }

  private ObjectNode activate(byte[] body) {
    parseOptional(body);
    ObjectNode node = json.createObjectNode();
    node.putArray("Implements").add("VolumeDriver");
    return node;
  }

  private ObjectNode create(ObjectNode request) {
    String name = name(request);
    Map<String, String> opts = opts(request);
    VolumeOptions options = VolumeOptions.parse(opts, driverKeys);
    try {
      volumes.create(name, options);
    } catch (VolumeAlreadyExistsException e) {
      // Docker calls Create for every named volume it has not seen; an existing volume is fine.
      LOG.debug("Create of existing volume {} accepted", name);
    }
    return ok();
  }

  private ObjectNode remove(ObjectNode request) {
    volumes.remove(name(request), removeForce);
    return ok();
  }

  private ObjectNode mount(ObjectNode request) {
    String name = name(request);
    Mount mount = volumes.mount(name, MountRequest.builder().caller(caller(request)).build());
    ObjectNode node = json.createObjectNode();
    node.put("Mountpoint", mount.path().toString());
    node.put("Err", "");
    return node;
  }

  private ObjectNode unmount(ObjectNode request) {
    String name = name(request);
    volumes.unmount(name, new UnmountRequest(caller(request), Optional.empty()));
    return ok();
  }

  private ObjectNode path(ObjectNode request) {
    String name = name(request);
    ObjectNode node = json.createObjectNode();
    node.put("Mountpoint", volumes.path(name).map(Path::toString).orElse(""));
    node.put("Err", "");
    return node;
  }

  private ObjectNode get(ObjectNode request) {
    String name = name(request);
    Volume volume = volumes.find(name).orElseThrow(() -> new VolumeNotFoundException(name));
    ObjectNode node = json.createObjectNode();
    ObjectNode v = node.putObject("Volume");
    v.put("Name", volume.name().value());
    v.put("Mountpoint", mountpoint(volume));
    putCreatedAt(v, volume);
    VolumeJson.write(v.putObject("Status"), volume, volumes.driverName());
    node.put("Err", "");
    return node;
  }

  private ObjectNode list(byte[] body) {
    parseOptional(body);
    ObjectNode node = json.createObjectNode();
    ArrayNode array = node.putArray("Volumes");
    for (Volume volume : volumes.list()) {
      ObjectNode v = array.addObject().put("Name", volume.name().value())
          .put("Mountpoint", mountpoint(volume));
      putCreatedAt(v, volume);
    }
    node.put("Err", "");
    return node;
  }

  private ObjectNode capabilities(byte[] body) {
    parseOptional(body);
    ObjectNode node = json.createObjectNode();
    node.putObject("Capabilities").put("Scope", scope);
    return node;
  }

  private String mountpoint(Volume volume) {
    return volumes.path(volume.name().value()).map(Path::toString).orElse("");
  }

  /** Docker reads {@code CreatedAt} as RFC 3339; whole seconds, as its own volumes show. */
  private static void putCreatedAt(ObjectNode node, Volume volume) {
    volume.createdAt().ifPresent(t -> node.put("CreatedAt",
        t.truncatedTo(ChronoUnit.SECONDS).toString()));
  }

  private ObjectNode ok() {
    ObjectNode node = json.createObjectNode();
    node.put("Err", "");
    return node;
  }

  private ObjectNode parse(byte[] body) {
    if (body.length == 0) {
      throw new BadRequest(400, "the request body is empty; a JSON object with \"Name\" is required");
    }
    return object(body);
  }

  private void parseOptional(byte[] body) {
    if (body.length > 0 && !new String(body, StandardCharsets.UTF_8).isBlank()) {
      JsonNode node = tree(body);
      if (!node.isNull() && !node.isObject()) {
        throw new BadRequest(400, "the request body must be a JSON object, not " + type(node));
      }
    }
  }

  private ObjectNode object(byte[] body) {
    JsonNode node = tree(body);
    if (!node.isObject()) {
      throw new BadRequest(400, "the request body must be a JSON object, not " + type(node));
    }
    return (ObjectNode) node;
  }

  private JsonNode tree(byte[] body) {
    try {
      JsonNode node = reader.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw new BadRequest(400, "the request body is empty");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new BadRequest(400, "the request body is not valid JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new BadRequest(400, "the request body could not be read: " + e.getMessage());
    }
  }

  private static String name(ObjectNode request) {
    JsonNode name = request.get("Name");
    if (name == null || name.isNull()) {
      throw new BadRequest(400, "field \"Name\" is required");
    }
    if (!name.isTextual()) {
      throw new BadRequest(400, "field \"Name\" must be a string, not " + type(name));
    }
    if (name.textValue().isEmpty()) {
      throw new BadRequest(400, "field \"Name\" must not be empty");
    }
    return name.textValue();
  }

  private static Caller caller(ObjectNode request) {
    JsonNode id = request.get("ID");
    if (id == null || id.isNull()) {
      return Caller.ANONYMOUS;
    }
    if (!id.isTextual()) {
      throw new BadRequest(400, "field \"ID\" must be a string, not " + type(id));
    }
    return id.textValue().isEmpty() ? Caller.ANONYMOUS : Caller.of(id.textValue());
  }

  private static Map<String, String> opts(ObjectNode request) {
    JsonNode opts = request.get("Opts");
    Map<String, String> map = new LinkedHashMap<>();
    if (opts == null || opts.isNull()) {
      return map;
    }
    if (!opts.isObject()) {
      throw new BadRequest(400, "field \"Opts\" must be an object of strings, not "
          + type(opts));
    }
    for (Map.Entry<String, JsonNode> e : opts.properties()) {
      JsonNode value = e.getValue();
      if (!value.isTextual()) {
        // Docker sends a map of strings; a number or a boolean is not one of them.
        throw new BadRequest(400, "option " + quote("Opts." + e.getKey())
            + " must be a string, not " + type(value));
      }
      map.put(e.getKey(), value.textValue());
    }
    return map;
  }

  private byte[] write(JsonNode node) {
    try {
      return json.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree could not be written", e);
    }
  }

  private static String type(JsonNode node) {
    return node.getNodeType().name().toLowerCase(Locale.ROOT);
  }

  private static String quote(String text) {
    String shown = text.length() > 80 ? text.substring(0, 80) + "..." : text;
    return "\"" + shown.replaceAll("\\p{Cntrl}", "?") + "\"";
  }
}
