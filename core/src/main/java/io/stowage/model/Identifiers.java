package io.stowage.model;

import io.stowage.exception.InvalidArgumentException;

/** Validation shared by the identifier records. */
final class Identifiers {
  static final int MAX_LENGTH = 256;

  private Identifiers() {}

  /** An identifier is 1 to 256 printable characters without control characters or spaces. */
  static String requireIdentifier(String field, String value) {
    if (value == null || value.isEmpty()) {
      throw new InvalidArgumentException(field, value, "must not be empty");
    }
    if (value.length() > MAX_LENGTH) {
      throw new InvalidArgumentException(field, value,
          "is " + value.length() + " characters long, the limit is " + MAX_LENGTH);
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c) || Character.isWhitespace(c)) {
        throw new InvalidArgumentException(field, value,
            "must not contain white space or control characters");
      }
    }
    return value;
  }
}
