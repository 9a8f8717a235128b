package io.stowage.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stowage.exception.OperationTimeoutException;
import io.stowage.model.Attachment;
import io.stowage.model.InstanceId;
import io.stowage.model.VolumeId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one device wait loop: events first, a bounded poll second, never past the deadline. */
class DeviceWatchTest {
  private static final Attachment ATTACHMENT =
      new Attachment(VolumeId.of("vol-1"), InstanceId.of("i-1"), "xvdf");

  @TempDir
  Path dev;

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stopScheduler() {
    scheduler.shutdownNow();
  }

  /** A locator that finds {@code <dir>/<attachment device>} and counts its calls. */
  private static final class DirectoryLocator implements DeviceLocator {
    private final Path dir;
    private final List<Path> watched;
    private final AtomicInteger calls = new AtomicInteger();

    DirectoryLocator(Path dir, List<Path> watched) {
      this.dir = dir;
      this.watched = watched;
    }

    @Override
    public Optional<Path> locate(Attachment attachment) {
      calls.incrementAndGet();
      return Optional.of(dir.resolve(attachment.device()));
    }

    @Override
    public List<Path> watchDirectories() {
      return watched;
    }
  }

  /** The wait with a given poll interval. */
  private record Waiter(Duration pollInterval) {
    Path awaitDevice(DeviceLocator locator, Attachment attachment, Duration timeout) {
      try (DeviceWatch watch = new DeviceWatch(locator, pollInterval)) {
        return watch.await(attachment, timeout);
      }
    }
  }

  private static Waiter waiter(Duration pollInterval) {
    return new Waiter(pollInterval);
  }

  private void createLater(Path file, long delayMillis) {
    scheduler.schedule(() -> {
      Files.createFile(file);
      return null;
    }, delayMillis, TimeUnit.MILLISECONDS);
  }

  @Test
  void returnsADeviceThatIsAlreadyThere() throws IOException {
    Path device = Files.createFile(dev.resolve("xvdf"));
    DirectoryLocator locator = new DirectoryLocator(dev, List.of(dev));
    assertEquals(device, waiter(Duration.ofMillis(100))
        .awaitDevice(locator, ATTACHMENT, Duration.ofSeconds(5)));
    assertEquals(1, locator.calls.get());
  }

  @Test
  void theLocatorsDefaultAwaitIsThisLoop() throws IOException {
    Path device = Files.createFile(dev.resolve("xvdf"));
    DirectoryLocator locator = new DirectoryLocator(dev, List.of(dev));
    assertEquals(device, locator.await(ATTACHMENT, Duration.ofSeconds(5)));
    DirectoryLocator missing = new DirectoryLocator(dev.resolve("none"), List.of(dev));
    assertThrows(OperationTimeoutException.class,
        () -> missing.await(ATTACHMENT, Duration.ofMillis(150)));
  }

  @Test
  void findsADeviceThatAppearsLaterThroughTheWatchNotThePoll() {
    // The poll interval is far longer than the test allows: only the watch event can wake it.
    Waiter waiter = waiter(Duration.ofSeconds(30));
    DirectoryLocator locator = new DirectoryLocator(dev, List.of(dev));
    Path device = dev.resolve("xvdf");
    createLater(device, 300);
    long start = System.nanoTime();
    Path found = waiter.awaitDevice(locator, ATTACHMENT, Duration.ofSeconds(20));
    long elapsedMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
    assertEquals(device, found);
    // Well before the 30 s poll: the change event woke the wait.
    assertTrue(elapsedMillis < 10_000, "found after " + elapsedMillis + " ms");
  }

  @Test
  void aWatchStartedBeforeTheAttachSeesADeviceThatAppearsBeforeTheWait() throws IOException {
    DirectoryLocator locator = new DirectoryLocator(dev, List.of(dev));
    try (DeviceWatch watch = new DeviceWatch(locator, Duration.ofSeconds(30))) {
      Path device = Files.createFile(dev.resolve("xvdf"));
      long start = System.nanoTime();
      assertEquals(device, watch.await(ATTACHMENT, Duration.ofSeconds(20)));
      long elapsedMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
      assertTrue(elapsedMillis < 10_000, "found after " + elapsedMillis + " ms");
    }
  }

  @Test
  void findsADeviceOutsideTheWatchedDirectoriesByPolling() throws IOException {
    Path elsewhere = Files.createDirectory(dev.resolve("elsewhere"));
    DirectoryLocator locator = new DirectoryLocator(elsewhere,
        List.of(dev.resolve("missing-by-id"), Files.createDirectory(dev.resolve("quiet"))));
    createLater(elsewhere.resolve("xvdf"), 200);
    long start = System.nanoTime();
    Path found = waiter(Duration.ofMillis(50)).awaitDevice(locator, ATTACHMENT,
        Duration.ofSeconds(20));
    long elapsedMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
    assertEquals(elsewhere.resolve("xvdf"), found);
    assertTrue(elapsedMillis < 3_000, "found after " + elapsedMillis + " ms");
  }

  @Test
  void timesOutWithinTheDeadlineNamingTheDevice() {
    DirectoryLocator locator = new DirectoryLocator(dev, List.of(dev));
    Duration timeout = Duration.ofMillis(500);
    long start = System.nanoTime();
    OperationTimeoutException e = assertThrows(OperationTimeoutException.class,
        () -> waiter(Duration.ofMillis(100)).awaitDevice(locator, ATTACHMENT, timeout));
    long elapsedMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
    assertTrue(elapsedMillis >= 490 && elapsedMillis < 500 + 400,
        "gave up after " + elapsedMillis + " ms");
    assertEquals(timeout, e.waited());
    assertTrue(e.getMessage().contains("xvdf"), e.getMessage());
    assertTrue(e.getMessage().contains("vol-1"), e.getMessage());
    assertTrue(locator.calls.get() >= 3, "polled " + locator.calls.get() + " times");
  }

  @Test
  void neverWaitsPastTheDeadlineEvenWithALongPollInterval() {
    DirectoryLocator locator = new DirectoryLocator(dev, List.of(dev));
    long start = System.nanoTime();
    assertThrows(OperationTimeoutException.class, () -> waiter(Duration.ofSeconds(30))
        .awaitDevice(locator, ATTACHMENT, Duration.ofMillis(300)));
    long elapsedMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
    assertTrue(elapsedMillis < 300 + 400, "gave up after " + elapsedMillis + " ms");
  }

  @Test
  void ignoresALocatedPathThatDoesNotExistYet() {
    DirectoryLocator locator = new DirectoryLocator(dev, List.of(dev));
    assertThrows(OperationTimeoutException.class, () -> waiter(Duration.ofMillis(20))
        .awaitDevice(locator, ATTACHMENT, Duration.ofMillis(100)));
  }

  @Test
  void timesOutAtOnceForAZeroTimeout() {
    DirectoryLocator locator = new DirectoryLocator(dev, List.of(dev));
    assertThrows(OperationTimeoutException.class, () -> waiter(Duration.ofMillis(20))
        .awaitDevice(locator, ATTACHMENT, Duration.ZERO));
  }
}
