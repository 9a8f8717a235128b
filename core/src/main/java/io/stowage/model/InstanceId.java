package io.stowage.model;

/**
 * The back end's identifier of a host that volumes attach to (an EC2 instance ID, a VirtualBox machine UUID).
 *
 * @param value the identifier: 1 to 256 characters, no white space or control characters
 */
public record InstanceId(String value) {
  /**
   * Validates the identifier.
   *
   * @param value the identifier: 1 to 256 characters, no white space or control characters
   * @throws io.stowage.exception.InvalidArgumentException when it is empty, too long or has
   *     white space or control characters
   */
  public InstanceId {
    value = Identifiers.requireIdentifier("instance id", value);
  }

  /**
   * Parses an identifier.
   *
   * @param value the identifier
   * @return the identifier
   */
  public static InstanceId of(String value) {
    return new InstanceId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
