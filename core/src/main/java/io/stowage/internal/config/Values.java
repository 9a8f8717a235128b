package io.stowage.internal.config;

import io.stowage.exception.InvalidArgumentException;
import io.stowage.model.ByteSize;
import io.stowage.model.Durations;
import io.stowage.model.FsType;
import io.stowage.model.VolumeOptions;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Converts raw setting values (scalar text, lists of text, or a marker for a shape that is not a
 * value) into typed values, with the model's own parsers where the model has one. Every method
 * throws {@link BadValue} with a reason that starts with a verb and does not repeat the value;
 * callers decide whether the value may be shown.
 */
final class Values {
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

  /** Parses a boolean with {@link VolumeOptions#parseBoolean}, Stowage's one boolean syntax. */
  static boolean bool(String text) throws BadValue {
    try {
      return VolumeOptions.parseBoolean("setting", text);
    } catch (InvalidArgumentException e) {
      throw new BadValue("must be true or false (also yes/no, on/off, 1/0)");
    }
  }

  /** Parses a timeout with {@link Durations#parsePositive}, Stowage's one duration syntax. */
  static Duration timeout(String text) throws BadValue {
    try {
      return Durations.parsePositive("setting", text);
    } catch (InvalidArgumentException e) {
      throw new BadValue("must be a duration longer than zero, such as 30s, 2m, 500ms or PT30S");
    }
  }

  /** Parses a size with {@link ByteSize#parse}. */
  static ByteSize size(String text) throws BadValue {
    try {
      return ByteSize.parse(text);
    } catch (InvalidArgumentException e) {
      throw new BadValue("must be a size from 1 MiB to 64 TiB: a whole number of GiB, or a"
          + " number with a unit, such as 16, 512MiB or 2TiB");
    }
  }

  /** Parses a file system type with {@link FsType#of}. */
  static FsType fsType(String text) throws BadValue {
    try {
      return FsType.of(text);
    } catch (InvalidArgumentException e) {
      throw new BadValue("must be one of the file system types "
          + String.join(", ", FsType.KNOWN));
    }
  }

  /** Parses a create option's value as the volume options parse it (for its checks). */
  static VolumeOptions createOption(String option, String text, String reason) throws BadValue {
    try {
      return VolumeOptions.parse(Map.of(option, text));
    } catch (InvalidArgumentException e) {
      throw new BadValue(reason);
    }
  }

  /**
   * Parses a permission mode: octal text with a leading zero ({@code 0700}, {@code 0o700}), or a
   * decimal number as YAML 1.1 turns {@code 0700} into ({@code 448}); at most 0777.
   */
  static int fileMode(String text) throws BadValue {
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

  /** Parses an absolute path, normalized. */
  static Path absolutePath(String text) throws BadValue {
    if (text.chars().anyMatch(Character::isISOControl)) {
      throw new BadValue("must not contain control characters");
    }
    Path path;
    try {
      path = Path.of(text);
    } catch (InvalidPathException e) {
      throw new BadValue("must be a valid path");
    }
    if (!path.isAbsolute()) {
      throw new BadValue("must be an absolute path");
    }
    return path.normalize();
  }

  /**
   * Parses a directory that Stowage fills with its own content: an absolute path other than the
   * file system root.
   */
  static Path ownDirectory(String text) throws BadValue {
    Path path = absolutePath(text);
    if (path.getParent() == null) {
      throw new BadValue("must not be the file system root: name a directory of its own, such"
          + " as /var/lib/stowage");
    }
    return path;
  }

  /**
   * Parses the data subdirectory: REX-Ray's {@code /data} becomes {@code data}. It must stay
   * inside the volume: no {@code ..}, not empty.
   */
  static String dataDir(String text) throws BadValue {
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
}
