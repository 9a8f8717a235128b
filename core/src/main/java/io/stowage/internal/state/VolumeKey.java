package io.stowage.internal.state;

import io.stowage.config.ServiceConfig;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.model.VolumeName;
import io.stowage.spi.StorageDriverProvider;
import java.util.Comparator;
import java.util.Objects;

/**
 * The key of a {@link VolumeRecord} or of a lock: who owns it and the volume's name. A record
 * belongs to a service ({@code records/<service>/<name>.json}); a volume's lock to a driver
 * ({@code locks/<driver>/<name>.lock}), see {@link StateStore}. Both parts become file names in
 * the state directory, so both are validated: the volume name by {@link VolumeName}, the owner
 * by {@link ServiceConfig#NAME_RULE}, which every driver name follows too.
 *
 * @param owner the service that owns the record, or the driver whose volume is locked
 * @param name the volume name
 */
public record VolumeKey(String owner, VolumeName name) implements Comparable<VolumeKey> {
  private static final Comparator<VolumeKey> ORDER =
      Comparator.comparing(VolumeKey::owner).thenComparing(VolumeKey::name);

  /**
   * Validates the key.
   *
   * @param owner the service or driver name
   * @param name the volume name
   * @throws InvalidArgumentException when the owner breaks {@link ServiceConfig#NAME_RULE}
   * @throws NullPointerException when the name is null
   */
  public VolumeKey {
    ServiceConfig.requireValidName(owner);
    Objects.requireNonNull(name, "name");
  }

  /**
   * Creates a key.
   *
   * @param owner the service or driver name
   * @param name the volume name
   * @return the key
   */
  public static VolumeKey of(String owner, VolumeName name) {
    return new VolumeKey(owner, name);
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
   * Returns whether a string is a legal service name, as a record directory must be.
   *
   * @param owner the string, possibly null
   * @return true when {@link ServiceConfig#requireValidName} would accept it
   */
  public static boolean isLegalOwner(String owner) {
    return ServiceConfig.isValidName(owner);
  }

  /** Orders keys by owner, then by volume name. */
  @Override
  public int compareTo(VolumeKey other) {
    return ORDER.compare(this, other);
  }

  /** Returns {@code owner/name}. */
  @Override
  public String toString() {
    return owner + "/" + name;
  }
}
