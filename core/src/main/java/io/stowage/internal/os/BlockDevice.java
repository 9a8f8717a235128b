package io.stowage.internal.os;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A local block device as {@code /sys/class/block} describes it.
 *
 * @param name the kernel name, such as {@code loop3}, {@code xvdf} or {@code nvme1n1}
 * @param path the device node, {@code /dev/<name>}
 * @param sizeBytes the size in bytes (0 for an unbound loop device)
 * @param serial the device's serial number when the kernel reports one (for an EBS volume on
 *     NVMe it is the volume ID without its dash)
 * @param loopBackingFile for a bound loop device, the file behind it
 * @param partition whether it is a partition of another device
 */
public record BlockDevice(String name, Path path, long sizeBytes, Optional<String> serial,
    Optional<Path> loopBackingFile, boolean partition) {
  /**
   * Validates the device.
   *
   * @param name the kernel name, such as {@code loop3}, {@code xvdf} or {@code nvme1n1}
   * @param path the device node, {@code /dev/<name>}
   * @param sizeBytes the size in bytes (0 for an unbound loop device)
   * @param serial the device's serial number when the kernel reports one (for an EBS volume on NVMe
   *     it is the volume ID without its dash)
   * @param loopBackingFile for a bound loop device, the file behind it
   * @param partition whether it is a partition of another device
   */
  public BlockDevice {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(loopBackingFile, "loopBackingFile");
    if (sizeBytes < 0) {
      throw new IllegalArgumentException("sizeBytes must not be negative: " + sizeBytes);
    }
  }
}
