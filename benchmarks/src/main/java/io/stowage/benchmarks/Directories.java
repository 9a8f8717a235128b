package io.stowage.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Temporary directories of the benchmarks: on the real disk, or in memory (tmpfs). */
final class Directories {
  /** The Linux tmpfs every process may write to. */
  static final Path TMPFS = Path.of("/dev/shm");

  private Directories() {}

  /**
   * Creates a temporary directory.
   *
   * @param where {@code disk} for the default temporary directory (the real disk here),
   *     {@code tmpfs} for {@code /dev/shm}
   */
  static Path create(String where, String prefix) {
    try {
      return switch (where) {
        case "disk" -> Files.createTempDirectory(prefix);
        case "tmpfs" -> {
          if (!Files.isDirectory(TMPFS)) {
            throw new IllegalStateException("backend=tmpfs needs " + TMPFS);
          }
          yield Files.createTempDirectory(TMPFS, prefix);
        }
        default -> throw new IllegalArgumentException(
            "where must be disk or tmpfs, not \"" + where + "\"");
      };
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory", e);
    }
  }

  /** Deletes a directory tree; a missing one is fine. */
  static void delete(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
            throws IOException {
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
          if (e != null) {
            throw e;
          }
          Files.delete(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }
}
