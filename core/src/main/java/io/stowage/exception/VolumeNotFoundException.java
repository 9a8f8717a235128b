package io.stowage.exception;

/** No volume has the given name or back-end ID. Never thrown for a volume attached elsewhere. */
public class VolumeNotFoundException extends StowageException {
  private static final long serialVersionUID = 1L;

  /** The reference that named no volume. */
  private final String volume;

  /**
   * Creates the exception.
   *
   * @param volume the name or back-end ID that was looked up
   */
  public VolumeNotFoundException(String volume) {
    super("volume " + InvalidArgumentException.quote(volume) + " not found");
    this.volume = volume;
  }

  /**
   * Returns the name or back-end ID that was looked up.
   *
   * @return the volume reference
   */
  public String volume() {
    return volume;
  }
}
