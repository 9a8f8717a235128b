package io.stowage.tck;

import io.stowage.spi.Default;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The settings of the reference driver.
 *
 * @param deviceDirectory where the devices of local attachments appear
 * @param instanceId the local instance
 * @param defect the defect to inject, if any
 */
public record ReferenceSettings(
    Path deviceDirectory,
    @Default("tck-local") String instanceId,
    Optional<Defect> defect) {
  /** Validates the settings. */
  public ReferenceSettings {
    Objects.requireNonNull(deviceDirectory, "deviceDirectory");
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(defect, "defect");
  }
}
