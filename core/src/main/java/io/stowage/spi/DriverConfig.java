package io.stowage.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A driver's own configuration section, such as {@code ebs:} or {@code virtualbox:}, with
 * environment overrides and programmatic settings applied. The core builds one from the
 * configuration for each driver it creates; a test or a program that creates a driver itself
 * builds one with {@link #of(String, Map)}. Immutable and thread-safe; {@code toString()} shows
 * the keys, never the values.
 *
 * <p>A driver declares its settings as a record (its provider's
 * {@link StorageDriverProvider#settingsType()}) and binds the section onto it:
 *
 * <ul>
 *   <li>keys are the record's component names, matched without regard to case, {@code _} and
 *       {@code -} ({@code volumePath}, {@code volumepath}, {@code VOLUME_PATH});
 *   <li>values are converted to the component types: {@code String}, {@code boolean},
 *       {@code int}, {@code long}, {@link java.time.Duration} (Go style {@code 30s} or
 *       ISO-8601), {@link java.nio.file.Path}, {@link java.net.URI},
 *       {@link io.stowage.model.ByteSize}, enums (by name, any case), {@code List<String>} (a
 *       YAML list, or one text split at blanks and commas), and {@code Optional} of any of
 *       those;
 *   <li>a component annotated {@link Default} takes that default when the key is not set; an
 *       {@code Optional} or {@code List} component is empty then; any other component is
 *       required;
 *   <li>a component annotated {@link Secret} is never shown.
 * </ul>
 */
public interface DriverConfig {
  /**
   * Returns the driver's name, which is also the section's key.
   *
   * @return the name
   */
  String driverName();

  /**
   * Binds the section onto a settings record, as the class comment describes. The record's
   * compact constructor may validate further; an exception it throws is reported as a problem
   * of the section.
   *
   * @param <T> the settings type
   * @param settingsType a record class
   * @return the bound settings
   * @throws io.stowage.exception.ConfigurationException naming the driver, and for each problem
   *     the key, where it was set and what is expected: every unknown key (with the closest
   *     known one), every value of the wrong type and every missing required key, all at once,
   *     secrets masked
   * @throws io.stowage.exception.InvalidArgumentException when {@code settingsType} is not a
   *     record the binder can fill (a programming error)
   */
  <T extends Record> T bind(Class<T> settingsType);

  /**
   * Checks the section against a settings record without binding it: every unknown key and
   * every value of the wrong type, as {@link #bind} reports them. A required key that is not set
   * is not a problem here, and the record's constructor does not run. The configuration checks
   * the sections of installed drivers that are not in use this way.
   *
   * @param settingsType a record class
   * @throws io.stowage.exception.ConfigurationException naming the driver and listing every
   *     unknown key and every value of the wrong type, secrets masked
   * @throws io.stowage.exception.InvalidArgumentException when {@code settingsType} is not a
   *     record the binder can fill (a programming error)
   */
  void check(Class<? extends Record> settingsType);

  /**
   * Returns a section holding the given settings, for tests and for programs that create a
   * driver themselves. Values are text ({@code "30s"}), lists of text, or values of the
   * component types themselves ({@code Path}, {@code Duration}, {@code Boolean}, numbers,
   * enums), which are written out as text and read back by the same rules as a file.
   *
   * @param driverName the driver's name
   * @param settings values by key
   * @return the section
   * @throws io.stowage.exception.InvalidArgumentException when the driver name breaks
   *     {@link StorageDriverProvider#NAME_RULE}, a key is blank, or two keys differ only in
   *     case, {@code _} or {@code -}
   */
  static DriverConfig of(String driverName, Map<String, ?> settings) {
    List<Value> values = new ArrayList<>();
    settings.forEach((key, value) -> values.add(new Value(key, value, "code")));
    return of(driverName, values);
  }

  /**
   * Returns a section holding the given values, each with where it came from, so that problems
   * name the file and line or the environment variable. This is what the configuration loader
   * uses.
   *
   * @param driverName the driver's name
   * @param values the values
   * @return the section
   * @throws io.stowage.exception.InvalidArgumentException as {@link #of(String, Map)}
   */
  static DriverConfig of(String driverName, List<Value> values) {
    return new MapDriverConfig(driverName, values);
  }

  /**
   * Returns the settings a settings record declares: the keys a section may hold, their
   * defaults, which are secrets and which are required.
   *
   * @param settingsType a record class
   * @return one entry per component, in declaration order
   * @throws io.stowage.exception.InvalidArgumentException when {@code settingsType} is not a
   *     record the binder can fill
   */
  static List<Setting> settingsOf(Class<? extends Record> settingsType) {
    return SettingsBinder.settingsOf(settingsType);
  }

  /**
   * Returns whether a setting's name marks it as a secret even where no {@link Secret} declares
   * it: it contains {@code password}, {@code secret}, {@code token}, {@code passphrase},
   * {@code credential} or {@code accesskey} (ignoring case, {@code _} and {@code -}), or is a
   * near misspelling of one of those ({@code pasword}). Stowage masks such values too.
   *
   * @param key a setting name
   * @return whether its value is masked
   */
  static boolean looksSecret(String key) {
    return SettingsBinder.looksSecret(key);
  }

  /**
   * One value of a section.
   *
   * @param key the key as written by the source that set it
   * @param value text, a list of text, a mapping (which is refused where a value belongs), a
   *     value of a component type, or null for a key written without a value
   * @param source where it came from: {@code file.yml:12}, {@code env EBS_REGION},
   *     {@code code}
   */
  record Value(String key, Object value, String source) {
    /**
     * Validates the value.
     *
     * @param key the key as written by the source that set it
     * @param value text, a list of text, a mapping (which is refused where a value belongs), a
     *     value of a component type, or null for a key written without a value
     * @param source where it came from: {@code file.yml:12}, {@code env EBS_REGION}, {@code code}
     */
    public Value {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(source, "source");
    }
  }

  /**
   * One setting a settings record declares.
   *
   * @param key the component name, such as {@code volumePath}
   * @param type what a value must be, in words: {@code a duration}, {@code a path},
   *     {@code one of loop, simulated}
   * @param defaultValue the declared default as text, if any
   * @param secret whether the setting holds a secret
   * @param required whether a section must set it
   */
  record Setting(String key, String type, Optional<String> defaultValue, boolean secret,
      boolean required) {
    /**
     * Validates the setting.
     *
     * @param key the component name, such as {@code volumePath}
     * @param type what a value must be, in words: {@code a duration}, {@code a path}, {@code one of
     *     loop, simulated}
     * @param defaultValue the declared default as text, if any
     * @param secret whether the setting holds a secret
     * @param required whether a section must set it
     */
    public Setting {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(defaultValue, "defaultValue");
    }
  }
}
