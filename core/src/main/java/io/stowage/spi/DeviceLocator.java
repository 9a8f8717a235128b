package io.stowage.spi;

import io.stowage.model.Attachment;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Finds the local block device of an attachment. The core calls {@link #locate} each time one
 * of the {@linkplain #watchDirectories() watched directories} changes, and on a short poll as
 * a fallback, until the device appears or the attach timeout runs out. Must be thread-safe.
 */
public interface DeviceLocator {
  /**
   * Returns the local block device of an attachment if it is visible now. Must be cheap and
   * must not block: it reads {@code /dev}, {@code /sys} or the driver's own records.
   *
   * @param attachment the attachment the driver returned
   * @return the device path, such as {@code /dev/xvdf} or {@code /dev/loop3}
   */
  Optional<Path> locate(Attachment attachment);

  /**
   * Returns the directories whose changes may reveal the device.
   *
   * @return directories to watch; missing ones are skipped
   */
  default List<Path> watchDirectories() {
    return List.of(Path.of("/dev"));
  }
}
