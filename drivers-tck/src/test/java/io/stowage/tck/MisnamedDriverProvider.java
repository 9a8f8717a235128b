package io.stowage.tck;

import io.stowage.model.Capability;
import io.stowage.spi.DriverConfig;
import io.stowage.spi.DriverContext;
import io.stowage.spi.HostOs;
import io.stowage.spi.StorageDriver;
import io.stowage.spi.StorageDriverProvider;
import java.util.EnumSet;
import java.util.Set;

/** The reference driver under a name that breaks {@link StorageDriverProvider#NAME_RULE}. */
public final class MisnamedDriverProvider implements StorageDriverProvider {
  /** A name with an upper-case letter and an underscore. */
  static final String NAME = "Reference_Driver";

  /** Creates the provider. */
  public MisnamedDriverProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<Capability> capabilities() {
    return ReferenceDriver.CAPABILITIES;
  }

  @Override
  public Class<ReferenceSettings> settingsType() {
    return ReferenceSettings.class;
  }

  @Override
  public Set<HostOs.Kind> hostKinds() {
    return EnumSet.of(HostOs.Kind.SIMULATED);
  }

  @Override
  public StorageDriver create(DriverConfig config, DriverContext context) {
    return new ReferenceDriver(NAME, config.bind(ReferenceSettings.class), context.host());
  }
}
