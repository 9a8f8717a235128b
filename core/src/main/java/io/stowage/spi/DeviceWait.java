package io.stowage.spi;

import io.stowage.exception.OperationTimeoutException;
import io.stowage.exception.StowageException;
import io.stowage.model.Attachment;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The wait behind {@link DeviceLocator#await}: change events first, a bounded poll second. */
final class DeviceWait {
  /** How often the locator is asked when no change event comes. */
  static final Duration POLL_INTERVAL = Duration.ofMillis(100);

  private DeviceWait() {}

  static Path await(DeviceLocator locator, Attachment attachment, Duration timeout,
      Duration pollInterval) {
    Objects.requireNonNull(attachment, "attachment");
    Objects.requireNonNull(timeout, "timeout");
    long deadline = System.nanoTime() + timeout.toNanos();
    Optional<Path> found = present(locator, attachment);
    if (found.isPresent()) {
      return found.get();
    }
    List<Path> watched = new ArrayList<>();
    try (WatchService watcher = FileSystems.getDefault().newWatchService()) {
      for (Path dir : locator.watchDirectories()) {
        if (Files.isDirectory(dir)) {
          try {
            dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
                StandardWatchEventKinds.ENTRY_MODIFY);
            watched.add(dir);
          } catch (IOException e) {
            // Polling still finds the device; the timeout message lists what was watched.
          }
        }
      }
      while (true) {
        // Asked again after registering, so that a device appearing in between is not missed.
        found = present(locator, attachment);
        if (found.isPresent()) {
          return found.get();
        }
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          throw new OperationTimeoutException("device " + attachment.device() + " of volume "
              + attachment.volumeId() + " on instance " + attachment.instanceId()
              + " to appear (watched " + watched + ", polled every " + pollInterval.toMillis()
              + " ms)", timeout);
        }
        long wait = Math.min(remaining, pollInterval.toNanos());
        WatchKey key = watcher.poll(Math.max(1, wait), TimeUnit.NANOSECONDS);
        while (key != null) {
          key.pollEvents();
          key.reset();
          key = watcher.poll();
        }
      }
    } catch (IOException e) {
      throw new StowageException("cannot watch for the device of attachment "
          + attachment.device() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StowageException("interrupted while waiting for the device of attachment "
          + attachment.device() + " of volume " + attachment.volumeId(), e);
    }
  }

  private static Optional<Path> present(DeviceLocator locator, Attachment attachment) {
    return locator.locate(attachment).filter(Files::exists);
  }
}
