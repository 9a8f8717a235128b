package io.stowage.internal.os;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Recognises the file systems Stowage creates by their superblock magic, with no external
 * binary: ext2/3/4 ({@code 0xEF53} at byte 1080, told apart by their feature flags as libblkid
 * does), XFS ({@code XFSB} at byte 0) and btrfs ({@code _BHRfS_M} at byte 65600); and tells a
 * blank device, nothing but zeros at both ends, from one that may hold something else.
 */
final class Superblocks {
  static final int EXT_SUPERBLOCK = 1024;
  static final int EXT_MAGIC_OFFSET = EXT_SUPERBLOCK + 56;
  static final int BTRFS_MAGIC_OFFSET = 65536 + 64;

  /** How much of each end of a device {@link #examine} reads. */
  static final int BLANK_CHECK_BYTES = 1 << 20;

  private static final int EXT_BLOCKS_COUNT_LO = EXT_SUPERBLOCK + 0x4;
  private static final int EXT_LOG_BLOCK_SIZE = EXT_SUPERBLOCK + 0x18;
  private static final int EXT_BLOCKS_COUNT_HI = EXT_SUPERBLOCK + 0x150;
  private static final int INCOMPAT_64BIT = 0x80;
  private static final int XFS_BLOCKSIZE = 4;
  private static final int XFS_DBLOCKS = 8;
  /** Enough of a device's head for the ext and xfs superblocks. */
  static final int HEAD_BYTES = 4096;
  private static final int EXT_COMPAT = EXT_SUPERBLOCK + 0x5C;
  private static final int EXT_INCOMPAT = EXT_SUPERBLOCK + 0x60;
  private static final int EXT_RO_COMPAT = EXT_SUPERBLOCK + 0x64;
  private static final int COMPAT_HAS_JOURNAL = 0x4;
  private static final int INCOMPAT_JOURNAL_DEV = 0x8;
  /** FILETYPE, RECOVER, META_BG: what ext3 knows. */
  private static final int EXT3_INCOMPAT = 0x2 | 0x4 | 0x10;
  /** SPARSE_SUPER, LARGE_FILE, BTREE_DIR: what ext2 and ext3 know. */
  private static final int EXT3_RO_COMPAT = 0x1 | 0x2 | 0x4;

