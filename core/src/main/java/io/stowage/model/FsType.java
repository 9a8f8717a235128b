package io.stowage.model;

import io.stowage.exception.InvalidArgumentException;
import java.util.List;
import java.util.Locale;

/**
 * A file system type Stowage can create and mount. ext4 and xfs are always allowed; ext3 and
 * btrfs only where their mkfs is installed (the host layer checks that before formatting).
 *
 * @param name the lower-case type name as {@code mount -t} takes it
 */
public record FsType(String name) {
  /** Every file system type name Stowage knows. */
  public static final List<String> KNOWN = List.of("ext4", "xfs", "ext3", "btrfs");

  /** The default file system, as REX-Ray's. */
  public static final FsType EXT4 = new FsType("ext4");
  /** XFS. */
  public static final FsType XFS = new FsType("xfs");

  /**
   * Validates the type.
   *
   * @param name the lower-case type name as {@code mount -t} takes it
   * @throws InvalidArgumentException when the type is unknown
   */
  public FsType {
    String lower = name == null ? null : name.strip().toLowerCase(Locale.ROOT);
    if (lower == null || !KNOWN.contains(lower)) {
      throw new InvalidArgumentException("fsType", name,
          "unknown file system type; known types: " + String.join(", ", KNOWN));
    }
    name = lower;
  }

  /**
   * Parses a type name, ignoring case.
   *
   * @param name the type name
   * @return the type
   */
  public static FsType of(String name) {
    return new FsType(name);
  }

  @Override
  public String toString() {
    return name;
  }
}
