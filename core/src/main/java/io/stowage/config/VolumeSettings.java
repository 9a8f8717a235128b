package io.stowage.config;

import io.stowage.model.VolumeOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How one service handles volumes: the volume settings of the configuration with the service's
 * overrides applied. Immutable. {@link StowageConfig#volumeSettings()} gives the settings every
 * service starts from; {@link ServiceConfig#volumes()} a service's effective ones.
 *
 * @param createDefaults options for a create that the request does not give (size 16 GiB and
 *     file system ext4 unless configured)
 * @param implicitCreate whether mount creates a missing volume
 * @param createDisabled whether create is refused
 * @param removeDisabled whether remove is refused
 * @param removeForce whether remove detaches and removes an attached volume
 * @param preempt whether mount takes a volume over from another instance by default
 * @param ignoreUsedCount whether unmount ignores other callers' uses by default
 * @param mountRoot the directory volumes mount under, as {@code <mountRoot>/<name>}
 * @param dataDir the subdirectory created inside each mounted volume and handed to callers
 * @param dataDirMode the permission bits of that subdirectory
 * @param attachTimeout the longest wait for an attachment's device to appear
 */
public record VolumeSettings(
    VolumeOptions createDefaults,
    boolean implicitCreate,
    boolean createDisabled,
    boolean removeDisabled,
    boolean removeForce,
    boolean preempt,
    boolean ignoreUsedCount,
    Path mountRoot,
    String dataDir,
    int dataDirMode,
    Duration attachTimeout) {

  /**
   * Validates the settings.
   *
   * @param createDefaults options for a create that the request does not give
   * @param implicitCreate whether mount creates a missing volume
   * @param createDisabled whether create is refused
   * @param removeDisabled whether remove is refused
   * @param removeForce whether remove detaches and removes an attached volume
   * @param preempt whether mount takes a volume over from another instance by default
   * @param ignoreUsedCount whether unmount ignores other callers' uses by default
   * @param mountRoot the directory volumes mount under, as {@code <mountRoot>/<name>}
   * @param dataDir the subdirectory created inside each mounted volume and handed to callers
   * @param dataDirMode the permission bits of that subdirectory
   * @param attachTimeout the longest wait for an attachment's device to appear
   */
  public VolumeSettings {
    Objects.requireNonNull(createDefaults, "createDefaults");
    Objects.requireNonNull(mountRoot, "mountRoot");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(attachTimeout, "attachTimeout");
  }
}
