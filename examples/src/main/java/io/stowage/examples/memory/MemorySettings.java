package io.stowage.examples.memory;

import io.stowage.exception.InvalidArgumentException;
import io.stowage.model.ByteSize;
import io.stowage.model.InstanceId;
import io.stowage.spi.Default;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The settings of the memory driver, bound from the {@code memory:} section. Keys are the
 * component names, matched without regard to case, {@code _} and {@code -}.
 *
 * @param deviceDirectory where the device of a volume attached to this instance appears, an
 *     empty file named after the volume's ID; required
 * @param instanceId the ID of the instance this driver runs on. Default {@code memory-host}
 * @param defaultSize the size of a volume created without one. Default 1 GiB
 */
public record MemorySettings(
    Path deviceDirectory,
    @Default("memory-host") String instanceId,
    @Default("1GiB") ByteSize defaultSize) {

  /**
   * Validates the settings.
   *
   * @param deviceDirectory where the device of a volume attached to this instance appears, an empty
   *     file named after the volume's ID; required
   * @param instanceId the ID of the instance this driver runs on. Default {@code memory-host}
   * @param defaultSize the size of a volume created without one. Default 1 GiB
   * @throws InvalidArgumentException naming the first invalid setting
   */
  public MemorySettings {
    Objects.requireNonNull(deviceDirectory, "deviceDirectory");
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(defaultSize, "defaultSize");
    if (!deviceDirectory.isAbsolute()) {
      throw new InvalidArgumentException("deviceDirectory", deviceDirectory.toString(),
          "must be an absolute path");
    }
    InstanceId.of(instanceId);
  }
}
