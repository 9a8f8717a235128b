package io.stowage.exception;

/**
 * The root of every exception Stowage throws. It is unchecked; callers branch on the typed
 * subclasses, never on message text.
 */
public class StowageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message.
   *
   * @param message what went wrong, naming the object concerned
   */
  public StowageException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and a cause.
   *
   * @param message what went wrong, naming the object concerned
   * @param cause the underlying failure
   */
  public StowageException(String message, Throwable cause) {
    super(message, cause);
  }
}
