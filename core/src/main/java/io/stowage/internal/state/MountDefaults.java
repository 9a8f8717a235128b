package io.stowage.internal.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.stowage.model.MountOptions;
import io.stowage.model.VolumeName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mount options each volume was created with on this host ({@code ro},
 * {@code mountoptions}), kept until the volume is removed so that they apply to every mount,
 * including Docker's, whose mount request carries only a name and a caller.
 *
 * <p>One file per (service, volume name), {@code mount-defaults/<service>/<name>.json}, written
 * atomically and durably as the records are. The format, version {@value #FORMAT_VERSION}:
 * {@code formatVersion} (number), {@code readOnly} (boolean, absent when not given) and
 * {@code mountOptions} (array of strings, sorted). Unknown fields are refused.
 *
 * <p>Callers hold the volume's lock around a read and the write that depends on it. Thread-safe
 * otherwise: it keeps no state beyond its directory.
 */
public final class MountDefaults {
  /** The format version written into every file. */
  public static final int FORMAT_VERSION = 1;

  static final String DIRECTORY = "mount-defaults";
  private static final Logger LOG = LoggerFactory.getLogger(MountDefaults.class);

  private final Path directory;
  private final StateFiles files;
  private final ObjectMapper mapper = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .build();

  MountDefaults(Path stateDirectory, StateFiles files) {
    this.directory = stateDirectory.resolve(DIRECTORY);
    this.files = files;
  }

  /**
   * Reads the options a volume was created with.
   *
   * @param service the service name
   * @param name the volume name
   * @return the options; {@link MountOptions#NONE} when none were given
   * @throws StateStoreException when the file cannot be read or is not in the format
   */
  public MountOptions get(String service, VolumeName name) {
    Path file = file(service, name);
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return MountOptions.NONE;
    } catch (IOException e) {
      throw new StateStoreException("cannot read the mount options of volume " + name, file, e);
    }
    try {
      Dto dto = mapper.readValue(content, Dto.class);
      if (dto.formatVersion() != FORMAT_VERSION || dto.mountOptions() == null) {
        throw new IOException("format version " + dto.formatVersion() + " with mountOptions "
            + dto.mountOptions() + "; this version reads version " + FORMAT_VERSION);
      }
      return new MountOptions(Optional.ofNullable(dto.readOnly()), dto.mountOptions());
    } catch (IOException | RuntimeException e) {
      throw new StateStoreException("unreadable mount options of volume " + name + " ("
          + e.getMessage() + ")", file, e);
    }
  }

  /**
   * Keeps the options a volume is created with; no options removes the file.
   *
   * @param service the service name
   * @param name the volume name
   * @param options the options
   * @throws StateStoreException when the file cannot be written
   */
  public void put(String service, VolumeName name, MountOptions options) {
    if (options.isEmpty()) {
      remove(service, name);
      return;
    }
    Path file = file(service, name);
    try {
      byte[] json = mapper.writeValueAsBytes(new Dto(FORMAT_VERSION,
          options.readOnly().orElse(null), options.options()));
      files.createPrivateDirectory(file.getParent());
      files.writeAtomically(file, json);
      LOG.debug("Kept the mount options {} of volume {}/{}", options, service, name);
    } catch (IOException e) {
      throw new StateStoreException("cannot write the mount options of volume " + name, file, e);
    }
  }

  /**
   * Forgets the options of a removed volume; removing what is not there succeeds.
   *
   * @param service the service name
   * @param name the volume name
   * @throws StateStoreException when the file cannot be removed
   */
  public void remove(String service, VolumeName name) {
    Path file = file(service, name);
    try {
      if (Files.deleteIfExists(file)) {
        files.syncDirectory(file.getParent());
      }
    } catch (IOException e) {
      throw new StateStoreException("cannot remove the mount options of volume " + name, file,
          e);
    }
  }

  private Path file(String service, VolumeName name) {
    VolumeKey key = VolumeKey.of(service, name);
    return directory.resolve(key.owner()).resolve(key.name().value() + ".json");
  }

  /** The file's content. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"formatVersion", "readOnly", "mountOptions"})
  record Dto(
      @JsonProperty("formatVersion") int formatVersion,
      @JsonProperty("readOnly") Boolean readOnly,
      @JsonProperty("mountOptions") List<String> mountOptions) {}
}
