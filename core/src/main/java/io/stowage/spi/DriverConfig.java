package io.stowage.spi;

/**
 * A driver's own configuration section, such as {@code ebs:} or {@code virtualbox:}, with
 * environment overrides applied. Thread-safe and immutable.
 */
public interface DriverConfig {
  /**
   * Returns the driver's name, which is also the section's key.
   *
   * @return the name
   */
  String driverName();

  /**
   * Binds the section onto a settings record. Keys match the record's component names
   * case-insensitively; a missing key leaves the component's default (a record may declare
   * defaults by a public static {@code DEFAULTS} instance); values are converted to the
   * component types ({@code String}, {@code boolean}, {@code int}, {@code long},
   * {@code java.time.Duration} as {@code 30s}/{@code 2m}/ISO-8601, {@code java.nio.file.Path},
   * {@code List<String>}, {@code Optional<...>}, enums by name).
   *
   * @param <T> the settings type
   * @param settingsType a record class
   * @return the bound settings
   * @throws io.stowage.exception.ConfigurationException listing every unknown key and bad
   *     value at once, secrets masked
   */
  <T extends Record> T bind(Class<T> settingsType);
}
