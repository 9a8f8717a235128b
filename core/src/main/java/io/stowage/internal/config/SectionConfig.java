package io.stowage.internal.config;

import io.stowage.model.ClosestMatch;
import io.stowage.spi.DriverConfig;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * A driver's section with environment overrides and programmatic settings applied: the
 * {@link DriverConfig} handed to a driver. Immutable and thread-safe; its {@link #toString()}
 * masks secrets.
 */
final class SectionConfig implements DriverConfig {
  /** What a secret shows as. */
  static final String MASK = "****";

  private static final Set<String> SECRET_WORDS = Set.of("password", "secret", "token",
      "passphrase", "credential");

  private final String driverName;
  private final Map<String, Value> values;
  private final Set<String> sensitive;

  /**
   * One setting of the section.
   *
   * @param key the key as written by the source that set it
   * @param value the scalar text, a list of texts, or a {@link Values.Shape}
   * @param source where it came from
   */
  record Value(String key, Object value, String source) {
    Value {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(source, "source");
    }
  }

  /**
   * Creates the section.
   *
   * @param driverName the driver name
   * @param values settings by normalized key ({@link #normalize})
   * @param sensitive normalized names of settings that hold secrets
   */
  SectionConfig(String driverName, Map<String, Value> values, Set<String> sensitive) {
    this.driverName = Objects.requireNonNull(driverName, "driverName");
    this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    this.sensitive = Set.copyOf(sensitive);
  }

  /** Normalizes a setting name for matching: lower case, without {@code _} and {@code -}. */
  static String normalize(String key) {
    return key.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
  }

  /**
   * Returns whether a setting of this section holds a secret: declared as sensitive, named like
   * a password, secret or token, or a near misspelling of such a name.
   */
  boolean isSensitive(String key) {
    String normalized = normalize(key);
    if (sensitive.contains(normalized)) {
      return true;
    }
    for (String word : SECRET_WORDS) {
      if (normalized.contains(word)) {
        return true;
      }
    }
    // a misspelt secret key ("pasword") still holds the secret
    return ClosestMatch.in(normalized, sensitive).isPresent()
        || ClosestMatch.in(normalized, SECRET_WORDS).isPresent();
  }

  /** Returns the settings by normalized key. */
  Map<String, Value> values() {
    return values;
  }

  /** Returns a setting's value for display: masked when it is a secret. */
  String shown(String key, Object value) {
    return isSensitive(key) ? MASK : Values.display(value);
  }

  /** Replaces every secret value of this section that occurs in a text by {@code ****}. */
  String scrub(String text) {
    String out = text;
    for (Map.Entry<String, Value> e : values.entrySet()) {
      if (isSensitive(e.getKey()) && e.getValue().value() != null) {
        Object raw = e.getValue().value();
        if (raw instanceof java.util.List<?> list) {
          for (Object item : list) {
            out = replace(out, String.valueOf(item));
          }
        } else {
          out = replace(out, String.valueOf(raw));
        }
      }
    }
    return out;
  }

  private static String replace(String text, String secret) {
    String trimmed = secret.strip();
    return trimmed.isEmpty() ? text : text.replace(trimmed, MASK);
  }

  @Override
  public String driverName() {
    return driverName;
  }

  @Override
  public <T extends Record> T bind(Class<T> settingsType) {
    return RecordBinder.bind(this, settingsType);
  }

  @Override
  public String toString() {
    StringJoiner joiner = new StringJoiner(", ", "DriverConfig[" + driverName + "]{", "}");
    values.values().forEach(v -> joiner.add(v.key() + "=" + shown(v.key(), v.value())));
    return joiner.toString();
  }
}
