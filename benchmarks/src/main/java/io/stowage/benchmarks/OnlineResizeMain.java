package io.stowage.benchmarks;

import io.stowage.ProgressListener;
import io.stowage.Stowage;
import io.stowage.VolumeService;
import io.stowage.model.ByteSize;
import io.stowage.model.Mount;
import io.stowage.model.MountRequest;
import io.stowage.model.UnmountRequest;
import io.stowage.model.VolumeOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How long a mounted file system takes to show a volume's new size once the back end reports
 * it ({@code benchmarks/run-online-resize}, needs root): the fake driver on a real loop device,
 * a mounted xfs grown by 256 MiB per trial through {@link VolumeService#resize}.
 *
 * <p>The clock starts when the driver's grow has returned, which the core announces with
 * {@link ProgressListener.Step#GROWING_FILE_SYSTEM} (the fake driver has then grown the image
 * and told the loop device), and stops when {@code statfs} on the mounted data directory first
 * reports a total size that includes the growth. Each trial also checks that the mount was
 * never replaced: its mount ID in {@code /proc/self/mountinfo} stays the same.
 */
public final class OnlineResizeMain {
  /** The growth per trial. */
  static final long STEP = 256L << 20;

  private OnlineResizeMain() {}

  /** One trial: the time from the back end's report to statfs, and the whole call's. */
  record Trial(long reportToStatfsMicros, long callMicros) {}

  /**
   * Runs the benchmark.
   *
   * @param args the number of trials (default 20) and the work directory
   * @throws Exception when a trial fails
   */
  public static void main(String[] args) throws Exception {
    int trials = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    Path work = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("online-resize");
    PrintStream out = System.out;
    List<Trial> results = run(work, trials, out);
    out.println(summary("back end reported -> statfs shows it",
        results.stream().map(Trial::reportToStatfsMicros).toList()));
    out.println(summary("whole resize call", results.stream().map(Trial::callMicros).toList()));
  }

  /**
   * Mounts a 1 GiB xfs volume, grows it {@code trials} times by {@link #STEP}, unmounts and
   * removes it.
   */
  static List<Trial> run(Path work, int trials, PrintStream out) throws IOException {
    long[] reported = new long[1];
    ProgressListener clock = (volume, step) -> {
      if (step == ProgressListener.Step.GROWING_FILE_SYSTEM) {
        reported[0] = System.nanoTime();
      }
    };
    List<Trial> results = new ArrayList<>();
    try (Stowage stowage = CycleMain.builder(work).progress(clock).build()) {
      VolumeService volumes = stowage.volumes();
      Mount mount = volumes.mount("grows", MountRequest.builder().caller("bench")
          .options(VolumeOptions.parse(Map.of("size", "1", "newfstype", "xfs"))).build());
      try {
        String mountId = mountId(mount.mountPoint());
        long size = ByteSize.GIB;
        for (int i = 1; i <= trials; i++) {
          long before = Files.getFileStore(mount.path()).getTotalSpace();
          size += STEP;
          long called = System.nanoTime();
          volumes.resize("grows", new ByteSize(size));
          long returned = System.nanoTime();
          long seen = awaitTotalAbove(mount.path(), before + STEP * 9 / 10);
          if (!mountId.equals(mountId(mount.mountPoint()))) {
            throw new IllegalStateException("the volume was remounted during trial " + i);
          }
          Trial t = new Trial(TimeUnit.NANOSECONDS.toMicros(seen - reported[0]),
              TimeUnit.NANOSECONDS.toMicros(returned - called));
          out.printf(Locale.ROOT, "trial %d: %d MiB, report -> statfs %.1f ms, call %.1f ms%n",
              i, size >> 20, t.reportToStatfsMicros() / 1000.0, t.callMicros() / 1000.0);
          results.add(t);
        }
      } finally {
        volumes.unmount("grows", UnmountRequest.caller("bench"));
        volumes.remove("grows", false);
      }
    }
    return results;
  }

  /** Polls statfs until the total passes a size; returns when it first did. */
  private static long awaitTotalAbove(Path path, long bytes) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (Files.getFileStore(path).getTotalSpace() < bytes) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("statfs of " + path + " never showed " + bytes);
      }
      Thread.onSpinWait();
    }
    return System.nanoTime();
  }

  private static String mountId(Path mountPoint) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String[] fields = line.split(" ");
      if (fields.length > 4 && fields[4].equals(mountPoint.toString())) {
        return fields[0];
      }
    }
    throw new IllegalStateException(mountPoint + " is not mounted");
  }

  static String summary(String what, List<Long> micros) {
    List<Long> sorted = new ArrayList<>(micros);
    Collections.sort(sorted);
    return String.format(Locale.ROOT, "%-38s trials %d  median %.1f ms  p90 %.1f ms  max %.1f ms",
        what, sorted.size(), at(sorted, 50) / 1000.0, at(sorted, 90) / 1000.0,
        sorted.get(sorted.size() - 1) / 1000.0);
  }

  private static long at(List<Long> sorted, int percent) {
    int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }
}
