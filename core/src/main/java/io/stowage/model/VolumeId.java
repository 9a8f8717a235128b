package io.stowage.model;

/**
 * The back end's own identifier of a volume (an EBS volume ID, a VirtualBox medium UUID).
 *
 * @param value the identifier: 1 to 256 characters, no white space or control characters
 */
public record VolumeId(String value) {
  /**
   * Validates the identifier.
   *
   * @param value the identifier: 1 to 256 characters, no white space or control characters
   * @throws io.stowage.exception.InvalidArgumentException when it is empty, too long or has
   *     white space or control characters
   */
  public VolumeId {
    value = Identifiers.requireIdentifier("volume id", value);
  }

  /**
   * Parses an identifier.
   *
   * @param value the identifier
   * @return the identifier
   */
  public static VolumeId of(String value) {
    return new VolumeId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
