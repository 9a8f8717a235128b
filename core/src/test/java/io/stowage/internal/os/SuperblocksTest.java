package io.stowage.internal.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuperblocksTest {
  @TempDir
  Path dir;

  private Path image(long size, long offset, byte[] bytes) throws IOException {
    Path file = Files.createTempFile(dir, "image", ".img");
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(size);
      raf.seek(offset);
      raf.write(bytes);
    }
    return file;
  }

  private Path ext(int compat, int incompat, int roCompat) throws IOException {
    ByteBuffer sb = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
    sb.putShort(56, (short) 0xEF53);
    sb.putInt(0x5C, compat);
    sb.putInt(0x60, incompat);
    sb.putInt(0x64, roCompat);
    return image(1 << 20, 1024, sb.array());
  }

  @Test
  void recognisesExt4ByItsExtentsFeature() throws IOException {
    assertEquals(Optional.of("ext4"), Superblocks.examine(ext(0x4, 0x2 | 0x40, 0x1), 0).type());
  }

  @Test
  void recognisesExt4ByARoCompatFeature() throws IOException {
    assertEquals(Optional.of("ext4"), Superblocks.examine(ext(0x4, 0x2, 0x1 | 0x8), 0).type());
  }

  @Test
  void recognisesExt3ByItsJournalWithoutExt4Features() throws IOException {
    assertEquals(Optional.of("ext3"), Superblocks.examine(ext(0x4, 0x2, 0x1 | 0x2), 0).type());
  }

  @Test
  void recognisesExt2WithoutJournal() throws IOException {
    assertEquals(Optional.of("ext2"), Superblocks.examine(ext(0, 0x2, 0x1), 0).type());
  }

  @Test
  void recognisesAnExternalJournalDevice() throws IOException {
    assertEquals(Optional.of("jbd"), Superblocks.examine(ext(0, 0x8, 0), 0).type());
  }

  @Test
  void recognisesXfs() throws IOException {
    Path file = image(1 << 20, 0, "XFSB".getBytes(StandardCharsets.US_ASCII));
    assertEquals(Optional.of("xfs"), Superblocks.examine(file, 0).type());
  }

  @Test
  void recognisesBtrfs() throws IOException {
    Path file = image(1 << 20, Superblocks.BTRFS_MAGIC_OFFSET,
        "_BHRfS_M".getBytes(StandardCharsets.US_ASCII));
    assertEquals(Optional.of("btrfs"), Superblocks.examine(file, 0).type());
  }

  @Test
  void findsNothingOnZeroesOrOnATinyOrEmptyFile() throws IOException {
    assertEquals(Optional.empty(), Superblocks.examine(image(1 << 20, 0, new byte[0]), 0).type());
    assertEquals(Optional.empty(), Superblocks.examine(image(0, 0, new byte[0]), 0).type());
    assertEquals(Optional.empty(),
        Superblocks.examine(image(0, 0, new byte[] {'X', 'F'}), 0).type());
  }

  @Test
  void ignoresAnExtMagicAtAnotherOffset() throws IOException {
    Path file = image(1 << 20, 1082, new byte[] {0x53, (byte) 0xEF});
    assertEquals(Optional.empty(), Superblocks.examine(file, 0).type());
  }

  @Test
  void aDeviceWithZerosAtBothEndsIsBlankAndAnyByteThereMakesItNot() throws IOException {
    long size = 8L << 20;
    Path image = dir.resolve("blank.img");
    try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
      file.setLength(size);
    }
    assertTrue(Superblocks.examine(image, size).blank());
    assertFalse(Superblocks.examine(image, 0).blank(), "an unknown size is never called blank");
    assertFalse(Superblocks.examine(image, size * 2).blank(), "shorter than its size");

    for (long offset : new long[] {0, (1 << 20) - 8, size - (1 << 20), size - 1}) {
      Path marked = dir.resolve("marked-" + offset + ".img");
      try (RandomAccessFile file = new RandomAccessFile(marked.toFile(), "rw")) {
        file.setLength(size);
        file.seek(offset);
        file.write(1);
      }
      assertFalse(Superblocks.examine(marked, size).blank(), "a byte at " + offset);
    }
    Path middle = dir.resolve("middle.img");
    try (RandomAccessFile file = new RandomAccessFile(middle.toFile(), "rw")) {
      file.setLength(size);
      file.seek(size / 2);
      file.write(1);
    }
    assertTrue(Superblocks.examine(middle, size).blank(), "only the ends are read");
  }

  /** An end that direct I/O cannot read (not block-aligned) is read through the page cache. */
  @Test
  void anUnalignedSizeIsReadThroughThePageCache() throws IOException {
    long size = (8L << 20) + 512;
    Path image = dir.resolve("odd.img");
    try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
      file.setLength(size);
    }
    assertTrue(Superblocks.examine(image, size).blank());
    try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
      file.seek(size - 1);
      file.write(1);
    }
    assertFalse(Superblocks.examine(image, size).blank(), "a byte at the very end");
  }
}
