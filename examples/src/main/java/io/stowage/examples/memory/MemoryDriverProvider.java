package io.stowage.examples.memory;

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
import java.util.Set;

/**
 * Provides the memory driver, named {@value #NAME}, configured by the {@code memory:} section
 * ({@link MemorySettings}). Stateless and thread-safe; does no I/O until {@link #create}.
 */
public final class MemoryDriverProvider implements StorageDriverProvider {
  /** The driver's name: the key of its section and its entry in {@code storageDrivers}. */
  public static final String NAME = "memory";

  /**
   * What the memory driver can do: detach a mounted volume by force and record a volume type.
   * It refuses to attach to another instance, and every option that needs another capability.
   */
  public static final Set<Capability> CAPABILITIES = Collections.unmodifiableSet(EnumSet.of(
      Capability.FORCE_DETACH, Capability.VOLUME_TYPES));

  /** Creates the provider; ServiceLoader calls this. */
  public MemoryDriverProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<Capability> capabilities() {
    return CAPABILITIES;
  }
  /**
   * Returns the shape of this driver's volume IDs, {@code mem-} and 16 hex digits, so that no
   * volume can be named like another one's ID.
   *
   * @return the pattern
   */
  @Override
  public Optional<Pattern> volumeIdPattern() {
    return Optional.of(Pattern.compile("mem-[0-9a-f]{16}"));
  }


  @Override
  public Class<MemorySettings> settingsType() {
    return MemorySettings.class;
  }

  /**
   * Returns the simulated host only: the memory driver's devices are plain files.
   *
   * @return {@code SIMULATED}
   */
  @Override
  public Set<HostOs.Kind> hostKinds() {
    return EnumSet.of(HostOs.Kind.SIMULATED);
  }

  @Override
  public StorageDriver create(DriverConfig config, DriverContext context) {
    MemorySettings settings = config.bind(MemorySettings.class);
    return new MemoryDriver(settings, context.host());
  }
}
