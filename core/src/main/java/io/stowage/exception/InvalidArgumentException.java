package io.stowage.exception;

import java.util.Objects;

/**
 * A value handed to a public entry point is malformed: a volume name, a size, an option. The
 * message names the field and the offending value; nothing was changed.
 */
public class InvalidArgumentException extends StowageException {
  private static final long serialVersionUID = 1L;

  /** What was invalid: a parameter, option or setting name. */
  private final String field;

  /**
   * Creates the exception.
   *
   * @param field the name of the field or option that was rejected
   * @param value the rejected value as the caller gave it (shown escaped)
   * @param reason why it was rejected
   */
  public InvalidArgumentException(String field, String value, String reason) {
    super("invalid " + field + " " + quote(value) + ": " + reason);
    this.field = Objects.requireNonNull(field, "field");
  }

  /**
   * Creates the exception for a value that must not be shown, such as a secret.
   *
   * @param field the name of the field or option that was rejected
   * @param reason why it was rejected
   * @return the exception, whose message does not contain the value
   */
  public static InvalidArgumentException withoutValue(String field, String reason) {
    return new InvalidArgumentException(field, reason);
  }

  private InvalidArgumentException(String field, String reason) {
    super("invalid " + field + ": " + reason);
    this.field = field;
  }

  /**
   * Returns the name of the rejected field or option.
   *
   * @return the field name
   */
  public String field() {
    return field;
  }

  /**
   * Quotes a value for an error message, escaping control characters so that a message never
   * carries a raw NUL or newline from user input.
   *
   * @param value the value, possibly null
   * @return the value in double quotes, escaped
   */
  public static String quote(String value) {
    if (value == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder(value.length() + 2).append('"');
    int shown = Math.min(value.length(), 200);
    for (int i = 0; i < shown; i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (shown < value.length()) {
      out.append("...");
    }
    return out.append('"').toString();
  }
}
