package io.stowage.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How tests run the real stack: with root, the fake driver's loop devices and the real host;
 * without root, its simulated devices and simulated host. Under CI=true root is asserted.
 */
public final class TestHost {
  private TestHost() {}

  /** Whether this process runs as root. */
  public static boolean root() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return "0".equals(line.substring(4).strip().split("\\s+")[1]);
        }
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }

  /** Asserts root under CI=true; elsewhere only reports it. */
  public static boolean loopDevices() {
    boolean root = root() && Files.exists(Path.of("/dev/loop-control"));
    if ("true".equals(System.getenv("CI"))) {
      assertTrue(root, "CI runs these tests as root with /dev/loop-control");
    }
    return root;
  }

  /** Skips a test that needs root, outside CI. */
  public static void assumeRootOutsideCi() {
    if (!"true".equals(System.getenv("CI"))) {
      assumeTrue(root(), "needs root");
    } else {
      assertTrue(root(), "CI runs these tests as root");
    }
  }

  /** The global options that point the stowage command at a private fake back end. */
  public static List<String> stowageOptions(Path dir) {
    List<String> options = new ArrayList<>(List.of(
        "--set=stowage.storageDrivers=fake",
        "--set=fake.root=" + dir.resolve("fake"),
        "--set=stowage.state.directory=" + dir.resolve("state"),
        "--set=stowage.volume.mount.root=" + dir.resolve("mnt")));
    if (loopDevices()) {
      options.add("--set=fake.devices=loop");
    } else {
      options.add("--set=fake.devices=simulated");
      options.add("--simulated-host=" + dir.resolve("host"));
    }
    return options;
  }
}
