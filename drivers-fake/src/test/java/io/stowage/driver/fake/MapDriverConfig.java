package io.stowage.driver.fake;

import io.stowage.exception.ConfigurationException;
import io.stowage.spi.DriverConfig;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A test-only {@link DriverConfig} that binds a map of strings onto a settings record by
 * component name (ignoring case), taking missing values from the record's {@code DEFAULTS}.
 */
final class MapDriverConfig implements DriverConfig {
  private final String driverName;
  private final Map<String, String> values;

  MapDriverConfig(String driverName, Map<String, String> values) {
    this.driverName = driverName;
    this.values = Map.copyOf(values);
  }

  @Override
  public String driverName() {
    return driverName;
  }

  @Override
  public <T extends Record> T bind(Class<T> settingsType) {
    try {
      Object defaults = settingsType.getField("DEFAULTS").get(null);
      RecordComponent[] components = settingsType.getRecordComponents();
      List<String> problems = new ArrayList<>();
      for (String key : values.keySet()) {
        boolean known = false;
        for (RecordComponent c : components) {
          known |= c.getName().equalsIgnoreCase(key);
        }
        if (!known) {
          problems.add("unknown key " + driverName + "." + key);
        }
      }
      if (!problems.isEmpty()) {
        throw new ConfigurationException("test map", problems);
      }
      Object[] args = new Object[components.length];
      Class<?>[] types = new Class<?>[components.length];
      for (int i = 0; i < components.length; i++) {
        RecordComponent c = components[i];
        types[i] = c.getType();
        String given = null;
        for (Map.Entry<String, String> e : values.entrySet()) {
          if (e.getKey().equalsIgnoreCase(c.getName())) {
            given = e.getValue();
          }
        }
        args[i] = given == null ? c.getAccessor().invoke(defaults) : convert(c.getType(), given);
      }
      Constructor<T> constructor = settingsType.getDeclaredConstructor(types);
      return constructor.newInstance(args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object convert(Class<?> type, String text) {
    if (type == String.class) {
      return text;
    }
    if (type == Path.class) {
      return Path.of(text);
    }
    if (type == int.class) {
      return Integer.parseInt(text);
    }
    if (type == boolean.class) {
      return Boolean.parseBoolean(text);
    }
    if (type == Duration.class) {
      return parseDuration(text);
    }
    if (type == Optional.class) {
      return Optional.of(text);
    }
    if (type.isEnum()) {
      for (Object constant : type.getEnumConstants()) {
        if (((Enum<?>) constant).name().equalsIgnoreCase(text)) {
          return constant;
        }
      }
    }
    throw new IllegalArgumentException("cannot convert " + text + " to " + type);
  }

  private static Duration parseDuration(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    if (t.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
    }
    if (t.endsWith("s")) {
      return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
    }
    if (t.endsWith("m")) {
      return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
    }
    return Duration.parse(text);
  }
}
