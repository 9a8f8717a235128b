package io.stowage.spi;

import io.stowage.model.Attachment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Finds the local block device of an attachment. The core waits for the device with a
 * {@link #watch()} it starts before attaching: it asks {@link #locate} each time one of the
 * {@linkplain #watchDirectories() watched directories} changes, and on a short poll as a
 * fallback, until the device exists or the attach timeout runs out. Must be thread-safe.
 */
public interface DeviceLocator {
  /**
   * Returns the local block device of an attachment if it is visible now. Must be cheap and
   * must not block: it reads {@code /dev}, {@code /sys} or the driver's own records. A path it
   * returns that does not exist counts as not found yet.
   *
   * @param attachment the attachment the driver returned
   * @return the device path, such as {@code /dev/xvdf} or {@code /dev/loop3}
   */
  Optional<Path> locate(Attachment attachment);

  /**
   * Returns the directories whose changes may reveal the device: where its node or link
   * appears, or where the driver's records change.
   *
   * @return directories to watch; missing ones are skipped
   */
  default List<Path> watchDirectories() {
    return List.of(Path.of("/dev"));
  }

  /**
   * Starts watching the {@linkplain #watchDirectories() watched directories}, before the attach
   * whose device the watch then awaits, so that no change is missed and setting the watch up
   * overlaps the attach. This is the one wait loop of Stowage: the core, the contract kit and
   * the benchmarks all use it, whatever the host.
   *
   * @return the watch, which the caller closes
   */
  default DeviceWatch watch() {
    return new DeviceWatch(this, DeviceWatch.POLL_INTERVAL);
  }

  /**
   * Waits until {@link #locate} finds a device that exists: at once when it is there already,
   * else through a {@link #watch()}.
   *
   * @param attachment the attachment
   * @param timeout the longest wait, measured on the monotonic clock; never exceeded
   * @return the device
   * @throws io.stowage.exception.OperationTimeoutException naming the attachment, the watched
   *     directories and the wait
   * @throws io.stowage.exception.StowageException when the thread is interrupted
   */
  default Path await(Attachment attachment, Duration timeout) {
    Optional<Path> present = locate(attachment).filter(Files::exists);
    if (present.isPresent()) {
      return present.get();
    }
    try (DeviceWatch watch = watch()) {
      return watch.await(attachment, timeout);
    }
  }
}
