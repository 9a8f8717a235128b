package io.stowage.driver.fake.crash;

import io.stowage.Stowage;
import io.stowage.VolumeService;
import io.stowage.driver.fake.FakeDriverProvider;
import io.stowage.model.MountRequest;
import io.stowage.model.UnmountRequest;
import io.stowage.model.VolumeOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * The child process of {@link CrashTest}: opens Stowage on the fake driver with real loop
 * devices under a work directory (which reconciles whatever an earlier, killed child left),
 * prints {@code READY}, then follows one command read from stdin:
 * <ul>
 *   <li>{@code GO}: mounts and unmounts at random until killed, printing
 *       {@code BEGIN <op> <volume> <caller>} before each call and
 *       {@code ACK <op> <volume> <caller>} once it has returned, or {@code FAIL ...} when it
 *       threw. {@code op} is {@code mount} (which creates the volume when it is missing),
 *       {@code unmount}, {@code unmountall} (an unmount with ignoreUsedCount) or
 *       {@code remove} (an unmountall, then a remove, so that the next mount creates and
 *       formats the volume again);
 *   <li>{@code FINAL}: unmounts every volume with ignoreUsedCount, prints {@code DONE} and
 *       exits.
 * </ul>
 * Every line is flushed as soon as it is printed.
 */
public final class MountLoopMain {
  static final String INSTANCE = "crash-host";
  static final String READY = "READY";
  static final String DONE = "DONE";
  static final String GO = "GO";
  static final String FINAL = "FINAL";

  private MountLoopMain() {}

  /**
   * Runs the child.
   *
   * @param args work directory, random seed, number of volumes, callers per volume
   * @throws Exception when reading stdin fails; any failure ends the process non-zero
   */
  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    long seed = Long.parseLong(args[1]);
    int volumeCount = Integer.parseInt(args[2]);
    int callerCount = Integer.parseInt(args[3]);
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out),
        true, StandardCharsets.UTF_8);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
        StandardCharsets.UTF_8));
    try (Stowage stowage = open(work)) {
      VolumeService volumes = stowage.volumes();
      out.println(READY);
      String command = in.readLine();
      if (GO.equals(command)) {
        loop(volumes, new Random(seed), volumeCount, callerCount, out);
      } else if (FINAL.equals(command)) {
        for (int v = 1; v <= volumeCount; v++) {
          String volume = volume(v);
          if (volumes.find(volume).isPresent()) {
            volumes.unmount(volume, UnmountRequest.caller(caller(1)).withIgnoreUsedCount(true));
          }
        }
        out.println(DONE);
      }
    }
  }

  static Stowage open(Path work) {
    return builder(work).build();
  }

  static Stowage.Builder builder(Path work) {
    return Stowage.builder()
        .discoverProviders(false)
        .provider(new FakeDriverProvider())
        .setting("stowage.storageDrivers", "fake")
        .setting("stowage.volume.mount.root", work.resolve("mnt").toString())
        .setting("stowage.state.directory", work.resolve("state").toString())
        .setting("fake.root", work.resolve("fake").toString())
        .setting("fake.instanceId", INSTANCE)
        .setting("fake.devices", "loop");
  }

  static String volume(int index) {
    return "vol-" + index;
  }

  static String caller(int index) {
    return "caller-" + index;
  }

  private static void loop(VolumeService volumes, Random random, int volumeCount,
      int callerCount, PrintStream out) {
    VolumeOptions options = VolumeOptions.parse(Map.of("size", "1"));
    while (true) {
      String volume = volume(1 + random.nextInt(volumeCount));
      String caller = caller(1 + random.nextInt(callerCount));
      int dice = random.nextInt(100);
      String op = dice < 48 ? "mount" : dice < 93 ? "unmount" : dice < 97 ? "unmountall"
          : "remove";
      if (!op.equals("mount") && volumes.find(volume).isEmpty()) {
        continue; // never created yet: an unmount would be "not found"
      }
      String what = op + " " + volume + " " + caller;
      out.println("BEGIN " + what);
      try {
        switch (op) {
          case "mount" -> volumes.mount(volume,
              MountRequest.builder().caller(caller).options(options).build());
          case "unmount" -> volumes.unmount(volume, UnmountRequest.caller(caller));
          case "unmountall" -> volumes.unmount(volume,
              UnmountRequest.caller(caller).withIgnoreUsedCount(true));
          default -> {
            volumes.unmount(volume, UnmountRequest.caller(caller).withIgnoreUsedCount(true));
            volumes.remove(volume, false);
          }
        }
        out.println("ACK " + what);
      } catch (RuntimeException e) {
        out.println("FAIL " + what + " " + e.toString().replace('\n', ' '));
        e.printStackTrace();
      }
    }
  }
}
