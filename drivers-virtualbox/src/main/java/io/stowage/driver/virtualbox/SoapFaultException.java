package io.stowage.driver.virtualbox;

import io.stowage.exception.BackendException;

/**
 * The web service answered with a SOAP fault that carries no VirtualBox detail: a request it
 * could not parse, an operation it does not have (an older or newer VirtualBox), or a refused
 * logon.
 */
final class SoapFaultException extends BackendException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param endpoint the web service, for the message
   * @param operation the SOAP operation
   * @param faultCode the SOAP fault code
   * @param faultString the SOAP fault string
   */
  SoapFaultException(String endpoint, String operation, String faultCode, String faultString) {
    super("vboxwebsrv at " + endpoint + " answered " + operation + " with SOAP fault "
        + faultCode + (faultString.isEmpty() ? "" : ": " + faultString), false, null, null);
  }
}
