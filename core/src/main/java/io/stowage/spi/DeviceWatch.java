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

/**
 * A watch on a locator's directories, started before the attach whose device it awaits, so
 * that setting it up costs nothing once the device can appear and no change is missed: the
 * one wait loop of Stowage. Change events (inotify on Linux) wake the wait within
 * milliseconds of the device appearing; a poll every 100 ms covers changes no event reports.
 * Deadlines are measured on the monotonic clock. One thread uses a watch, then closes it.
 *
 * <pre>{@code
 * try (DeviceWatch watch = locator.watch()) {
 *   Attachment attachment = driver.attach(id, local, false);
 *   Path device = watch.await(attachment, Duration.ofSeconds(30));
 * }
 * }</pre>
 */
public final class DeviceWatch implements AutoCloseable {
  /** How often the locator is asked when no change event comes. */
  static final Duration POLL_INTERVAL = Duration.ofMillis(100);

  private final DeviceLocator locator;
  private final Duration pollInterval;
  private final List<Path> watched = new ArrayList<>();
  private final WatchService watcher;

  DeviceWatch(DeviceLocator locator, Duration pollInterval) {
    this.locator = Objects.requireNonNull(locator, "locator");
    this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
    try {
      this.watcher = FileSystems.getDefault().newWatchService();
    } catch (IOException e) {
      throw new StowageException("cannot watch for devices: " + e.getMessage(), e);
    }
    for (Path dir : locator.watchDirectories()) {
      if (Files.isDirectory(dir)) {
        try {
          dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
              StandardWatchEventKinds.ENTRY_MODIFY);
          watched.add(dir);
        } catch (IOException e) {
          // Polling still finds the device; a timeout names what was watched.
        }
      }
    }
  }

  /**
   * Waits until the locator finds a device of the attachment that exists.
   *
   * @param attachment the attachment
   * @param timeout the longest wait; never exceeded
   * @return the device
   * @throws OperationTimeoutException naming the attachment, the watched directories and the
   *     wait
   * @throws StowageException when the thread is interrupted
   */
  public Path await(Attachment attachment, Duration timeout) {
    Objects.requireNonNull(attachment, "attachment");
    Objects.requireNonNull(timeout, "timeout");
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        Optional<Path> found = locator.locate(attachment).filter(Files::exists);
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
        WatchKey key = watcher.poll(Math.max(1, Math.min(remaining, pollInterval.toNanos())),
            TimeUnit.NANOSECONDS);
        while (key != null) {
          key.pollEvents();
          key.reset();
          key = watcher.poll();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StowageException("interrupted while waiting for the device of attachment "
          + attachment.device() + " of volume " + attachment.volumeId(), e);
    }
  }

  /** Stops watching. */
  @Override
  public void close() {
    try {
      watcher.close();
    } catch (IOException e) {
      // The watch service's thread ends with it; nothing is left to release.
    }
  }
}
