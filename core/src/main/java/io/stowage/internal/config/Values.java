package io.stowage.internal.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Converts raw setting values (scalar text, lists of text, or a marker for a shape that is not a
 * value) into typed values. Every method throws {@link BadValue} with a reason that does not
 * repeat the value; callers decide whether the value may be shown.
 */
final class Values {
  private static final Pattern GO_DURATION =
      Pattern.compile("(?:[0-9]+(?:\\.[0-9]+)?(?:ns|us|\u00b5s|ms|s|m|h))+");
  private static final Pattern GO_DURATION_PART =
      Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ns|us|\u00b5s|ms|s|m|h)");
  private static final Pattern OCTAL = Pattern.compile("0[oO]?([0-7]+)");
  private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,6}");
  private static final Pattern LIST_SEPARATOR = Pattern.compile("[\\s,]+");

  private Values() {}

  /** A value's shape when it is not a scalar or a list of scalars. */
  enum Shape {
    /** A mapping where a value belongs. */
    MAPPING,
    /** A list holding mappings or lists. */
    NESTED_LIST;

    @Override
    public String toString() {
      return this == MAPPING ? "a mapping" : "a list of mappings or lists";
    }
  }

  /** A value that cannot be converted; the reason never contains the value. */
  static final class BadValue extends Exception {
    private static final long serialVersionUID = 1L;

    BadValue(String reason) {
      super(reason, null, false, false);
    }
  }

  /** Returns whether a raw value counts as unset: null (a key without a value). */
  static boolean isUnset(Object raw) {
    return raw == null;
  }

  /**
   * Returns a raw value as {@link io.stowage.spi.DriverConfig.Value} takes it: a shape that is
   * not a value becomes an empty mapping or a nested list, which the binder refuses by kind.
   */
  static Object forBinding(Object raw) {
    if (raw == Shape.MAPPING) {
      return Map.of();
    }
    if (raw == Shape.NESTED_LIST) {
      return List.of(List.of());
    }
    return raw;
  }

  /** Returns the raw value as one line of text for display. */
  static String display(Object raw) {
    if (raw instanceof List<?> list) {
      List<String> items = new ArrayList<>();
      for (Object item : list) {
        items.add(String.valueOf(item));
      }
      return "[" + String.join(", ", items) + "]";
    }
    return String.valueOf(raw);
  }

  /** Requires a scalar; lists and mappings are refused. */
  static String scalar(Object raw, String expected) throws BadValue {
    if (raw instanceof String s) {
      return s.strip();
    }
    if (raw instanceof List<?>) {
      throw new BadValue("must be " + expected + ", not a list");
    }
    throw new BadValue("must be " + expected + ", not " + raw);
  }

  /**
   * Parses a boolean: the words Go's {@code strconv.ParseBool} accepts plus YAML 1.1's
   * {@code yes/no/on/off}, in any case.
   */
  static boolean bool(Object raw) throws BadValue {
    String text = scalar(raw, "true or false");
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "1", "t", "true", "yes", "y", "on" -> true;
      case "0", "f", "false", "no", "n", "off" -> false;
      default -> throw new BadValue("must be true or false");
    };
  }

  /** Parses a list of strings: a YAML list of scalars, or one text split at blanks and commas. */
  static List<String> stringList(Object raw) throws BadValue {
    List<String> out = new ArrayList<>();
    if (raw instanceof String s) {
      for (String item : LIST_SEPARATOR.split(s.strip())) {
        if (!item.isEmpty()) {
          out.add(item);
        }
      }
      return out;
    }
    if (raw instanceof List<?> list) {
      for (Object item : list) {
        if (item == null || String.valueOf(item).isBlank()) {
          throw new BadValue("must be a list of non-empty strings");
        }
        out.add(String.valueOf(item).strip());
      }
      return out;
    }
    throw new BadValue("must be a list of strings, not " + raw);
  }

  /**
   * Parses a duration: Go style ({@code 30s}, {@code 2m}, {@code 500ms}, {@code 1m30s}), ISO-8601
   * ({@code PT30S}), or a bare whole number of seconds. It must be positive.
   */
  static Duration duration(Object raw) throws BadValue {
    String text = scalar(raw, "a duration such as 30s, 2m or 500ms").toLowerCase(Locale.ROOT);
    Duration result;
    if (DECIMAL.matcher(text).matches()) {
      result = Duration.ofSeconds(Long.parseLong(text));
    } else if (GO_DURATION.matcher(text).matches()) {
      result = Duration.ZERO;
      Matcher m = GO_DURATION_PART.matcher(text);
      while (m.find()) {
        result = result.plus(part(m.group(1), m.group(2)));
      }
    } else if (text.startsWith("p")) {
      try {
        result = Duration.parse(text.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw new BadValue("must be a duration such as 30s, 2m or 500ms");
      }
    } else {
      throw new BadValue("must be a duration such as 30s, 2m or 500ms");
    }
    if (result.isNegative() || result.isZero()) {
      throw new BadValue("must be a positive duration");
    }
    return result;
  }

  private static Duration part(String number, String unit) throws BadValue {
    double value;
    try {
      value = Double.parseDouble(number);
    } catch (NumberFormatException e) {
      throw new BadValue("must be a duration such as 30s, 2m or 500ms");
    }
    double nanosPerUnit = switch (unit) {
      case "ns" -> 1;
      case "us", "\u00b5s" -> 1e3;
      case "ms" -> 1e6;
      case "s" -> 1e9;
      case "m" -> 60e9;
      default -> 3600e9;
    };
    double nanos = value * nanosPerUnit;
    if (nanos > 1e18) {
      throw new BadValue("is too long a duration");
    }
    return Duration.ofNanos(Math.round(nanos));
  }

  /**
   * Parses a permission mode: octal text with a leading zero ({@code 0700}, {@code 0o700}), or a
   * decimal number as YAML 1.1 turns {@code 0700} into ({@code 448}); at most 0777.
   */
  static int fileMode(Object raw) throws BadValue {
    String text = scalar(raw, "a file mode such as 0700");
    int mode;
    Matcher octal = OCTAL.matcher(text);
    if (octal.matches() && octal.group(1).length() <= 4) {
      mode = Integer.parseInt(octal.group(1), 8);
    } else if (DECIMAL.matcher(text).matches()) {
      mode = Integer.parseInt(text);
    } else {
      throw new BadValue("must be a file mode such as 0700");
    }
    if (mode > 0777) {
      throw new BadValue("must be a file mode from 0 to 0777, such as 0700 (octal with a leading"
          + " zero)");
    }
    return mode;
  }

  /** Parses an absolute path. */
  static Path absolutePath(Object raw) throws BadValue {
    String text = scalar(raw, "an absolute path");
    if (text.chars().anyMatch(Character::isISOControl)) {
      throw new BadValue("must not contain control characters");
    }
    Path path;
    try {
      path = Path.of(text);
    } catch (InvalidPathException e) {
      throw new BadValue("is not a valid path");
    }
    if (!path.isAbsolute()) {
      throw new BadValue("must be an absolute path");
    }
    return path.normalize();
  }

  /**
   * Parses the data subdirectory: REX-Ray's {@code /data} becomes {@code data}. It must stay
   * inside the volume: no {@code ..}, not empty.
   */
  static String dataDir(Object raw) throws BadValue {
    String text = scalar(raw, "a relative directory such as data");
    if (text.chars().anyMatch(Character::isISOControl) || text.indexOf('\\') >= 0) {
      throw new BadValue("must not contain control characters or backslashes");
    }
    List<String> segments = new ArrayList<>();
    for (String segment : text.split("/")) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        throw new BadValue("must stay inside the volume (no '..')");
      }
      segments.add(segment);
    }
    if (segments.isEmpty()) {
      throw new BadValue("must name a subdirectory of the volume, such as data");
    }
    return String.join("/", segments);
  }

  /** Parses a whole number in a range. */
  static long whole(Object raw, long min, long max) throws BadValue {
    String text = scalar(raw, "a whole number");
    long value;
    try {
      value = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new BadValue("must be a whole number");
    }
    if (value < min || value > max) {
      throw new BadValue("must be from " + min + " to " + max);
    }
    return value;
  }
}
