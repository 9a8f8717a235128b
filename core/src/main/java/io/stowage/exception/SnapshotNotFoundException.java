package io.stowage.exception;

/** No snapshot has the given name or back-end ID (in the region asked); nothing was changed. */
public class SnapshotNotFoundException extends StowageException {
  private static final long serialVersionUID = 1L;

  /** The reference that named no snapshot. */
  private final String snapshot;

  /**
   * Creates the exception.
   *
   * @param snapshot the name or back-end ID that was looked up
   */
  public SnapshotNotFoundException(String snapshot) {
    super("snapshot " + InvalidArgumentException.quote(snapshot) + " not found");
    this.snapshot = snapshot;
  }

  /**
   * Returns the name or back-end ID that was looked up.
   *
   * @return the snapshot reference
   */
  public String snapshot() {
    return snapshot;
  }
}
