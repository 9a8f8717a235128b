package io.stowage.tck;

import io.stowage.model.Capability;
import io.stowage.spi.DriverConfig;
import io.stowage.spi.DriverContext;
import io.stowage.spi.HostOs;
import io.stowage.spi.StorageDriver;
import io.stowage.spi.StorageDriverProvider;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A provider that declares what the provider under test declares and hands out its drivers
 * wrapped in a {@link CallCounter}, so that a {@code Stowage} built over it can be measured.
 */
final class CountingProvider implements StorageDriverProvider {
  private final StorageDriverProvider provider;
  private final CallCounter counter;

  CountingProvider(StorageDriverProvider provider, CallCounter counter) {
    this.provider = provider;
    this.counter = counter;
  }

  @Override
  public String name() {
    return provider.name();
  }

  @Override
  public Set<Capability> capabilities() {
    return provider.capabilities();
  }

  @Override
  public Class<? extends Record> settingsType() {
    return provider.settingsType();
  }

  @Override
  public List<String> sectionAliases() {
    return provider.sectionAliases();
  }

  @Override
  public Optional<Pattern> volumeIdPattern() {
    return provider.volumeIdPattern();
  }

  @Override
  public Set<String> volumeOptionKeys() {
    return provider.volumeOptionKeys();
  }

  @Override
  public Set<HostOs.Kind> hostKinds() {
    return provider.hostKinds();
  }

  @Override
  public StorageDriver create(DriverConfig config, DriverContext context) {
    return counter.wrap(provider.create(config, context));
  }
}
