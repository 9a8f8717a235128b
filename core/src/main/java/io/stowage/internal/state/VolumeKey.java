package io.stowage.internal.state;

import io.stowage.exception.InvalidArgumentException;
import io.stowage.model.VolumeName;
import java.util.Comparator;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The key of a {@link VolumeRecord} and of a {@link VolumeLock}: the driver that owns the
 * volume and the volume's name. Both parts become file names in the state directory, so both
 * are validated: the volume name by {@link VolumeName}, the driver name here.
 *
 * @param driver the driver name: 1 to 64 characters out of {@code a-z}, {@code 0-9} and
 *     {@code -}
 * @param name the volume name
 */
public record VolumeKey(String driver, VolumeName name) implements Comparable<VolumeKey> {
  /** The longest driver name accepted. */
  public static final int MAX_DRIVER_LENGTH = 64;

  private static final Pattern DRIVER = Pattern.compile("[a-z0-9-]+");
  private static final Comparator<VolumeKey> ORDER =
      Comparator.comparing(VolumeKey::driver).thenComparing(VolumeKey::name);

  /**
   * Validates the key.
   *
   * @param driver the driver name
   * @param name the volume name
   * @throws InvalidArgumentException when the driver name is empty, too long or has a character
   *     other than {@code a-z}, {@code 0-9} and {@code -}
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
   * Validates a driver name.
   *
   * @param driver the driver name
   * @return the same name
   * @throws InvalidArgumentException when it is not legal
   */
  public static String requireDriverName(String driver) {
    if (driver == null || driver.isEmpty()) {
      throw new InvalidArgumentException("driver name", driver, "must not be empty");
    }
    if (driver.length() > MAX_DRIVER_LENGTH) {
      throw new InvalidArgumentException("driver name", driver,
          "is " + driver.length() + " characters long, the limit is " + MAX_DRIVER_LENGTH);
    }
    if (!DRIVER.matcher(driver).matches()) {
      throw new InvalidArgumentException("driver name", driver,
          "must contain only lower-case letters, digits and '-'");
    }
    return driver;
  }

  /**
   * Returns whether a string is a legal driver name.
   *
   * @param driver the string, possibly null
   * @return true when {@link #requireDriverName} would accept it
   */
  public static boolean isLegalDriverName(String driver) {
    return driver != null && !driver.isEmpty() && driver.length() <= MAX_DRIVER_LENGTH
        && DRIVER.matcher(driver).matches();
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
