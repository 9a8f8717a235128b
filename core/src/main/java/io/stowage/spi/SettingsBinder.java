package io.stowage.spi;

import io.stowage.exception.ConfigurationException;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.StowageException;
import io.stowage.model.ByteSize;
import io.stowage.model.ClosestMatch;
import io.stowage.model.Durations;
import io.stowage.model.VolumeOptions;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Binds a section onto a settings record by component name, reporting every problem at once.
 * The only place where raw configuration values of drivers become typed values.
 */
final class SettingsBinder {
  /** What a secret shows as. */
  static final String MASK = "****";

  private static final Pattern LIST_SEPARATOR = Pattern.compile("[\\s,]+");
  private static final Set<String> SECRET_WORDS = Set.of("password", "secret", "token",
      "passphrase", "credential", "accesskey");

  private SettingsBinder() {}

  /** A value that cannot be converted; the reason never contains the value. */
  private static final class BadValue extends Exception {
    private static final long serialVersionUID = 1L;

    BadValue(String reason) {
      super(reason, null, false, false);
    }
  }

  /** Normalizes a key for matching: lower case, without {@code _} and {@code -}. */
  static String normalize(String key) {
    return key.strip().toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
  }

  static List<DriverConfig.Setting> settingsOf(Class<? extends Record> type) {
    requireRecord(type);
    List<DriverConfig.Setting> settings = new ArrayList<>();
    for (RecordComponent c : type.getRecordComponents()) {
      Default declared = c.getAnnotation(Default.class);
      String expected = expected(c.getGenericType(), type, c);
      settings.add(new DriverConfig.Setting(c.getName(), expected,
          Optional.ofNullable(declared).map(Default::value), c.isAnnotationPresent(Secret.class),
          declared == null && !optional(c.getType())));
    }
    return List.copyOf(settings);
  }

