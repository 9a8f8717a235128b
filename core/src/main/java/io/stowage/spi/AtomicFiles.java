package io.stowage.spi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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

/**
 * Replaces small files atomically: the content goes to a temporary file beside the target
 * ({@code .<name>.<random>.tmp}, a name readers skip) that is renamed over the target, so a
 * reader sees the old content or the new one, never a torn file, even when the writer is
 * killed. The core's host state uses {@link #replaceDurably}; a driver keeping files of its
 * own (the fake back end) uses whichever its promise needs. Files are created with mode 0600.
 */
public final class AtomicFiles {
  /** Suffix of the temporary files a replace goes through; a leftover one is garbage. */
  public static final String TEMP_SUFFIX = ".tmp";

  private static final Set<PosixFilePermission> FILE_MODE =
      PosixFilePermissions.fromString("rw-------");
  private static final boolean POSIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private AtomicFiles() {}

  /**
   * Replaces a file's content atomically. A killed process leaves the old content or the new;
   * a power loss may take back the latest replace.
   *
   * @param target the file; its directory must exist
   * @param content the new content
   * @throws IOException when writing or renaming fails; a temporary file is removed
   */
  public static void replace(Path target, byte[] content) throws IOException {
    write(target, content, false);
  }

  /**
   * Replaces a file's content atomically and durably: the temporary file is forced to disk
   * before the rename and the directory after it, so once this returns the new content
   * survives a power loss.
   *
   * @param target the file; its directory must exist
   * @param content the new content
   * @throws IOException when writing, forcing or renaming fails; a temporary file is removed
   */
  public static void replaceDurably(Path target, byte[] content) throws IOException {
    write(target, content, true);
  }

  /**
   * Flushes a directory's entries (creations, renames, deletions) to stable storage.
   *
   * @param directory the directory
   * @throws IOException when it cannot be opened or forced
   */
  public static void syncDirectory(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  /**
   * Returns whether a file name is one of the temporary names a replace writes through.
   *
   * @param fileName a file name
   * @return true for {@code .<name>.<random>.tmp}
   */
  public static boolean isTemporary(String fileName) {
    return fileName.startsWith(".") && fileName.endsWith(TEMP_SUFFIX);
  }

  /** The attributes new files get: mode 0600 where the file system has POSIX modes. */
  static FileAttribute<?>[] privateFile() {
    return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_MODE)}
        : new FileAttribute<?>[0];
  }

  private static void write(Path target, byte[] content, boolean durable) throws IOException {
    Path directory = target.toAbsolutePath().getParent();
    Path temp = directory.resolve("." + target.getFileName() + "."
        + Long.toHexString(ThreadLocalRandom.current().nextLong()) + TEMP_SUFFIX);
    boolean moved = false;
    try {
      try (FileChannel channel = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE), privateFile())) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        if (durable) {
          channel.force(true);
        }
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      moved = true;
      if (durable) {
        syncDirectory(directory);
      }
    } finally {
      if (!moved) {
        Files.deleteIfExists(temp);
      }
    }
  }
}
