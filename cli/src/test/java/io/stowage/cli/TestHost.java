package io.stowage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

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

  /** Asserts a condition of the environment under CI=true; elsewhere skips the test without it. */
  public static void require(boolean condition, String what) {
    if ("true".equals(System.getenv("CI"))) {
      assertTrue(condition, "CI provides " + what);
    } else {
      assumeTrue(condition, "needs " + what);
    }
  }

  /** The mount points at or under a directory, from /proc/self/mountinfo. */
  public static List<Path> mountsUnder(Path dir) throws IOException {
    List<Path> mounts = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      Path point = Path.of(line.split(" ")[4].replace("\\040", " "));
      if (point.startsWith(dir)) {
        mounts.add(point);
      }
    }
    return mounts;
  }

  /** The names of the entries of a directory, sorted. */
  public static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** Deletes a directory and everything in it. */
  public static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** The loop devices whose backing file is under a directory. */
  public static List<String> loopDevicesOver(Path dir) throws IOException {
    List<String> devices = new ArrayList<>();
    try (DirectoryStream<Path> blocks = Files.newDirectoryStream(Path.of("/sys/block"),
        "loop*")) {
      for (Path block : blocks) {
        Path backing = block.resolve("loop/backing_file");
        if (Files.isReadable(backing)
            && Path.of(Files.readString(backing).strip()).startsWith(dir)) {
          devices.add("/dev/" + block.getFileName());
        }
      }
    }
    return devices;
  }

  /** The dvdcli mount line from the REX-Ray documentation, without the word dvdcli. */
  public static List<String> dvdcliFixtureArguments() throws IOException {
    String line;
    try (InputStream in = TestHost.class.getResourceAsStream("/dvdcli-fixture.txt")) {
      line = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    }
    List<String> words = List.of(line.split(" "));
    assertEquals("dvdcli", words.get(0), line);
    return words.subList(1, words.size());
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
