package io.stowage.driver.virtualbox;

import io.stowage.exception.BackendException;

/**
 * The web service no longer knows an object reference ({@code InvalidObjectFault}): its web
 * session expired after the idle timeout, or vboxwebsrv restarted. The session logs on again
 * and retries the operation once.
 */
final class StaleReferenceException extends BackendException {
  private static final long serialVersionUID = 1L;

  private final String badObjectId;

  /**
   * Creates the exception.
   *
   * @param endpoint the web service, for the message
   * @param operation the SOAP operation that was refused
   * @param badObjectId the reference the web service did not know
   */
  StaleReferenceException(String endpoint, String operation, String badObjectId) {
    super("vboxwebsrv at " + endpoint + " no longer knows object reference \"" + badObjectId
        + "\" (" + operation + "): its web session expired or it restarted", true, null, null);
    this.badObjectId = badObjectId;
  }

  /**
   * Returns the reference the web service did not know.
   *
   * @return the managed object reference
   */
  String badObjectId() {
    return badObjectId;
  }
}
