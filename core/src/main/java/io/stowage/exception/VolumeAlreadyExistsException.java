package io.stowage.exception;

/** A volume of that name exists already; nothing was created. */
public class VolumeAlreadyExistsException extends StowageException {
  private static final long serialVersionUID = 1L;

  /** The name that is taken. */
  private final String volume;

  /**
   * Creates the exception.
   *
   * @param volume the name that is taken
   * @param existingId the back-end ID of the volume that holds it
   */
  public VolumeAlreadyExistsException(String volume, String existingId) {
    super("volume " + InvalidArgumentException.quote(volume) + " already exists (id "
        + existingId + ")");
    this.volume = volume;
  }

  /**
   * Returns the name that is taken.
   *
   * @return the volume name
   */
  public String volume() {
    return volume;
  }
}
