package io.stowage.spi;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One line of the mount table ({@code /proc/self/mountinfo}).
 *
 * @param mountId the kernel's mount ID
 * @param source the mounted device or source, unescaped
 * @param mountPoint where it is mounted, unescaped
 * @param fsType the file system type
 * @param options the per-mount options
 */
public record MountEntry(int mountId, String source, Path mountPoint, String fsType,
    List<String> options) {
  /**
   * Validates the entry and copies the options.
   *
   * @param mountId the kernel's mount ID
   * @param source the mounted device or source, unescaped
   * @param mountPoint where it is mounted, unescaped
   * @param fsType the file system type
   * @param options the per-mount options
   */
  public MountEntry {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(mountPoint, "mountPoint");
    Objects.requireNonNull(fsType, "fsType");
    options = List.copyOf(options);
  }
}
