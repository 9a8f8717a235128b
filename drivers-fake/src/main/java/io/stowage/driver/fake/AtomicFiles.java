package io.stowage.driver.fake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces the small files of the fake store and the simulated host atomically. Nothing is
 * fsynced: both stand in for state this host need not keep through a power loss (a remote back
 * end, a kernel's mount table), and a rename is enough for a killed process.
 */
final class AtomicFiles {
  private AtomicFiles() {
  }

  /**
   * Writes the bytes to a temp file beside the target ({@code .<name>.tmp-<random>}, a name
   * readers skip) and renames it over the target, so a reader sees the old or the new content,
   * never a torn one. A temp file a failure leaves is removed.
   *
   * @param target the file to replace; its directory must exist
   * @param bytes the new content
   * @throws IOException when writing or renaming fails, or the rename cannot be atomic
   */
  static void replace(Path target, byte[] bytes) throws IOException {
    Path temp = target.resolveSibling("." + target.getFileName() + ".tmp-"
        + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    boolean moved = false;
    try {
      Files.write(temp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      moved = true;
    } finally {
      if (!moved) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException e) {
          // Readers skip temp names; a leftover one is harmless.
        }
      }
    }
  }
}
