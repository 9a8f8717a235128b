package io.stowage.exception;

import java.time.Duration;

/** A bounded wait ran out: a device that did not appear, an attach that did not finish. */
public class OperationTimeoutException extends StowageException {
  private static final long serialVersionUID = 1L;

  /** How long the call waited. */
  private final Duration waited;

  /**
   * Creates the exception.
   *
   * @param what what was awaited, naming the volume or device
   * @param waited how long was waited
   */
  public OperationTimeoutException(String what, Duration waited) {
    super("timed out after " + waited.toMillis() + " ms waiting for " + what);
    this.waited = waited;
  }

  /**
   * Returns how long was waited.
   *
   * @return the wait
   */
  public Duration waited() {
    return waited;
  }
}
