package io.stowage.internal.state;

import io.stowage.spi.AtomicFiles;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** The durable file operations of the state store: private directories and atomic writes. */
final class StateFiles {
  private static final Set<PosixFilePermission> DIRECTORY_MODE =
      PosixFilePermissions.fromString("rwx------");

  private final boolean posix =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  /**
   * Creates a directory with mode 0700 when it is missing, and its missing parents.
   *
   * @return true when the directory was created (so its parent must be synced)
   */
  boolean createPrivateDirectory(Path directory) throws IOException {
    if (Files.isDirectory(directory)) {
      return false;
    }
    Path parent = directory.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      createPrivateDirectory(parent);
    }
    try {
      if (posix) {
        Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(DIRECTORY_MODE));
        Files.setPosixFilePermissions(directory, DIRECTORY_MODE);
      } else {
        Files.createDirectory(directory);
      }
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(directory)) {
        throw e;
      }
      return false;
    }
    if (parent != null) {
      syncDirectory(parent);
    }
    return true;
  }

  /** Flushes a directory's entries (creations, renames, deletions) to stable storage. */
  void syncDirectory(Path directory) throws IOException {
    AtomicFiles.syncDirectory(directory);
  }

  /**
   * Replaces a file's content atomically and durably: a reader sees the old content or the new
   * one, never a mixture, and after a crash the file holds the new content once this returns.
   */
  void writeAtomically(Path target, byte[] content) throws IOException {
    AtomicFiles.replaceDurably(target, content);
  }
}
