package io.stowage.model;

/**
 * The name of a snapshot. It follows the rule of {@link VolumeName}: a letter or digit, then
 * letters, digits, {@code _ . -}, at most 128 characters, and never {@code ..}. Unlike volume
 * names, snapshot names need not be unique: a lookup by name may find several snapshots.
 *
 * @param value the name
 */
public record SnapshotName(String value) implements Comparable<SnapshotName> {
  /**
   * Validates the name.
   *
   * @param value the name
   * @throws io.stowage.exception.InvalidArgumentException when the name is empty, too long or
   *     has an illegal character
   */
  public SnapshotName {
    value = VolumeName.validate("snapshot name", value);
  }

  /**
   * Parses a name.
   *
   * @param value the name
   * @return the name
   * @throws io.stowage.exception.InvalidArgumentException when the name is not legal
   */
  public static SnapshotName of(String value) {
    return new SnapshotName(value);
  }

  /**
   * Returns whether a string is a legal snapshot name.
   *
   * @param value the string
   * @return true when {@link #of} would accept it
   */
  public static boolean isLegal(String value) {
    return VolumeName.isLegal(value);
  }

  @Override
  public int compareTo(SnapshotName other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
