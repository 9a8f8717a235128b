package io.stowage.benchmarks;

import io.stowage.Stowage;
import io.stowage.VolumeService;
import io.stowage.driver.fake.FakeDriverProvider;
import io.stowage.model.Mount;
import io.stowage.model.MountRequest;
import io.stowage.model.UnmountRequest;
import io.stowage.model.VolumeOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The SDK side of the whole-process cycle benchmark ({@code benchmarks/run-cycles}): one
 * long-running JVM that runs whole volume cycles through {@link Stowage} with the fake driver
 * on real loop devices and the real Linux host: create the volume (a 1 GiB sparse image), mount
 * it (attach a loop device, {@code mkfs.ext4}, mount), write a file, unmount it (unmount,
 * detach) and remove it. Needs root.
 *
 * <p>Protocol, one line each: it prints {@code ready <startup ms>} once Stowage is open, then
 * before each cycle it reads a line from standard input and answers {@code sdk <cycle> <ms>}
 * (or {@code error <cycle> <message>}). It stops after the given number of cycles or at the end
 * of its input. Whatever a failed cycle left is released (unmount, detach, remove) before the
 * next line is read, and Stowage is closed at the end, also on failure.
 */
public final class CycleMain {
  private static final String CALLER = "cycle";

  private CycleMain() {}

  /**
   * Runs the cycles.
   *
   * @param args the work directory (created if missing; holds the fake store, the state and
   *     the mount root) and the number of cycles
   * @throws IOException when standard input or the work directory fails
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: CycleMain <work directory> <cycles>");
      System.exit(2);
    }
    long started = System.nanoTime();
    Path work = Files.createDirectories(Path.of(args[0]).toAbsolutePath());
    int cycles = Integer.parseInt(args[1]);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
        StandardCharsets.UTF_8));
    boolean failed = false;
    try (Stowage stowage = open(work)) {
      VolumeService volumes = stowage.volumes();
      out.printf(Locale.ROOT, "ready %.1f%n", millisSince(started));
      for (int i = 1; i <= cycles && in.readLine() != null; i++) {
        String name = "cycle-" + i;
        long start = System.nanoTime();
        try {
          cycle(volumes, name);
          out.printf(Locale.ROOT, "sdk %d %.1f%n", i, millisSince(start));
        } catch (RuntimeException | IOException e) {
          failed = true;
          out.printf(Locale.ROOT, "error %d %s%n", i, e.toString().replace('\n', ' '));
          e.printStackTrace();
        } finally {
          release(volumes, name);
        }
      }
    }
    if (failed) {
      System.exit(1);
    }
  }

  /** One cycle: create, mount, write, unmount, remove. */
  static void cycle(VolumeService volumes, String name) throws IOException {
    volumes.create(name, VolumeOptions.parse(Map.of("size", "1")));
    Mount mount = volumes.mount(name, MountRequest.builder().caller(CALLER).build());
    Files.writeString(mount.path().resolve("hello.txt"), "hello from " + name + "\n");
    volumes.unmount(name, UnmountRequest.caller(CALLER));
    volumes.remove(name, false);
  }

  /** Releases whatever a cycle left: its mount, its loop device and the volume itself. */
  private static void release(VolumeService volumes, String name) {
    try {
      if (volumes.find(name).isPresent()) {
        volumes.remove(name, true);
      }
    } catch (RuntimeException e) {
      System.err.println("cannot release volume " + name + ": " + e);
    }
  }

  static Stowage open(Path work) {
    return builder(work).build();
  }

  /** A builder for the fake driver with loop devices, its store and state under a directory. */
  static Stowage.Builder builder(Path work) {
    return Stowage.builder()
        .discoverProviders(false)
        .provider(new FakeDriverProvider())
        .setting("stowage.storageDrivers", "fake")
        .setting("stowage.state.directory", work.resolve("state").toString())
        .setting("stowage.volume.mount.root", work.resolve("volumes").toString())
        .setting("fake.root", work.resolve("store").toString())
        .setting("fake.instanceId", "cycle-host")
        .setting("fake.devices", "loop");
  }

  private static double millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1e6;
  }
}
