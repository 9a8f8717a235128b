package io.stowage.internal.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.stowage.exception.StowageException;
import io.stowage.model.ByteSize;
import io.stowage.model.Caller;
import io.stowage.model.InstanceId;
import io.stowage.model.MountOptions;
import io.stowage.model.VolumeId;
import io.stowage.model.VolumeName;
import java.io.IOException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The explicit JSON mapping of a {@link VolumeRecord}, documented on that class. The DTOs below
 * are the on-disk format; the public records never reach Jackson directly, so renaming a
 * component of a public record cannot change the format by accident.
 */
final class RecordCodec {
  private final ObjectMapper mapper = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .build();

  /** A record file that cannot be turned into a {@link VolumeRecord}. */
  static final class UnreadableRecordException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean newerFormat;

    UnreadableRecordException(String message, boolean newerFormat, Throwable cause) {
      super(message, cause);
      this.newerFormat = newerFormat;
    }

    /** Whether the file is well formed but written by a newer format version. */
    boolean newerFormat() {
      return newerFormat;
    }
  }

  byte[] encode(VolumeRecord record) {
    try {
      byte[] json = mapper.writeValueAsBytes(toDto(record));
      byte[] withNewline = new byte[json.length + 1];
      System.arraycopy(json, 0, withNewline, 0, json.length);
      withNewline[json.length] = '\n';
      return withNewline;
    } catch (JsonProcessingException e) {
      throw new StowageException("cannot encode the state of volume " + record.key(), e);
    }
  }

  VolumeRecord decode(byte[] bytes) throws UnreadableRecordException {
    JsonNode tree;
    try {
      tree = mapper.readTree(bytes);
    } catch (IOException e) {
      throw new UnreadableRecordException("not valid JSON: " + message(e), false, e);
    }
    if (tree == null || !tree.isObject()) {
      throw new UnreadableRecordException("not a JSON object", false, null);
    }
    JsonNode version = tree.get("formatVersion");
    if (version == null || !version.isIntegralNumber()) {
      throw new UnreadableRecordException("no integral formatVersion", false, null);
    }
    if (version.asLong() > StateStore.FORMAT_VERSION) {
      throw new UnreadableRecordException("written in format version " + version.asLong()
          + ", this version of Stowage reads up to " + StateStore.FORMAT_VERSION, true, null);
    }
    if (version.asLong() < 1) {
      throw new UnreadableRecordException("unknown format version " + version.asLong(), false,
          null);
    }
    RecordDto dto;
    try {
      dto = mapper.treeToValue(tree, RecordDto.class);
    } catch (IOException e) {
      throw new UnreadableRecordException("malformed record: " + message(e), false, e);
    }
    try {
      return fromDto(dto, version.asInt());
    } catch (RuntimeException e) {
      throw new UnreadableRecordException("invalid record: " + e.getMessage(), false, e);
    }
  }

  private static RecordDto toDto(VolumeRecord r) {
    return new RecordDto(StateStore.FORMAT_VERSION, r.service(), r.driver(), r.name().value(),
        r.volumeId().value(), text(r.device()), text(r.mountPoint()), text(r.dataPath()),
        r.callers().stream().map(Caller::value).toList(), r.mount().readOnlyOrFalse(),
        r.mount().options(), r.intent().map(RecordCodec::toDto).orElse(null));
  }

  private static IntentDto toDto(Intent i) {
    return new IntentDto(i.step().name(), i.startedAt().toString(), null, null,
        i.mountPoint().toString(), i.instance().map(InstanceId::value).orElse(null),
        i.size().map(ByteSize::bytes).orElse(null), null);
  }

  /**
   * Reads a record of any format. Versions 1 and 2 had no service: their records lie in their
   * driver's directory and belong to the driver's own service, of the driver's name.
   */
  private static VolumeRecord fromDto(RecordDto d, int version) {
    Set<Caller> callers = new LinkedHashSet<>();
    for (String caller : required("callers", d.callers())) {
      callers.add(Caller.of(caller));
    }
    String driver = required("driver", d.driver());
    String service;
    if (version >= 3) {
      service = required("service", d.service());
    } else if (d.service() == null) {
      service = driver;
    } else {
      throw new IllegalArgumentException("a version " + version + " record has no service");
    }
    MountOptions mount;
    if (version >= 5) {
      mount = new MountOptions(Optional.of(required("readOnly", d.readOnly())),
          required("mountOptions", d.mountOptions()));
    } else if (d.readOnly() == null && d.mountOptions() == null) {
      mount = VolumeRecord.READ_WRITE;
    } else {
      throw new IllegalArgumentException("a version " + version
          + " record cannot have a mount mode");
    }
    return new VolumeRecord(service, driver,
        VolumeName.of(required("name", d.name())), VolumeId.of(required("volumeId", d.volumeId())),
        path(d.device()), path(d.mountPoint()), path(d.dataPath()), callers,
        Optional.ofNullable(d.intent()).map(i -> fromDto(i, version)), mount);
  }

  /**
   * Reads an intent of either format. Version 1 had two more steps (MOUNTING, DETACHING) and
   * caller, device and details fields that no version ever wrote: a mount in progress rolls
   * back like an attach, a detach completes like an unmount.
   */
  private static Intent fromDto(IntentDto d, int version) {
    Intent.Step step;
    Instant startedAt;
    step = switch (required("intent.step", d.step())) {
      case "ATTACHING", "MOUNTING" -> Intent.Step.ATTACHING;
      case "UNMOUNTING", "DETACHING" -> Intent.Step.UNMOUNTING;
      case "GROWING" -> {
        if (version < 4) {
          throw new IllegalArgumentException("a version " + version + " record has no GROWING");
        }
        yield Intent.Step.GROWING;
      }
      default -> throw new IllegalArgumentException("unknown intent step " + d.step());
    };
    try {
      startedAt = Instant.parse(required("intent.startedAt", d.startedAt()));
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("malformed intent.startedAt " + d.startedAt(), e);
    }
    if (d.size() != null && version < 4) {
      throw new IllegalArgumentException("a version " + version + " intent has no size");
    }
    return new Intent(step, startedAt, Path.of(required("intent.mountPoint", d.mountPoint())),
        Optional.ofNullable(d.instance()).map(InstanceId::of),
        Optional.ofNullable(d.size()).map(ByteSize::new));
  }

  private static String message(IOException e) {
    return e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
  }

  private static <T> T required(String field, T value) {
    if (value == null) {
      throw new IllegalArgumentException("missing " + field);
    }
    return value;
  }

  private static String text(Optional<Path> path) {
    return path.map(Path::toString).orElse(null);
  }

  private static Optional<Path> path(String text) {
    return Optional.ofNullable(text).map(Path::of);
  }

  /**
   * A record file, version 5: version 4's fields and the mount's mode and extra options, which
   * earlier versions must not have. Version 4 had the same fields as version 3, which added the
   * service to version 2's fields (the same as version 1's); a version 1 or 2 record must not
   * have a service.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"formatVersion", "service", "driver", "name", "volumeId", "device",
      "mountPoint", "dataPath", "callers", "readOnly", "mountOptions", "intent"})
  record RecordDto(
      @JsonProperty("formatVersion") int formatVersion,
      @JsonProperty("service") String service,
      @JsonProperty("driver") String driver,
      @JsonProperty("name") String name,
      @JsonProperty("volumeId") String volumeId,
      @JsonProperty("device") String device,
      @JsonProperty("mountPoint") String mountPoint,
      @JsonProperty("dataPath") String dataPath,
      @JsonProperty("callers") List<String> callers,
      @JsonProperty("readOnly") Boolean readOnly,
      @JsonProperty("mountOptions") List<String> mountOptions,
      @JsonProperty("intent") IntentDto intent) {}

  /**
   * An intent inside a record file. Versions 2 and 3 write step, startedAt, mountPoint and
   * instance; version 4 adds the step GROWING and its size in bytes; version 1 could also hold
   * caller, device and details, which are read and ignored.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"step", "startedAt", "caller", "device", "mountPoint", "instance", "size",
      "details"})
  record IntentDto(
      @JsonProperty("step") String step,
      @JsonProperty("startedAt") String startedAt,
      @JsonProperty("caller") String caller,
      @JsonProperty("device") String device,
      @JsonProperty("mountPoint") String mountPoint,
      @JsonProperty("instance") String instance,
      @JsonProperty("size") Long size,
      @JsonInclude(JsonInclude.Include.NON_EMPTY)
      @JsonProperty("details") Map<String, String> details) {}
}
