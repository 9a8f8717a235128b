package io.stowage.exception;

import java.util.Optional;

/** The storage back end failed a call. Drivers translate their back end's errors into this. */
public class BackendException extends StowageException {
  private static final long serialVersionUID = 1L;

  /** Whether the same call may succeed if tried again. */
  private final boolean retryable;
  /** The back end's request ID, or null. */
  private final String requestId;

  /**
   * Creates the exception.
   *
   * @param message what failed, naming the operation and the volume
   * @param retryable whether the same call may succeed later (throttling, timeouts)
   * @param requestId the back end's request ID, if it gave one
   * @param cause the back end's own exception, if any
   */
  public BackendException(String message, boolean retryable, String requestId, Throwable cause) {
    super(message + (requestId == null ? "" : " (request id " + requestId + ")"), cause);
    this.retryable = retryable;
    this.requestId = requestId;
  }

  /**
   * Returns whether the same call may succeed if tried again later.
   *
   * @return true for throttling, timeouts and other passing faults
   */
  public boolean retryable() {
    return retryable;
  }

  /**
   * Returns the back end's request ID.
   *
   * @return the ID, if the back end gave one
   */
  public Optional<String> requestId() {
    return Optional.ofNullable(requestId);
  }
}
