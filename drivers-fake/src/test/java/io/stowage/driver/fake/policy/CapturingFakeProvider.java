package io.stowage.driver.fake.policy;

import io.stowage.driver.fake.FakeDriver;
import io.stowage.driver.fake.FakeDriverProvider;
import io.stowage.model.Capability;
import io.stowage.spi.DriverConfig;
import io.stowage.spi.DriverContext;
import io.stowage.spi.HostOs;
import io.stowage.spi.StorageDriver;
import io.stowage.spi.StorageDriverProvider;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * The fake driver's provider, keeping the driver it creates so that a test can reach its fault
 * injector behind a {@link io.stowage.Stowage}.
 */
final class CapturingFakeProvider implements StorageDriverProvider {
  private final FakeDriverProvider delegate = new FakeDriverProvider();
  private final AtomicReference<FakeDriver> created = new AtomicReference<>();

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public Set<Capability> capabilities() {
    return delegate.capabilities();
  }

  @Override
  public Set<String> volumeOptionKeys() {
    return delegate.volumeOptionKeys();
  }

  @Override
  public Optional<Pattern> volumeIdPattern() {
    return delegate.volumeIdPattern();
  }

  @Override
  public Class<? extends Record> settingsType() {
    return delegate.settingsType();
  }

  @Override
  public Set<HostOs.Kind> hostKinds() {
    return delegate.hostKinds();
  }

  @Override
  public StorageDriver create(DriverConfig config, DriverContext context) {
    FakeDriver driver = (FakeDriver) delegate.create(config, context);
    created.set(driver);
    return driver;
  }

  /** The driver created last. */
  FakeDriver driver() {
    FakeDriver driver = created.get();
    if (driver == null) {
      throw new IllegalStateException("no driver created yet");
    }
    return driver;
  }
}
