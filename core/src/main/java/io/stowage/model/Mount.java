package io.stowage.model;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A mounted volume, as a mount call returns it.
 *
 * @param volume the volume as the back end reported it after the mount
 * @param device the local block device
 * @param mountPoint where the device is mounted ({@code <mount root>/<name>})
 * @param path the data directory handed to the caller ({@code <mountPoint>/<data dir>})
 * @param created whether this call created the volume (implicit create)
 * @param formatted whether this call created a file system on it
 */
public record Mount(Volume volume, Path device, Path mountPoint, Path path, boolean created,
    boolean formatted) {
  /**
   * Validates the mount.
   *
   * @param volume the volume as the back end reported it after the mount
   * @param device the local block device
   * @param mountPoint where the device is mounted ({@code <mount root>/<name>})
   * @param path the data directory handed to the caller ({@code <mountPoint>/<data dir>})
   * @param created whether this call created the volume (implicit create)
   * @param formatted whether this call created a file system on it
   */
  public Mount {
    Objects.requireNonNull(volume, "volume");
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(mountPoint, "mountPoint");
    Objects.requireNonNull(path, "path");
  }
}
