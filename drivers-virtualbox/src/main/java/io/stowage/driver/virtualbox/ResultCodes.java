package io.stowage.driver.virtualbox;

import java.util.Map;

/**
 * The COM result codes VirtualBox puts in a {@code RuntimeFault}, as the signed 32-bit integers
 * the web service sends. Code branches on these, never on VirtualBox's message text.
 */
final class ResultCodes {
  /** Object corresponding to the supplied arguments does not exist. */
  static final int VBOX_E_OBJECT_NOT_FOUND = 0x80BB0001;
  /** Current virtual machine state prevents the operation. */
  static final int VBOX_E_INVALID_VM_STATE = 0x80BB0002;
  /** Virtual machine error occurred attempting the operation. */
  static final int VBOX_E_VM_ERROR = 0x80BB0003;
  /** File not accessible or erroneous file contents. */
  static final int VBOX_E_FILE_ERROR = 0x80BB0004;
  /** Runtime subsystem error. */
  static final int VBOX_E_IPRT_ERROR = 0x80BB0005;
  /** Current object state prohibits the operation (for example a machine already locked). */
  static final int VBOX_E_INVALID_OBJECT_STATE = 0x80BB0007;
  /** Host operating system related error. */
  static final int VBOX_E_HOST_ERROR = 0x80BB0008;
  /** Requested operation is not supported. */
  static final int VBOX_E_NOT_SUPPORTED = 0x80BB0009;
  /** Current session state prohibits the operation. */
  static final int VBOX_E_INVALID_SESSION_STATE = 0x80BB000B;
  /** Object being in use prohibits the operation (a port taken, a disk attached). */
  static final int VBOX_E_OBJECT_IN_USE = 0x80BB000C;
  /** Unspecified failure. */
  static final int E_FAIL = 0x80004005;
  /** An argument is invalid. */
  static final int E_INVALIDARG = 0x80070057;
  /** Access denied, or the object is no longer usable. */
  static final int E_ACCESSDENIED = 0x80070005;

  private static final Map<Integer, String> NAMES = Map.ofEntries(
      Map.entry(VBOX_E_OBJECT_NOT_FOUND, "VBOX_E_OBJECT_NOT_FOUND"),
      Map.entry(VBOX_E_INVALID_VM_STATE, "VBOX_E_INVALID_VM_STATE"),
      Map.entry(VBOX_E_VM_ERROR, "VBOX_E_VM_ERROR"),
      Map.entry(VBOX_E_FILE_ERROR, "VBOX_E_FILE_ERROR"),
      Map.entry(VBOX_E_IPRT_ERROR, "VBOX_E_IPRT_ERROR"),
      Map.entry(VBOX_E_INVALID_OBJECT_STATE, "VBOX_E_INVALID_OBJECT_STATE"),
      Map.entry(VBOX_E_HOST_ERROR, "VBOX_E_HOST_ERROR"),
      Map.entry(VBOX_E_NOT_SUPPORTED, "VBOX_E_NOT_SUPPORTED"),
      Map.entry(VBOX_E_INVALID_SESSION_STATE, "VBOX_E_INVALID_SESSION_STATE"),
      Map.entry(VBOX_E_OBJECT_IN_USE, "VBOX_E_OBJECT_IN_USE"),
      Map.entry(E_FAIL, "E_FAIL"),
      Map.entry(E_INVALIDARG, "E_INVALIDARG"),
      Map.entry(E_ACCESSDENIED, "E_ACCESSDENIED"));

  private ResultCodes() {}

  /**
   * Describes a result code for a message.
   *
   * @param code the code
   * @return its name and hex value, such as {@code VBOX_E_OBJECT_NOT_FOUND 0x80bb0001}
   */
  static String describe(int code) {
    String hex = String.format("0x%08x", code);
    String name = NAMES.get(code);
    return name == null ? hex : name + " " + hex;
  }

  /**
   * Returns whether the same call may succeed a little later: an object locked by another
   * session, or a state in transition.
   *
   * @param code the code
   * @return true for passing states
   */
  static boolean isPassing(int code) {
    return code == VBOX_E_INVALID_OBJECT_STATE || code == VBOX_E_INVALID_SESSION_STATE;
  }
}
