package io.stowage.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Runs the everyday {@code stowage} commands once, on the fake driver's simulated host in a
 * temporary directory, so that the launcher can record every class they load in a class data
 * sharing archive for the Java runtime it runs on ({@code -XX:ArchiveClassesAtExit}, see
 * {@code lib/launcher.sh}): with a volume present, so reading the state and printing rows are
 * covered too. Exits 0 unless a command fails.
 */
final class ArchiveTraining {
  private ArchiveTraining() {}

  /**
   * Runs the commands.
   *
   * @param args ignored
   * @throws Exception when a command exits other than expected
   */
  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("stowage-cds");
    try {
      List<String> global = List.of("--simulated-host=" + dir.resolve("host"),
          "--set=stowage.storageDrivers=fake", "--set=fake.root=" + dir.resolve("fake"),
          "--set=fake.devices=simulated", "--set=stowage.state.directory=" + dir.resolve("state"),
          "--set=stowage.volume.mount.root=" + dir.resolve("mnt"));
      run(0, global, "volume", "create", "v1", "--opt", "size=1", "--volumeopts=iops=100");
      run(0, global, "volume", "ls");
      run(0, global, "-o", "json", "volume", "ls");
      run(0, global, "volume", "inspect", "v1");
      run(0, global, "volume", "mount", "v1", "--caller", "training");
      run(0, global, "volume", "path", "v1");
      run(0, global, "volume", "unmount", "v1", "--caller", "training");
      run(3, global, "volume", "inspect", "absent");
      run(2, global, "volume", "frobnicate");
      run(0, global, "volume", "rm", "v1");
      run(0, global, "driver", "ls");
      run(0, global, "config", "show");
      run(0, global, "config", "check");
      run(Set.of(ExitCodes.OK, ExitCodes.CHECK_FAILED), global, "doctor");
      run(0, List.of(), "volume", "ls", "--help");
      run(0, List.of(), "version");
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static void run(int expected, List<String> global, String... command) {
    run(Set.of(expected), global, command);
  }

  private static void run(Set<Integer> expected, List<String> global, String... command) {
    List<String> args = new ArrayList<>(global);
    args.addAll(List.of(command));
    PrintWriter sink = new PrintWriter(Writer.nullWriter());
    int code = Main.run(args.toArray(String[]::new), sink, sink, System.getenv());
    if (!expected.contains(code)) {
      throw new IllegalStateException("exit " + code + ", expected " + expected + ": " + args);
    }
  }
}
