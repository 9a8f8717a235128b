package io.stowage.model;

/**
 * The back end's own identifier of a snapshot (an EBS snapshot ID such as
 * {@code snap-0123456789abcdef0}).
 *
 * @param value the identifier: 1 to 256 characters, no white space or control characters
 */
public record SnapshotId(String value) {
  /**
   * Validates the identifier.
   *
   * @param value the identifier: 1 to 256 characters, no white space or control characters
   * @throws io.stowage.exception.InvalidArgumentException when it is empty, too long or has
   *     white space or control characters
   */
  public SnapshotId {
    value = Identifiers.requireIdentifier("snapshot id", value);
  }

  /**
   * Parses an identifier.
   *
   * @param value the identifier
   * @return the identifier
   */
  public static SnapshotId of(String value) {
    return new SnapshotId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
