package io.stowage.internal.config;

import io.stowage.spi.DriverConfig;
import io.stowage.spi.StorageDriverProvider;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the loader knows of an installed driver without creating it: its name, the other root
 * keys its section may be written under, and the settings it declares.
 *
 * @param name the driver name
 * @param aliases other section names, highest precedence first
 * @param settingsType the record its section binds to
 */
public record DriverSchema(String name, List<String> aliases,
    Class<? extends Record> settingsType) {
  /**
   * Validates the schema.
   *
   * @param name the driver name
   * @param aliases other section names, highest precedence first
   * @param settingsType the record its section binds to
   */
  public DriverSchema {
    StorageDriverProvider.requireValidName(name);
    aliases = aliases.stream().map(a -> a.toLowerCase(Locale.ROOT)).toList();
    Objects.requireNonNull(settingsType, "settingsType");
  }

  /**
   * Returns the schema a provider declares.
   *
   * @param provider the provider
   * @return its schema
   */
  public static DriverSchema of(StorageDriverProvider provider) {
    return new DriverSchema(provider.name(), List.copyOf(provider.sectionAliases()),
        provider.settingsType());
  }

  /** The normalized keys the driver declares. */
  Set<String> keys() {
    return DriverConfig.settingsOf(settingsType).stream()
        .map(s -> SectionKeys.normalize(s.key())).collect(Collectors.toSet());
  }

  /** The normalized keys of the declared secrets. */
  Set<String> secretKeys() {
    return DriverConfig.settingsOf(settingsType).stream().filter(DriverConfig.Setting::secret)
        .map(s -> SectionKeys.normalize(s.key())).collect(Collectors.toSet());
  }
}
