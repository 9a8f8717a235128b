package io.stowage.internal.state;

import io.stowage.exception.InvalidArgumentException;
import io.stowage.model.VolumeName;
import io.stowage.spi.StorageDriverProvider;
import java.util.Comparator;
import java.util.Objects;

/**
 * The key of a {@link VolumeRecord} and of a {@link VolumeLock}: the driver that owns the
 * volume and the volume's name. Both parts become file names in the state directory, so both
 * are validated: the volume name by {@link VolumeName}, the driver name here.
 *
 * @param driver the driver name, which follows
 *     {@link io.stowage.spi.StorageDriverProvider#NAME_RULE}
 * @param name the volume name
 */
public record VolumeKey(String driver, VolumeName name) implements Comparable<VolumeKey> {
  private static final Comparator<VolumeKey> ORDER =
      Comparator.comparing(VolumeKey::driver).thenComparing(VolumeKey::name);

  /**
   * Validates the key.
   *
   * @param driver the driver name
   * @param name the volume name
   * @throws InvalidArgumentException when the driver name breaks
   *     {@link StorageDriverProvider#NAME_RULE}
   * @throws NullPointerException when the name is null
   */
  public VolumeKey {
    driver = requireDriverName(driver);
    Objects.requireNonNull(name, "name");
  }

  /**
   * Creates a key.
   *
   * @param driver the driver name
   * @param name the volume name
   * @return the key
   */
  public static VolumeKey of(String driver, VolumeName name) {
    return new VolumeKey(driver, name);
  }

  /**
   * Validates a driver name against {@link StorageDriverProvider#NAME_RULE}, the one rule for
   * driver names.
   *
   * @param driver the driver name
   * @return the same name
   * @throws InvalidArgumentException when it is not legal
   */
  public static String requireDriverName(String driver) {
    return StorageDriverProvider.requireValidName(driver);
  }

  /**
   * Returns whether a string is a legal driver name.
   *
   * @param driver the string, possibly null
   * @return true when {@link #requireDriverName} would accept it
   */
  public static boolean isLegalDriverName(String driver) {
    return StorageDriverProvider.isValidName(driver);
  }

  /** Orders keys by driver name, then by volume name. */
  @Override
  public int compareTo(VolumeKey other) {
    return ORDER.compare(this, other);
  }

  /** Returns {@code driver/name}. */
  @Override
  public String toString() {
    return driver + "/" + name;
  }
}
