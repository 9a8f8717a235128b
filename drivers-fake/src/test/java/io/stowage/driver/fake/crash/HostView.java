package io.stowage.driver.fake.crash;

import io.stowage.spi.MountEntry;
import io.stowage.internal.os.MountInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the kernel says about a directory tree: the mounts under it (from
 * {@code /proc/self/mountinfo}) and the loop devices whose backing file is under it (from
 * {@code /sys/block/loop*}), and a forced clean-up of both.
 */
final class HostView {
  private static final String DELETED = " (deleted)";

  private final Path tree;

  HostView(Path tree) {
    try {
      this.tree = tree.toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A bound loop device and its backing file. */
  record Loop(Path device, Path backingFile) {}

  /** Mounts whose mount point is under the tree, in mount table order. */
  List<MountEntry> mounts() {
    try {
      String text = Files.readString(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8);
      return MountInfo.parse(text).stream()
          .filter(m -> m.mountPoint().startsWith(tree)).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Loop devices whose backing file is under the tree. */
  List<Loop> loops() {
    List<Loop> found = new ArrayList<>();
    try (DirectoryStream<Path> block = Files.newDirectoryStream(Path.of("/sys/block"),
        "loop*")) {
      for (Path dir : block) {
        String backing;
        try {
          backing = Files.readString(dir.resolve("loop").resolve("backing_file"),
              StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
          continue; // not bound
        }
        if (backing.endsWith(DELETED)) {
          backing = backing.substring(0, backing.length() - DELETED.length());
        }
        Path file = Path.of(backing);
        if (file.startsWith(tree)) {
          found.add(new Loop(Path.of("/dev", dir.getFileName().toString()), file));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    found.sort(Comparator.comparing(Loop::device));
    return found;
  }

  /**
   * Lazily unmounts everything under the tree (deepest first) and releases every loop device
   * over a file under it. Never throws; returns what it did, for the log.
   */
  List<String> forceCleanUp() {
    List<String> done = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      List<MountEntry> mounts = new ArrayList<>(mounts());
      mounts.sort(Comparator.comparing((MountEntry m) -> m.mountPoint().getNameCount())
          .reversed());
      for (MountEntry m : mounts) {
        done.add("umount -l " + m.mountPoint() + ": " + run("umount", "-l",
            m.mountPoint().toString()));
      }
      for (Loop loop : loops()) {
        done.add("losetup -d " + loop.device() + ": " + run("losetup", "-d",
            loop.device().toString()));
      }
      if (mounts().isEmpty() && loops().isEmpty()) {
        break;
      }
    }
    return done;
  }

  static String run(String... argv) {
    try {
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "timed out";
      }
      return "exit " + p.exitValue() + (out.isBlank() ? "" : " " + out.strip());
    } catch (IOException e) {
      return e.toString();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return e.toString();
    }
  }
}
