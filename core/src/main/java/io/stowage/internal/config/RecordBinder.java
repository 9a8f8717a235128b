package io.stowage.internal.config;

import io.stowage.exception.ConfigurationException;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.model.ByteSize;
import io.stowage.model.ClosestMatch;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Binds a driver section onto a settings record by component name, reporting all problems. */
final class RecordBinder {
  private RecordBinder() {}

  /** A component type the binder cannot fill: a mistake in the settings record. */
  private static final class Unsupported extends Exception {
    private static final long serialVersionUID = 1L;

    Unsupported(Type type) {
      super("unsupported settings type " + type.getTypeName(), null, false, false);
    }
  }

  static <T extends Record> T bind(SectionConfig section, Class<T> type) {
    if (type == null || !type.isRecord()) {
      throw new InvalidArgumentException("settingsType", type == null ? null : type.getName(),
          "must be a record class");
    }
    String driver = section.driverName();
    RecordComponent[] components = type.getRecordComponents();
    Map<String, RecordComponent> byName = new LinkedHashMap<>();
    for (RecordComponent component : components) {
      byName.put(SectionConfig.normalize(component.getName()), component);
    }
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, SectionConfig.Value> e : section.values().entrySet()) {
      if (!byName.containsKey(e.getKey())) {
        List<String> names = byName.values().stream().map(RecordComponent::getName).toList();
        problems.add(e.getValue().source() + ": unknown setting " + driver + "."
            + e.getValue().key()
            + ClosestMatch.in(e.getKey(), names).map(n -> " (did you mean " + driver + "." + n
                + "?)").orElse("")
            + "; known settings: " + String.join(", ", names));
      }
    }
    T defaults = defaults(type, problems);
    Object[] args = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent component = components[i];
      types[i] = component.getType();
      SectionConfig.Value value = section.values().get(
          SectionConfig.normalize(component.getName()));
      try {
        if (value == null || Values.isUnset(value.value())) {
          args[i] = defaults != null ? read(component, defaults) : zero(component.getType());
        } else {
          args[i] = convert(value.value(), component.getGenericType());
        }
      } catch (Values.BadValue bad) {
        if (value == null) {
          problems.add(driver + "." + component.getName() + " " + bad.getMessage());
          continue;
        }
        problems.add(value.source() + ": " + driver + "." + value.key() + " "
            + shown(section, value) + " " + bad.getMessage());
      } catch (Unsupported unsupported) {
        throw new InvalidArgumentException("settingsType", type.getName(),
            "component " + component.getName() + " has an " + unsupported.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException(driver + " section", problems);
    }
    try {
      Constructor<T> constructor = type.getDeclaredConstructor(types);
      constructor.setAccessible(true);
      return constructor.newInstance(args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      String reason = cause.getMessage() == null ? cause.getClass().getSimpleName()
          : cause.getMessage();
      throw new ConfigurationException(driver + " section",
          List.of(section.scrub(driver + " settings rejected: " + reason)));
    } catch (ReflectiveOperationException e) {
      throw new InvalidArgumentException("settingsType", type.getName(),
          "cannot be constructed: " + e.getClass().getSimpleName());
    }
  }

  private static String shown(SectionConfig section, SectionConfig.Value value) {
    return section.isSensitive(value.key()) ? SectionConfig.MASK
        : InvalidArgumentException.quote(Values.display(value.value()));
  }

  private static <T> T defaults(Class<T> type, List<String> problems) {
    Field field;
    try {
      field = type.getDeclaredField("DEFAULTS");
    } catch (NoSuchFieldException e) {
      return null;
    }
    if (!Modifier.isStatic(field.getModifiers()) || field.getType() != type) {
      return null;
    }
    try {
      field.setAccessible(true);
      return type.cast(field.get(null));
    } catch (IllegalAccessException e) {
      problems.add("the DEFAULTS of " + type.getSimpleName() + " cannot be read");
      return null;
    }
  }

  private static Object read(RecordComponent component, Object instance) throws Values.BadValue {
    try {
      Method accessor = component.getAccessor();
      accessor.setAccessible(true);
      return accessor.invoke(instance);
    } catch (ReflectiveOperationException e) {
      throw new Values.BadValue("has a default that cannot be read");
    }
  }

  private static Object zero(Class<?> type) {
    if (type == boolean.class) {
      return false;
    }
    if (type == int.class) {
      return 0;
    }
    if (type == long.class) {
      return 0L;
    }
    if (type == Optional.class) {
      return Optional.empty();
    }
    if (type == List.class) {
      return List.of();
    }
    return null;
  }

  private static Object convert(Object raw, Type type) throws Values.BadValue, Unsupported {
    if (type instanceof ParameterizedType parameterized) {
      Type owner = parameterized.getRawType();
      Type argument = parameterized.getActualTypeArguments()[0];
      if (owner == Optional.class) {
        return Optional.of(convert(raw, argument));
      }
      if (owner == List.class && argument == String.class) {
        return List.copyOf(Values.stringList(raw));
      }
      throw new Unsupported(type);
    }
    if (type == String.class) {
      return Values.scalar(raw, "a single value");
    }
    if (type == boolean.class || type == Boolean.class) {
      return Values.bool(raw);
    }
    if (type == int.class || type == Integer.class) {
      return (int) Values.whole(raw, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }
    if (type == long.class || type == Long.class) {
      return Values.whole(raw, Long.MIN_VALUE, Long.MAX_VALUE);
    }
    if (type == Duration.class) {
      return Values.duration(raw);
    }
    if (type == Path.class) {
      String text = Values.scalar(raw, "a path");
      try {
        return Path.of(text);
      } catch (InvalidPathException e) {
        throw new Values.BadValue("is not a valid path");
      }
    }
    if (type == ByteSize.class) {
      try {
        return ByteSize.parse(Values.scalar(raw, "a size"));
      } catch (InvalidArgumentException e) {
        throw new Values.BadValue("must be a size such as 16 (GiB) or 512MiB");
      }
    }
    if (type instanceof Class<?> cls && cls.isEnum()) {
      return enumValue(cls, Values.scalar(raw, "one of " + names(cls)));
    }
    throw new Unsupported(type);
  }

  private static Object enumValue(Class<?> type, String text) throws Values.BadValue {
    String wanted = SectionConfig.normalize(text);
    for (Object constant : type.getEnumConstants()) {
      if (SectionConfig.normalize(((Enum<?>) constant).name()).equals(wanted)) {
        return constant;
      }
    }
    throw new Values.BadValue("must be one of " + names(type));
  }

  private static String names(Class<?> type) {
    List<String> names = new ArrayList<>();
    for (Object constant : type.getEnumConstants()) {
      names.add(((Enum<?>) constant).name().toLowerCase(Locale.ROOT));
    }
    return String.join(", ", names);
  }
}
