package io.stowage.driver.virtualbox;

import io.stowage.exception.InvalidArgumentException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The UUID of a VirtualBox medium, which is a volume's back-end ID. It also gives the serial
 * number the guest sees on the disk: VirtualBox's ATA and AHCI devices report
 * {@code VB<first 32 bits>-<last 32 bits>}, each printed as a little-endian 32-bit word in hex.
 *
 * @param value the UUID in VirtualBox's form, lower case: {@code 8-4-4-4-12} hex digits
 */
record MediumUuid(String value) {
  private static final Pattern UUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  /** The shape of a medium UUID in any case: the shape of a VirtualBox volume ID. */
  static final Pattern PATTERN = Pattern.compile(UUID.pattern(), Pattern.CASE_INSENSITIVE);

  /**
   * Validates the UUID and brings it to lower case.
   *
   * @throws InvalidArgumentException when it is not a UUID
   */
  MediumUuid {
    value = value == null ? null : value.toLowerCase(Locale.ROOT);
    if (value == null || !UUID.matcher(value).matches()) {
      throw new InvalidArgumentException("medium UUID", value,
          "must be a UUID such as 3f2a6c1e-7b0d-4e5f-9a8b-1c2d3e4f5a6b");
    }
  }

  /**
   * Parses a volume ID that may or may not be a medium UUID.
   *
   * @param id the ID
   * @return the UUID, or empty when the ID is not one (and so names no VirtualBox medium)
   */
  static Optional<MediumUuid> parse(String id) {
    if (id == null || !UUID.matcher(id.toLowerCase(Locale.ROOT)).matches()) {
      return Optional.empty();
    }
    return Optional.of(new MediumUuid(id));
  }

  /**
   * Returns the start of the disk's serial number: {@code VB}, the first 8 hex digits of the
   * UUID and a dash. udev names the disk {@code ata-VBOX_HARDDISK_<this prefix>...}.
   *
   * @return the prefix, such as {@code VB3f2a6c1e-}
   */
  String serialPrefix() {
    return "VB" + value.substring(0, 8) + "-";
  }

  /**
   * Returns the whole serial number VirtualBox gives the disk. Its second half is the UUID's
   * last four bytes read as a little-endian word, so the digits of the last group appear in
   * reversed byte order.
   *
   * @return the serial, such as {@code VB3f2a6c1e-6b5a4f3e}
   */
  String serial() {
    String node = value.substring(value.length() - 8);
    return serialPrefix() + node.substring(6, 8) + node.substring(4, 6) + node.substring(2, 4)
        + node.substring(0, 2);
  }

  @Override
  public String toString() {
    return value;
  }
}
