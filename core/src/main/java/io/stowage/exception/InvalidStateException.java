package io.stowage.exception;

/**
 * The back end refuses a call because a volume or snapshot is not in a state that allows it
 * now: a snapshot of a volume still being created, a copy or restore of a snapshot whose data
 * is not complete, a resize while the last one is still in progress. Nothing was changed, and
 * the same call may succeed later, so it is {@linkplain #retryable() retryable}.
 */
public class InvalidStateException extends BackendException {
  private static final long serialVersionUID = 1L;

  /** The volume or snapshot, by name or ID. */
  private final String subject;
  /** Its state, as the back end names it. */
  private final String state;

  /**
   * Creates the exception.
   *
   * @param subject the volume or snapshot, by name or ID
   * @param state its state, as the back end names it (such as {@code creating})
   * @param message the full message, naming the subject, its state and what the call needs
   */
  public InvalidStateException(String subject, String state, String message) {
    this(subject, state, message, null, null);
  }

  /**
   * Creates the exception for a refusal the back end answered.
   *
   * @param subject the volume or snapshot, by name or ID
   * @param state its state, as the back end names it (such as {@code creating})
   * @param message the full message, naming the subject, its state and what the call needs
   * @param requestId the back end's request ID, if it gave one
   * @param cause the back end's own exception, if any
   */
  public InvalidStateException(String subject, String state, String message, String requestId,
      Throwable cause) {
    super(message, true, requestId, cause);
    this.subject = subject;
    this.state = state;
  }

  /**
   * Returns the volume or snapshot the call was about.
   *
   * @return its name or ID
   */
  public String subject() {
    return subject;
  }

  /**
   * Returns the state that refused the call.
   *
   * @return the back end's name of the state
   */
  public String state() {
    return state;
  }
}
