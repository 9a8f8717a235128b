package io.stowage.examples;

import io.stowage.Stowage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Two tasks of a {@link TaskRunner} share a volume: it stays mounted until the last one stops,
 * also across a restart of the service. Real ext4 file systems on loop devices of the fake
 * back end: needs root.
 */
public final class SharedVolumes {
  private final PrintStream out;
  private final Path work;

  /**
   * Creates the program.
   *
   * @param out where to print what it does
   * @param work an empty directory for the back end, the state and the mounts
   */
  public SharedVolumes(PrintStream out, Path work) {
    this.out = out;
    this.work = work;
  }

  /**
   * Runs the program in a new temporary directory.
   *
   * @param args ignored
   * @throws IOException when the directory cannot be created or a file written
   */
  public static void main(String[] args) throws IOException {
    if (!RootCheck.isRoot()) {
      System.err.println("This example mounts real file systems on loop devices and must run"
          + " as root.");
      System.exit(2);
    }
    new SharedVolumes(System.out, Files.createTempDirectory("stowage-shared")).run();
  }

  /**
   * Runs two tasks that share {@code cache}, the first with a volume of its own, and restarts
   * the service while the second still runs.
   *
   * @return what the second task read from the shared volume after the restart
   * @throws IOException when a file cannot be written or read
   */
  public String run() throws IOException {
    try (TaskRunner runner = new TaskRunner(open())) {
      Map<String, Path> first = runner.start("task-1", List.of("cache", "scratch"));
      Map<String, Path> second = runner.start("task-2", List.of("cache"));
      Files.writeString(first.get("cache").resolve("shared.txt"), "written by task-1");
      out.printf("task-1 and task-2 share cache at %s%n", second.get("cache"));

      runner.stop("task-1");
      out.printf("task-1 stopped: cache %s, scratch %s%n", state(runner, "cache"),
          state(runner, "scratch"));
    }
    out.println("service restarted");
    try (TaskRunner restarted = new TaskRunner(open())) {
      out.printf("after the restart: cache %s%n", state(restarted, "cache"));
      // task-2 starts again as the service recovers its tasks: the mount is idempotent.
      Path cache = restarted.start("task-2", List.of("cache")).get("cache");
      String read = Files.readString(cache.resolve("shared.txt"));
      out.printf("task-2 reads \"%s\"%n", read);
      restarted.stop("task-2");
      out.printf("task-2 stopped: cache %s%n", state(restarted, "cache"));
      return read;
    }
  }

  private static String state(TaskRunner runner, String volume) {
    return runner.path(volume).map(p -> "mounted at " + p).orElse("unmounted");
  }

  private Stowage open() {
    return Stowage.builder()
        .setting("stowage.storageDrivers", "fake")
        .setting("fake.root", work.resolve("backend"))
        .setting("fake.devices", "loop")
        .setting("stowage.state.directory", work.resolve("state"))
        .setting("stowage.volume.mount.root", work.resolve("volumes"))
        .setting("stowage.volume.create.default.size", "1")
        .build();
  }
}