  private static final byte[] XFS_MAGIC = "XFSB".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] BTRFS_MAGIC = "_BHRfS_M".getBytes(StandardCharsets.US_ASCII);

  /** Buffer and offset alignment that direct reads need on any logical block size. */
  private static final int DIRECT_ALIGNMENT = 4096;

  /** What {@link #isZero} compares with, a slice at a time; read-only, so safe to share. */
  private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 * 1024).asReadOnlyBuffer();

  /**
   * What {@link #examine} found on a device.
   *
   * @param type the file system a known superblock magic names, if any
   * @param blank true when no magic was found and the first and last MiB are all zeros
   */
  record Finding(Optional<String> type, boolean blank) {}

  private Superblocks() {
  }

  /**
   * Reads the first MiB of a device, and its last MiB when the first holds no known magic, and
   * says what they hold. File systems, partition tables, LUKS, LVM and RAID metadata all keep a
   * signature in those two places, so a blank device holds nothing that blkid would find, and
   * a fresh volume needs no blkid run.
   *
   * <p>The device is read with {@code O_DIRECT} where it allows it: that reads what is on the
   * device rather than what a cache holds, and a fresh loop device answers in less than half the
   * time because the kernel does not fill its page cache on the way. Where direct reads are
   * refused (tmpfs files, unaligned sizes), the reads go through the page cache.
   *
   * @param device the device
   * @param sizeBytes its size; 0 when unknown, which is never called blank
   * @return the file system found, or whether the device is blank
   * @throws IOException when the device cannot be read
   */
  static Finding examine(Path device, long sizeBytes) throws IOException {
    int length = (int) (sizeBytes > 0 ? Math.min(BLANK_CHECK_BYTES, sizeBytes)
        : BLANK_CHECK_BYTES);
    ByteBuffer buffer = ByteBuffer.allocateDirect(length + DIRECT_ALIGNMENT)
        .alignedSlice(DIRECT_ALIGNMENT).limit(length).slice().order(ByteOrder.LITTLE_ENDIAN);
    try (FileChannel channel = FileChannel.open(device, StandardOpenOption.READ,
        ExtendedOpenOption.DIRECT)) {
      return examine(channel, buffer, sizeBytes);
    } catch (IOException | UnsupportedOperationException e) {
      // Direct I/O refused: opening (EINVAL on tmpfs) or reading (an unaligned end).
    }
    try (FileChannel channel = FileChannel.open(device, StandardOpenOption.READ)) {
      return examine(channel, buffer, sizeBytes);
    }
  }

  private static Finding examine(FileChannel channel, ByteBuffer buffer, long sizeBytes)
      throws IOException {
    readFully(channel, buffer.clear(), 0);
    Optional<String> found = identify(buffer);
    if (found.isPresent()) {
      return new Finding(found, false);
    }
    long end = Math.max(0, sizeBytes - BLANK_CHECK_BYTES);
    boolean blank = sizeBytes > 0 && isZero(buffer)
        && isZero(readFully(channel, buffer.clear(), end));
    return new Finding(Optional.empty(), blank);
  }

  /** True when the buffer was filled to its capacity, all with zeros. */
  private static boolean isZero(ByteBuffer buffer) {
    if (buffer.position() < buffer.capacity()) {
      return false; // shorter than its size says: not something to call blank
    }
    for (int at = 0; at < buffer.capacity(); at += ZEROS.capacity()) {
      int length = Math.min(ZEROS.capacity(), buffer.capacity() - at);
      // mismatch is a vectorised comparison
      if (buffer.slice(at, length).mismatch(ZEROS.slice(0, length)) >= 0) {
        return false;
      }
    }
    return true;
  }

  /** Identifies ext, xfs and btrfs from a device's first bytes (position = bytes available). */
  static Optional<String> identify(ByteBuffer head) {
    int available = head.position();
    if (available >= XFS_MAGIC.length && matches(head, 0, XFS_MAGIC)) {
      return Optional.of("xfs");
    }
    if (available >= EXT_RO_COMPAT + 4
        && Short.toUnsignedInt(head.getShort(EXT_MAGIC_OFFSET)) == 0xEF53) {
      int compat = head.getInt(EXT_COMPAT);
      int incompat = head.getInt(EXT_INCOMPAT);
      int roCompat = head.getInt(EXT_RO_COMPAT);
      if ((incompat & INCOMPAT_JOURNAL_DEV) != 0) {
        return Optional.of("jbd");
      }
      if ((incompat & ~EXT3_INCOMPAT) != 0 || (roCompat & ~EXT3_RO_COMPAT) != 0) {
        return Optional.of("ext4");
      }
      return Optional.of((compat & COMPAT_HAS_JOURNAL) != 0 ? "ext3" : "ext2");
    }
    if (available >= BTRFS_MAGIC_OFFSET + BTRFS_MAGIC.length
        && matches(head, BTRFS_MAGIC_OFFSET, BTRFS_MAGIC)) {
      return Optional.of("btrfs");
    }
    return Optional.empty();
  }

  /**
   * Reads the size of the ext2/3/4 or xfs file system on a device from its superblock: block
   * count times block size, the size the file system spans on the device.
   *
   * @param device the device
   * @return the size in bytes; empty when the device holds neither
   * @throws IOException when the device cannot be read
   */
  static Optional<Long> fileSystemBytes(Path device) throws IOException {
    ByteBuffer head = ByteBuffer.allocate(HEAD_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    try (FileChannel channel = FileChannel.open(device, StandardOpenOption.READ)) {
      readFully(channel, head, 0);
    }
    return fileSystemBytes(head);
  }

  /** The size {@link #fileSystemBytes(Path)} reads, from a device's first bytes. */
  static Optional<Long> fileSystemBytes(ByteBuffer head) {
    Optional<String> type = identify(head);
    if (type.isEmpty() || head.position() < HEAD_BYTES) {
      return Optional.empty();
    }
    if (type.get().equals("xfs")) {
      ByteBuffer big = head.duplicate().order(ByteOrder.BIG_ENDIAN);
      return Optional.of(Integer.toUnsignedLong(big.getInt(XFS_BLOCKSIZE))
          * big.getLong(XFS_DBLOCKS));
    }
    if (type.get().startsWith("ext")) {
      long blocks = Integer.toUnsignedLong(head.getInt(EXT_BLOCKS_COUNT_LO));
      if ((head.getInt(EXT_INCOMPAT) & INCOMPAT_64BIT) != 0) {
        blocks |= Integer.toUnsignedLong(head.getInt(EXT_BLOCKS_COUNT_HI)) << 32;
      }
      return Optional.of(blocks * (1024L << head.getInt(EXT_LOG_BLOCK_SIZE)));
    }
    return Optional.empty();
  }

  /** Reads until the buffer is full or the end; returns it, its position the bytes read. */
  private static ByteBuffer readFully(FileChannel channel, ByteBuffer buffer, long position)
      throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, at);
      if (n <= 0) {
        break;
      }
      at += n;
    }
    return buffer;
  }

  private static boolean matches(ByteBuffer buffer, int offset, byte[] magic) {
    for (int i = 0; i < magic.length; i++) {
      if (buffer.get(offset + i) != magic[i]) {
        return false;
      }
    }
    return true;
  }
}
