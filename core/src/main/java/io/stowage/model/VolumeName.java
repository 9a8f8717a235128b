package io.stowage.model;

import io.stowage.exception.InvalidArgumentException;
import java.util.regex.Pattern;

/**
 * The name of a volume, as Docker, dvdcli and Marathon give it. It becomes a directory under
 * the mount root, so it follows Docker's volume name rule: a letter or digit, then letters,
 * digits, {@code _ . -}, at most 128 characters, and never {@code ..}.
 *
 * @param value the name
 */
public record VolumeName(String value) implements Comparable<VolumeName> {
  /** The longest name accepted. */
  public static final int MAX_LENGTH = 128;

  private static final Pattern LEGAL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

  /**
   * Validates the name.
   *
   * @param value the name
   * @throws InvalidArgumentException when the name is empty, too long or has an illegal
   *     character
   */
  public VolumeName {
    value = validate("volume name", value);
  }

  /**
   * Parses a name.
   *
   * @param value the name
   * @return the name
   * @throws InvalidArgumentException when the name is not legal
   */
  public static VolumeName of(String value) {
    return new VolumeName(value);
  }

  /**
   * Returns whether a string is a legal volume name.
   *
   * @param value the string
   * @return true when {@link #of} would accept it
   */
  public static boolean isLegal(String value) {
    return value != null && value.length() <= MAX_LENGTH && LEGAL.matcher(value).matches()
        && !value.contains("..");
  }

  static String validate(String field, String value) {
    if (value == null || value.isEmpty()) {
      throw new InvalidArgumentException(field, value, "must not be empty");
    }
    if (value.length() > MAX_LENGTH) {
      throw new InvalidArgumentException(field, value,
          "is " + value.length() + " characters long, the limit is " + MAX_LENGTH);
    }
    if (!LEGAL.matcher(value).matches()) {
      throw new InvalidArgumentException(field, value,
          "must start with a letter or digit and contain only letters, digits, '_', '.' and '-'");
    }
    if (value.contains("..")) {
      throw new InvalidArgumentException(field, value, "must not contain '..'");
    }
    return value;
  }

  @Override
  public int compareTo(VolumeName other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