  static <T extends Record> T bind(MapDriverConfig section, Class<T> type) {
    RecordComponent[] components = components(type);
    String driver = section.driverName();
    Object[] args = new Object[components.length];
    List<String> problems = problems(section, type, components, args, true);
    if (!problems.isEmpty()) {
      throw new ConfigurationException(driver + " section", problems);
    }
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
    }
    try {
      Constructor<T> constructor = type.getDeclaredConstructor(types);
      constructor.setAccessible(true);
      return constructor.newInstance(args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ConfigurationException ce) {
        throw ce;
      }
      boolean refused = cause instanceof StowageException
          || cause instanceof IllegalArgumentException;
      String problem = refused
          ? driver + " settings rejected: " + cause.getMessage()
          : "the " + driver + " driver failed to read its settings (a fault in the driver, not in"
              + " the configuration; report it to the driver's authors)";
      throw new ConfigurationException(driver + " section",
          List.of(scrub(section, components, problem)));
    } catch (ReflectiveOperationException e) {
      throw new InvalidArgumentException("settingsType", type.getName(),
          "cannot be constructed: " + e.getClass().getSimpleName());
    }
  }

  static void check(MapDriverConfig section, Class<? extends Record> type) {
    RecordComponent[] components = components(type);
    List<String> problems = problems(section, type, components, new Object[components.length],
        false);
    if (!problems.isEmpty()) {
      throw new ConfigurationException(section.driverName() + " section", problems);
    }
  }

  /** The components of a settings record; refuses a type the binder cannot fill. */
  private static RecordComponent[] components(Class<? extends Record> type) {
    requireRecord(type);
    RecordComponent[] components = type.getRecordComponents();
    for (RecordComponent c : components) {
      expected(c.getGenericType(), type, c);
    }
    return components;
  }

  /**
   * Converts the section's values into {@code args}, one per component, and returns every
   * unknown key and bad value, and every missing required key when {@code requireAll}.
   */
  private static List<String> problems(MapDriverConfig section, Class<?> type,
      RecordComponent[] components, Object[] args, boolean requireAll) {
    String driver = section.driverName();
    List<String> names = new ArrayList<>();
    for (RecordComponent c : components) {
      names.add(c.getName());
    }
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, DriverConfig.Value> e : section.values().entrySet()) {
      boolean known = names.stream().anyMatch(n -> normalize(n).equals(e.getKey()));
      if (!known) {
        problems.add(e.getValue().source() + ": unknown setting " + driver + "."
            + e.getValue().key()
            + ClosestMatch.in(e.getKey(), names)
                .map(n -> " (did you mean " + driver + "." + n + "?)").orElse("")
            + "; known settings: " + String.join(", ", names));
      }
    }
    for (int i = 0; i < components.length; i++) {
      RecordComponent c = components[i];
      DriverConfig.Value value = section.values().get(normalize(c.getName()));
      Default declared = c.getAnnotation(Default.class);
      try {
        if (value != null && value.value() != null) {
          args[i] = convert(value.value(), c.getGenericType());
        } else if (declared != null) {
          args[i] = convertDefault(type, c, declared.value());
        } else if (optional(c.getType())) {
          args[i] = c.getType() == Optional.class ? Optional.empty() : List.of();
        } else if (requireAll) {
          problems.add(driver + "." + c.getName() + " is required (" + expected(
              c.getGenericType(), type, c) + ") and is not set");
        }
      } catch (BadValue bad) {
        problems.add(value.source() + ": " + driver + "." + value.key() + " "
            + shown(c, value.value()) + " " + bad.getMessage());
      }
    }
    return problems;
  }

  private static void requireRecord(Class<?> type) {
    if (type == null || !type.isRecord()) {
      throw new InvalidArgumentException("settingsType", type == null ? null : type.getName(),
          "must be a record class");
    }
  }

  private static boolean optional(Class<?> type) {
    return type == Optional.class || type == List.class;
  }

  private static Object convertDefault(Class<?> type, RecordComponent c, String text) {
    try {
      return convert(text, c.getGenericType());
    } catch (BadValue bad) {
      throw new InvalidArgumentException("settingsType", type.getName(), "the @Default of "
          + c.getName() + " " + bad.getMessage());
    }
  }

  /** Whether a component holds a secret: declared, or named like one. */
  static boolean isSecret(RecordComponent c) {
    return c.isAnnotationPresent(Secret.class) || looksSecret(c.getName());
  }

  /** Whether a key is named like a password, secret or token, or nearly so. */
  static boolean looksSecret(String key) {
    String normalized = normalize(key);
    return SECRET_WORDS.stream().anyMatch(normalized::contains)
        || ClosestMatch.in(normalized, SECRET_WORDS).isPresent();
  }

  private static String shown(RecordComponent c, Object raw) {
    return isSecret(c) ? MASK : InvalidArgumentException.quote(display(raw));
  }

  /** Replaces every secret value of the section that occurs in a text by {@link #MASK}. */
  private static String scrub(MapDriverConfig section, RecordComponent[] components,
      String text) {
    String out = text;
    for (RecordComponent c : components) {
      DriverConfig.Value v = section.values().get(normalize(c.getName()));
      if (v != null && v.value() != null && isSecret(c)) {
        Collection<?> items = v.value() instanceof Collection<?> list ? list : List.of(v.value());
        for (Object item : items) {
          String secret = String.valueOf(item).strip();
          if (!secret.isEmpty()) {
            out = out.replace(secret, MASK);
          }
        }
      }
    }
    return out;
  }

  private static String display(Object raw) {
    if (raw instanceof Collection<?> list) {
      List<String> items = new ArrayList<>();
      list.forEach(item -> items.add(String.valueOf(item)));
      return "[" + String.join(", ", items) + "]";
    }
    return String.valueOf(raw);
  }

  /** What a value of this type must be, in words; refuses a type the binder cannot fill. */
  private static String expected(Type type, Class<?> settings, RecordComponent c) {
    if (type instanceof ParameterizedType p) {
      Type owner = p.getRawType();
      Type argument = p.getActualTypeArguments()[0];
      if (owner == Optional.class) {
        return expected(argument, settings, c);
      }
      if (owner == List.class && argument == String.class) {
        return "a list of strings";
      }
    } else if (type == String.class) {
      return "a single value";
    } else if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    } else if (type == int.class || type == Integer.class || type == long.class
        || type == Long.class) {
      return "a whole number";
    } else if (type == Duration.class) {
      return "a duration such as 30s";
    } else if (type == Path.class) {
      return "a path";
    } else if (type == URI.class) {
      return "a URL";
    } else if (type == ByteSize.class) {
      return "a size such as 16 (GiB) or 512MiB";
    } else if (type instanceof Class<?> cls && cls.isEnum()) {
      return "one of " + names(cls);
    }
    throw new InvalidArgumentException("settingsType", settings.getName(), "component "
        + c.getName() + " has an unsupported settings type " + type.getTypeName());
  }

  private static Object convert(Object raw, Type type) throws BadValue {
    if (raw instanceof Map<?, ?>) {
      throw new BadValue("must be a value, not a mapping");
    }
    if (type instanceof ParameterizedType parameterized) {
      Type owner = parameterized.getRawType();
      Type argument = parameterized.getActualTypeArguments()[0];
      if (owner == Optional.class) {
        return Optional.of(convert(raw, argument));
      }
      return List.copyOf(stringList(raw));
    }
    String text = scalar(raw);
    try {
      if (type == String.class) {
        return text;
      }
      if (type == boolean.class || type == Boolean.class) {
        return VolumeOptions.parseBoolean("setting", text);
      }
      if (type == Duration.class) {
        return Durations.parse("setting", text);
      }
      if (type == ByteSize.class) {
        return ByteSize.parse(text);
      }
    } catch (InvalidArgumentException e) {
      throw new BadValue("must be " + expectedOf(type));
    }
    if (type == int.class || type == Integer.class) {
      return (int) whole(text, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }
    if (type == long.class || type == Long.class) {
      return whole(text, Long.MIN_VALUE, Long.MAX_VALUE);
    }
    if (type == Path.class) {
      if (text.chars().anyMatch(Character::isISOControl)) {
        throw new BadValue("must not contain control characters");
      }
      try {
        return Path.of(text);
      } catch (InvalidPathException e) {
        throw new BadValue("is not a valid path");
      }
    }
    if (type == URI.class) {
      try {
        URI uri = new URI(text);
        if (uri.getScheme() == null || uri.getHost() == null) {
          throw new BadValue("must be a URL such as http://host:18083");
        }
        return uri;
      } catch (URISyntaxException e) {
        throw new BadValue("must be a URL such as http://host:18083");
      }
    }
    Class<?> cls = (Class<?>) type;
    String wanted = normalize(text);
    for (Object constant : cls.getEnumConstants()) {
      if (normalize(((Enum<?>) constant).name()).equals(wanted)) {
        return constant;
      }
    }
    throw new BadValue("must be one of " + names(cls));
  }

  private static String expectedOf(Type type) {
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == Duration.class) {
      return "a duration such as 30s, 2m or 500ms";
    }
    return "a size such as 16 (GiB) or 512MiB";
  }

  /** Requires one value: a list is refused; any other object is read as its text. */
  private static String scalar(Object raw) throws BadValue {
    if (raw instanceof Collection<?>) {
      throw new BadValue("must be a single value, not a list");
    }
    if (raw instanceof Duration d) {
      return d.toString();
    }
    if (raw instanceof Enum<?> e) {
      return e.name();
    }
    return String.valueOf(raw).strip();
  }

  private static List<String> stringList(Object raw) throws BadValue {
    List<String> out = new ArrayList<>();
    if (raw instanceof Collection<?> list) {
      for (Object item : list) {
        if (item == null || item instanceof Map<?, ?> || item instanceof Collection<?>
            || String.valueOf(item).isBlank()) {
          throw new BadValue("must be a list of non-empty strings");
        }
        out.add(String.valueOf(item).strip());
      }
      return out;
    }
    for (String item : LIST_SEPARATOR.split(String.valueOf(raw).strip())) {
      if (!item.isEmpty()) {
        out.add(item);
      }
    }
    return out;
  }

  private static long whole(String text, long min, long max) throws BadValue {
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

  private static String names(Class<?> type) {
    List<String> names = new ArrayList<>();
    for (Object constant : type.getEnumConstants()) {
      names.add(((Enum<?>) constant).name().toLowerCase(Locale.ROOT));
    }
    return String.join(", ", names);
  }
}
