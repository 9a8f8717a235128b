package io.stowage.model;

import io.stowage.exception.InvalidArgumentException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration syntax of Stowage, shared by configuration files, environment variables,
 * command-line flags and volume options: Go style as REX-Ray wrote it ({@code 30s}, {@code 2m},
 * {@code 500ms}, {@code 1m30s}, {@code 1.5h}), ISO-8601 ({@code PT30S}), or a bare whole number
 * of seconds ({@code 30}).
 */
public final class Durations {
  private static final Pattern SECONDS = Pattern.compile("[0-9]{1,12}");
  private static final Pattern GO =
      Pattern.compile("(?:[0-9]+(?:\\.[0-9]+)?(?:ns|us|\u00b5s|ms|s|m|h))+");
  private static final Pattern GO_PART =
      Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ns|us|\u00b5s|ms|s|m|h)");
  private static final String EXAMPLES = "a duration such as 30s, 2m, 500ms or PT30S";

  private Durations() {}

  /**
   * Parses a duration that may be zero.
   *
   * @param field what the text is, for the error message (a setting key, a flag, an option)
   * @param text the text
   * @return the duration, never negative
   * @throws InvalidArgumentException naming {@code field} when the text is not a duration
   */
  public static Duration parse(String field, String text) {
    if (text == null) {
      throw new InvalidArgumentException(field, null, "must be " + EXAMPLES);
    }
    String lower = text.strip().toLowerCase(Locale.ROOT);
    Duration result;
    if (SECONDS.matcher(lower).matches()) {
      result = Duration.ofSeconds(Long.parseLong(lower));
    } else if (GO.matcher(lower).matches()) {
      result = Duration.ZERO;
      Matcher m = GO_PART.matcher(lower);
      while (m.find()) {
        result = result.plus(part(field, text, m.group(1), m.group(2)));
      }
    } else if (lower.startsWith("p")) {
      try {
        result = Duration.parse(lower.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw new InvalidArgumentException(field, text, "must be " + EXAMPLES);
      }
    } else {
      throw new InvalidArgumentException(field, text, "must be " + EXAMPLES);
    }
    if (result.isNegative()) {
      throw new InvalidArgumentException(field, text, "must not be negative");
    }
    return result;
  }

  /**
   * Parses a duration that must be longer than zero, such as a timeout.
   *
   * @param field what the text is, for the error message
   * @param text the text
   * @return the duration
   * @throws InvalidArgumentException naming {@code field} when the text is not a positive
   *     duration
   */
  public static Duration parsePositive(String field, String text) {
    Duration d = parse(field, text);
    if (d.isZero()) {
      throw new InvalidArgumentException(field, text, "must be longer than zero");
    }
    return d;
  }

  /**
   * Formats a duration the way it is written in configuration files: whole seconds as
   * {@code 30s}, anything finer in milliseconds ({@code 250ms}).
   *
   * @param duration the duration
   * @return the text, which {@link #parse} reads back to the same duration when it has no part
   *     finer than a millisecond
   */
  public static String format(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    if (duration.getNano() == 0) {
      return duration.toSeconds() + "s";
    }
    return duration.toMillis() + "ms";
  }

  private static Duration part(String field, String text, String number, String unit) {
    double nanosPerUnit = switch (unit) {
      case "ns" -> 1;
      case "us", "\u00b5s" -> 1e3;
      case "ms" -> 1e6;
      case "s" -> 1e9;
      case "m" -> 60e9;
      default -> 3600e9;
    };
    double nanos = Double.parseDouble(number) * nanosPerUnit;
    if (nanos > 1e18) {
      throw new InvalidArgumentException(field, text, "is too long a duration");
    }
    return Duration.ofNanos(Math.round(nanos));
  }
}
