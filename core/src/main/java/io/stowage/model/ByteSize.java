package io.stowage.model;

import io.stowage.exception.InvalidArgumentException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A size in bytes. Volume sizes are given in GiB, as REX-Ray's {@code size} option was; a plain
 * number means GiB, and the units {@code MiB}, {@code GiB} and {@code TiB} (also {@code M},
 * {@code G}, {@code T}, {@code GB}) may follow.
 *
 * @param bytes the size in bytes, from 1 byte to {@link #MAX_BYTES}
 */
public record ByteSize(long bytes) implements Comparable<ByteSize> {
  /** One mebibyte. */
  public static final long MIB = 1L << 20;
  /** One gibibyte. */
  public static final long GIB = 1L << 30;
  /** One tebibyte. */
  public static final long TIB = 1L << 40;
  /** The largest volume any supported back end creates: 64 TiB. */
  public static final long MAX_BYTES = 64 * TIB;

  private static final Pattern SIZE =
      Pattern.compile("([0-9]{1,12})\\s*(|m|mb|mib|g|gb|gib|t|tb|tib)");

  /**
   * Validates the size.
   *
   * @param bytes the size in bytes, from 1 byte to {@link #MAX_BYTES}
   * @throws InvalidArgumentException when the size is not positive or above 64 TiB
   */
  public ByteSize {
    if (bytes <= 0 || bytes > MAX_BYTES) {
      throw new InvalidArgumentException("size", bytes + " bytes",
          "must be more than 0 and at most 64 TiB");
    }
  }

  /**
   * A size in GiB.
   *
   * @param gib the number of GiB
   * @return the size
   */
  public static ByteSize ofGiB(long gib) {
    if (gib <= 0 || gib > MAX_BYTES / GIB) {
      throw new InvalidArgumentException("size", Long.toString(gib),
          "must be from 1 to 65536 GiB");
    }
    return new ByteSize(gib * GIB);
  }

  /**
   * A size in MiB.
   *
   * @param mib the number of MiB
   * @return the size
   */
  public static ByteSize ofMiB(long mib) {
    if (mib <= 0 || mib > MAX_BYTES / MIB) {
      throw new InvalidArgumentException("size", mib + "MiB", "must be from 1 MiB to 64 TiB");
    }
    return new ByteSize(mib * MIB);
  }

  /**
   * Parses a size: a whole number of GiB, or a whole number with a unit.
   *
   * @param text the size, such as {@code 5}, {@code 512MiB} or {@code 2TiB}
   * @return the size
   * @throws InvalidArgumentException when the text is not a size or out of range
   */
  public static ByteSize parse(String text) {
    if (text == null) {
      throw new InvalidArgumentException("size", null, "must not be empty");
    }
    Matcher m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new InvalidArgumentException("size", text,
          "must be a whole number of GiB, optionally with a unit (MiB, GiB, TiB)");
    }
    long number = Long.parseLong(m.group(1));
    long unit = switch (m.group(2)) {
      case "m", "mb", "mib" -> MIB;
      case "t", "tb", "tib" -> TIB;
      default -> GIB;
    };
    if (number <= 0 || number > MAX_BYTES / unit) {
      throw new InvalidArgumentException("size", text, "must be more than 0 and at most 64 TiB");
    }
    return new ByteSize(number * unit);
  }

  /**
   * Returns the size in whole GiB, rounded up.
   *
   * @return the number of GiB
   */
  public long toGiBRoundedUp() {
    return (bytes + GIB - 1) / GIB;
  }

  @Override
  public int compareTo(ByteSize other) {
    return Long.compare(bytes, other.bytes);
  }

  @Override
  public String toString() {
    if (bytes % TIB == 0) {
      return bytes / TIB + "TiB";
    }
    if (bytes % GIB == 0) {
      return bytes / GIB + "GiB";
    }
    if (bytes % MIB == 0) {
      return bytes / MIB + "MiB";
    }
    return bytes + "B";
  }
}
