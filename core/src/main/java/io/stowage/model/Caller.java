package io.stowage.model;

/**
 * Who uses a mounted volume: Docker's mount {@code ID}, a Mesos container ID, or a name the
 * embedding program chooses. Uses are keyed by (volume, caller); a call without a caller counts
 * as the {@linkplain #ANONYMOUS anonymous} use, as REX-Ray counted it.
 *
 * @param value the caller identifier: 1 to 256 characters, no white space or control characters
 */
public record Caller(String value) {
  /** The caller of calls that name none. */
  public static final Caller ANONYMOUS = new Caller("-");

  /**
   * Validates the caller.
   *
   * @param value the caller identifier: 1 to 256 characters, no white space or control characters
   * @throws io.stowage.exception.InvalidArgumentException when it is empty, too long or has
   *     white space or control characters
   */
  public Caller {
    value = Identifiers.requireIdentifier("caller", value);
  }

  /**
   * Parses a caller.
   *
   * @param value the identifier
   * @return the caller
   */
  public static Caller of(String value) {
    return new Caller(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
