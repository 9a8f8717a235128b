package io.stowage.driver.fake;

import java.util.regex.Pattern;
import java.util.Optional;
import io.stowage.model.Capability;
import io.stowage.spi.DriverConfig;
import io.stowage.spi.DriverContext;
import io.stowage.spi.HostOs;
import io.stowage.spi.StorageDriver;
import io.stowage.spi.StorageDriverProvider;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Provides the fake driver, named {@value #NAME}. Its settings are {@link FakeSettings}, bound
 * from the {@code fake:} section. Stateless and thread-safe; does no I/O until
 * {@link #create}.
 */
public final class FakeDriverProvider implements StorageDriverProvider {
  /** The driver's name. */
  public static final String NAME = "fake";

  /**
   * What the fake driver can do: force-detach, attach to other (simulated) instances, record
   * IOPS, volume type, availability zone and the encryption flag, take snapshots and copy them
   * between its regions, create volumes from snapshots and as copies, and grow volumes, also
   * while attached.
   */
  public static final Set<Capability> CAPABILITIES = Collections.unmodifiableSet(EnumSet.of(
      Capability.FORCE_DETACH, Capability.ATTACH_OTHER_INSTANCE, Capability.IOPS,
      Capability.VOLUME_TYPES, Capability.AVAILABILITY_ZONES, Capability.ENCRYPTION,
      Capability.SNAPSHOTS, Capability.COPY_SNAPSHOT, Capability.CREATE_FROM_SNAPSHOT,
      Capability.COPY_VOLUME, Capability.RESIZE, Capability.ONLINE_RESIZE));

  /** Creates the provider; ServiceLoader calls this. */
  public FakeDriverProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<Capability> capabilities() {
    return CAPABILITIES;
  }
  /**
   * Returns the shape of the fake's volume IDs: {@code fake-} and 16 hex digits. A volume
   * cannot be named so.
   *
   * @return the pattern
   */
  @Override
  public Optional<Pattern> volumeIdPattern() {
    return Optional.of(FakeStore.ID);
  }


  @Override
  public Class<FakeSettings> settingsType() {
    return FakeSettings.class;
  }

  /**
   * Returns both kinds: loop devices on the real Linux host, simulated devices on a
   * {@link SimulatedHost}.
   *
   * @return {@code LINUX} and {@code SIMULATED}
   */
  @Override
  public Set<HostOs.Kind> hostKinds() {
    return EnumSet.allOf(HostOs.Kind.class);
  }

  @Override
  public StorageDriver create(DriverConfig config, DriverContext context) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(context, "context");
    return new FakeDriver(config.bind(FakeSettings.class), context);
  }
}
