package io.stowage.driver.virtualbox;

import java.util.Objects;

/**
 * A managed object reference: the web service's handle on a VirtualBox object, valid within
 * one web session. The web service hands out the same reference each time it returns the same
 * object in a session, so references can be compared to tell objects apart.
 *
 * @param value the reference, such as {@code 5f2a6c1e7b0d4e5f-0000000000000003}
 */
record ObjectRef(String value) {
  /**
   * Validates the reference. An empty reference is never sent: the web service would answer
   * with a fault about the empty reference that hides the real problem.
   */
  ObjectRef {
    Objects.requireNonNull(value, "value");
    if (value.isBlank()) {
      throw new IllegalArgumentException("empty managed object reference");
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
