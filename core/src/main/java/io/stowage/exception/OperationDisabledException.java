package io.stowage.exception;

/** The configuration disables the operation (for example {@code volume.remove.disable}). */
public class OperationDisabledException extends StowageException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param operation the disabled operation
   * @param key the configuration key that disables it
   */
  public OperationDisabledException(String operation, String key) {
    super(operation + " is disabled by the configuration key " + key);
  }
}
