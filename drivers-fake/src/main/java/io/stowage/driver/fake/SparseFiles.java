package io.stowage.driver.fake;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Copies sparse image files without filling their holes: the copy is read in blocks, and a
 * block of zeros is skipped, so it stays a hole in the new file. Java has no portable way to
 * find the holes, so the holes are read (as zeros, which costs no disk I/O).
 */
final class SparseFiles {
  private static final int BLOCK = 1 << 20;

  private SparseFiles() {}

  /**
   * Copies a file to a new one of the same length.
   *
   * @param source the file to copy
   * @param target the new file, which must not exist
   * @throws IOException when either file cannot be read or written
   */
  static void copy(Path source, Path target) throws IOException {
    try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
        FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE)) {
      ByteBuffer block = ByteBuffer.allocateDirect(BLOCK);
      long length = in.size();
      long position = 0;
      while (position < length) {
        block.clear();
        int read = in.read(block, position);
        if (read < 0) {
          break;
        }
        block.flip();
        if (!zeros(block)) {
          long at = position;
          while (block.hasRemaining()) {
            at += out.write(block, at);
          }
        }
        position += read;
      }
      if (out.size() < length) {
        // A file ending in a hole: extend it without writing.
        out.write(ByteBuffer.allocate(1), length - 1);
      }
    }
  }

  private static boolean zeros(ByteBuffer block) {
    int i = block.position();
    int end = block.limit();
    for (; i + Long.BYTES <= end; i += Long.BYTES) {
      if (block.getLong(i) != 0) {
        return false;
      }
    }
    for (; i < end; i++) {
      if (block.get(i) != 0) {
        return false;
      }
    }
    return true;
  }
}
