package io.stowage.driver.fake;

import io.stowage.internal.os.MountInfo;
import io.stowage.internal.os.exec.CommandRunner;
import io.stowage.spi.MountEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the kernel holds of a test's work directory: mounts under it and loop devices over files
 * in it, and their forced release.
 */
final class WorkTree {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final Path work;

  WorkTree(Path work) {
    this.work = work;
  }

  /** The mounts whose mount point is under the work directory. */
  List<MountEntry> mounts() {
    try {
      return MountInfo.parse(Files.readString(Path.of("/proc/self/mountinfo"))).stream()
          .filter(m -> m.mountPoint().startsWith(work)).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The loop devices over a file under the work directory. */
  List<Path> loopDevices() {
    List<Path> found = new ArrayList<>();
    try (Stream<Path> blocks = Files.list(Path.of("/sys/block"))) {
      for (Path block : blocks.filter(p -> p.getFileName().toString().startsWith("loop"))
          .toList()) {
        Path backing = block.resolve("loop/backing_file");
        if (Files.exists(backing)
            && Files.readString(backing).strip().startsWith(work.toString())) {
          found.add(Path.of("/dev", block.getFileName().toString()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }

  /**
   * Unmounts and releases whatever is left, and says what it was.
   *
   * @return the leaks found, empty when the test left nothing
   */
  List<String> releaseLeaks() {
    List<String> leaks = new ArrayList<>();
    for (MountEntry m : mounts()) {
      leaks.add("mount " + m.mountPoint());
      new CommandRunner().run(List.of("umount", "-l", m.mountPoint().toString()), TIMEOUT);
    }
    for (Path loop : loopDevices()) {
      leaks.add("loop device " + loop);
      new CommandRunner().run(List.of("losetup", "-d", loop.toString()), TIMEOUT);
    }
    return leaks;
  }
}
