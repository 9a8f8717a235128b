package io.stowage.spi;

import java.util.Objects;

/**
 * One step of a driver's self-check for {@code stowage doctor}: whether the endpoint answers,
 * the credentials work, the local instance is found. The detail says what was found, or what to
 * fix; it never holds a secret.
 *
 * @param check what was checked, such as {@code endpoint} or {@code logon}
 * @param passed whether it passed
 * @param detail what was found, or what to fix
 */
public record Diagnosis(String check, boolean passed, String detail) {
  /**
   * Validates the diagnosis.
   *
   * @param check what was checked, such as {@code endpoint} or {@code logon}
   * @param passed whether it passed
   * @param detail what was found, or what to fix
   */
  public Diagnosis {
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(detail, "detail");
  }

  /**
   * Returns a passed check.
   *
   * @param check what was checked
   * @param detail what was found
   * @return the diagnosis
   */
  public static Diagnosis passed(String check, String detail) {
    return new Diagnosis(check, true, detail);
  }

  /**
   * Returns a failed check.
   *
   * @param check what was checked
   * @param detail what to fix
   * @return the diagnosis
   */
  public static Diagnosis failed(String check, String detail) {
    return new Diagnosis(check, false, detail);
  }
}
