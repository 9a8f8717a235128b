package io.stowage.internal.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** The durable file operations of the state store: private directories and atomic writes. */
final class StateFiles {
  /** Suffix of the temporary file a write goes through. */
  static final String TEMP_SUFFIX = ".tmp";

  private static final Set<PosixFilePermission> DIRECTORY_MODE =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE_MODE =
      PosixFilePermissions.fromString("rw-------");

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
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  /**
   * Replaces a file's content atomically and durably: a reader sees the old content or the new
   * one, never a mixture, and after a crash the file holds the new content once this returns.
   */
  void writeAtomically(Path target, byte[] content) throws IOException {
    Path directory = target.getParent();
    Path temp = directory.resolve("." + target.getFileName() + "."
        + Long.toHexString(ThreadLocalRandom.current().nextLong()) + TEMP_SUFFIX);
    boolean moved = false;
    try {
      try (FileChannel channel = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE), fileAttributes())) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      moved = true;
      syncDirectory(directory);
    } finally {
      if (!moved) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /** Opens (creating when missing) a lock file with mode 0600. */
  FileChannel openLockFile(Path file) throws IOException {
    return FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
        fileAttributes());
  }

  private FileAttribute<?>[] fileAttributes() {
    return posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_MODE)}
        : new FileAttribute<?>[0];
  }
}
