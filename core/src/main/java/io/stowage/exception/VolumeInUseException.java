package io.stowage.exception;

/**
 * The volume is attached to, or mounted by, someone else: another instance (without
 * preemption), or callers on this host that still hold it.
 */
public class VolumeInUseException extends StowageException {
  private static final long serialVersionUID = 1L;

  /** The volume in use. */
  private final String volume;
  /** Who holds it: an instance, or this host. */
  private final String holder;

  /**
   * Creates the exception.
   *
   * @param volume the volume name or ID
   * @param holder who holds it: an instance ID or a description of the callers
   * @param message the full message
   */
  public VolumeInUseException(String volume, String holder, String message) {
    super(message);
    this.volume = volume;
    this.holder = holder;
  }

  /**
   * The volume is attached to another instance.
   *
   * @param volume the volume name or ID
   * @param instance the instance it is attached to
   * @return the exception
   */
  public static VolumeInUseException byInstance(String volume, String instance) {
    return new VolumeInUseException(volume, instance, "volume "
        + InvalidArgumentException.quote(volume) + " is in use by instance " + instance
        + " (mount with preempt to take it over)");
  }

  /**
   * Returns the volume name or ID.
   *
   * @return the volume
   */
  public String volume() {
    return volume;
  }

  /**
   * Returns who holds the volume.
   *
   * @return an instance ID or a description of the callers
   */
  public String holder() {
    return holder;
  }
}
