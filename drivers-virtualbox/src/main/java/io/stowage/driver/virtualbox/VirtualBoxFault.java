package io.stowage.driver.virtualbox;

import io.stowage.exception.BackendException;

/**
 * VirtualBox refused a call with a {@code RuntimeFault}: the operation's COM result code and
 * VirtualBox's own message. Drivers branch on {@link #resultCode()}.
 */
final class VirtualBoxFault extends BackendException {
  private static final long serialVersionUID = 1L;

  private final String operation;
  private final int resultCode;
  private final String text;
  private final String errorInfo;

  /**
   * Creates the exception.
   *
   * @param operation the SOAP operation, such as {@code IMachine_attachDevice}
   * @param resultCode the COM result code
   * @param text VirtualBox's message
   * @param errorInfo the reference of the {@code IVirtualBoxErrorInfo} the web service made
   *     for the fault, or empty text
   */
  VirtualBoxFault(String operation, int resultCode, String text, String errorInfo) {
    super("VirtualBox refused " + operation + ": " + text + " ("
        + ResultCodes.describe(resultCode) + ")", ResultCodes.isPassing(resultCode), null, null);
    this.operation = operation;
    this.resultCode = resultCode;
    this.text = text;
    this.errorInfo = errorInfo;
  }

  /**
   * Creates the exception for a failed task, which has no reference of its own to free.
   *
   * @param operation the SOAP operation that started the task
   * @param resultCode the task's COM result code
   * @param text VirtualBox's message
   */
  VirtualBoxFault(String operation, int resultCode, String text) {
    this(operation, resultCode, text, "");
  }

  /**
   * Returns the refused operation.
   *
   * @return the SOAP operation name
   */
  String operation() {
    return operation;
  }

  /**
   * Returns the COM result code.
   *
   * @return the code, such as {@link ResultCodes#VBOX_E_OBJECT_NOT_FOUND}
   */
  int resultCode() {
    return resultCode;
  }

  /**
   * Returns VirtualBox's message.
   *
   * @return the message without the web service's prefix
   */
  String text() {
    return text;
  }

  /**
   * Returns the reference of the error information the web service made for the fault, which
   * lives in the web session until it is released.
   *
   * @return the reference, or empty text when there is none
   */
  String errorInfo() {
    return errorInfo;
  }
}
