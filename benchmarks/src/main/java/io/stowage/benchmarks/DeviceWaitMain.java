package io.stowage.benchmarks;

import io.stowage.model.Attachment;
import io.stowage.model.InstanceId;
import io.stowage.model.VolumeId;
import io.stowage.spi.DeviceLocator;
import io.stowage.spi.DeviceWatch;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * How fast the device wait sees a device appear: the time from a device node being created to
 * the waiter returning, over many trials ({@code benchmarks/run-device-wait}).
 *
 * <p>Each trial does what a mount does: it starts a {@link DeviceWatch} on a locator that finds
 * {@code <dir>/dev-<n>} (the core starts it before the attach), starts a waiter on it, lets
 * the waiter settle into its wait for a random 5 to 25 ms (the attach's round trip), then
 * creates the node and takes the time just before the creation; the waiter takes the time as
 * {@link DeviceWatch#await} returns. Two scenarios: the node appears in a directory the
 * locator watches (the event path, what a driver's locator gives for {@code /dev} or
 * {@code /dev/disk/by-id}), and in one it does not watch (the 100 ms poll that covers changes
 * no event reports).
 */
public final class DeviceWaitMain {
  private static final Attachment ATTACHMENT =
      new Attachment(VolumeId.of("vol-bench"), InstanceId.of("bench"), "dev");

  private DeviceWaitMain() {}

  /** One scenario's latencies. */
  record Result(String scenario, List<Long> micros) {
    long percentile(double p) {
      List<Long> sorted = new ArrayList<>(micros);
      Collections.sort(sorted);
      int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
      return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    String line() {
      return String.format(Locale.ROOT, "%-10s trials %d  median %.2f ms  p90 %.2f ms  p99 %.2f"
          + " ms  max %.2f ms", scenario, micros.size(), percentile(50) / 1000.0,
          percentile(90) / 1000.0, percentile(99) / 1000.0, percentile(100) / 1000.0);
    }
  }

  /**
   * Runs the benchmark.
   *
   * @param args the number of trials per scenario (default 200) and the work directory
   *     (default a new temporary one)
   * @throws Exception when a trial fails
   */
  public static void main(String[] args) throws Exception {
    int trials = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    Path work = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("device-wait");
    PrintStream out = System.out;
    out.println(run("watched", trials, work, true).line());
    out.println(run("unwatched", Math.max(1, trials / 4), work, false).line());
  }

  /**
   * Runs one scenario.
   *
   * @param scenario its name
   * @param trials how many trials
   * @param work a directory for the nodes
   * @param watched whether the node's directory is among the locator's watched ones
   * @return the latencies
   * @throws Exception when a trial fails or times out
   */
  static Result run(String scenario, int trials, Path work, boolean watched) throws Exception {
    Path devices = Files.createDirectories(work.resolve(scenario));
    Path quiet = Files.createDirectories(work.resolve(scenario + "-watched-but-quiet"));
    List<Long> micros = new ArrayList<>();
    ExecutorService waiter = Executors.newSingleThreadExecutor();
    try {
      for (int i = 0; i < trials; i++) {
        Path node = devices.resolve("dev-" + i);
        DeviceLocator locator = locator(node, watched ? devices : quiet);
        try (DeviceWatch watch = locator.watch()) {
          CountDownLatch started = new CountDownLatch(1);
          Future<Long> returned = waiter.submit(() -> {
            started.countDown();
            watch.await(ATTACHMENT, Duration.ofSeconds(10));
            return System.nanoTime();
          });
          started.await();
          TimeUnit.MILLISECONDS.sleep(5 + ThreadLocalRandom.current().nextInt(21));
          long created = System.nanoTime();
          Files.createFile(node);
          long back = returned.get(15, TimeUnit.SECONDS);
          micros.add(TimeUnit.NANOSECONDS.toMicros(back - created));
        }
        Files.delete(node);
      }
    } finally {
      waiter.shutdownNow();
    }
    return new Result(scenario, micros);
  }

  private static DeviceLocator locator(Path node, Path watchedDirectory) {
    return new DeviceLocator() {
      @Override
      public Optional<Path> locate(Attachment attachment) {
        return Optional.of(node);
      }

      @Override
      public List<Path> watchDirectories() {
        return List.of(watchedDirectory);
      }
    };
  }

  /** Deletes the nodes a run made; the work directory stays. */
  static void clean(Path work) throws IOException {
    for (String dir : List.of("watched", "unwatched")) {
      for (Path p : List.of(work.resolve(dir), work.resolve(dir + "-watched-but-quiet"))) {
        if (Files.isDirectory(p)) {
          try (var entries = Files.list(p)) {
            for (Path e : (Iterable<Path>) entries::iterator) {
              Files.delete(e);
            }
          }
          Files.delete(p);
        }
      }
    }
  }
}
