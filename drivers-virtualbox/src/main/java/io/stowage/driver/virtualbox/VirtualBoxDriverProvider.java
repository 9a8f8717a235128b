package io.stowage.driver.virtualbox;

import java.util.regex.Pattern;
import java.util.Optional;
import io.stowage.exception.ConfigurationException;
import io.stowage.model.Capability;
import io.stowage.spi.Diagnosis;
import io.stowage.spi.DriverConfig;
import io.stowage.spi.DriverContext;
import io.stowage.spi.StorageDriver;
import io.stowage.spi.StorageDriverProvider;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Provides the VirtualBox driver, named {@value #NAME}. Its settings are
 * {@link VirtualBoxSettings}, bound from the {@code virtualbox:} section. Stateless and
 * thread-safe; does no I/O until {@link #create} or {@link #diagnose}.
 */
public final class VirtualBoxDriverProvider implements StorageDriverProvider {
  /** The driver's name. */
  public static final String NAME = "virtualbox";

  /**
   * What the VirtualBox driver can do: attach a disk to any VM vboxwebsrv knows, take a disk
   * from another VM (force-detach, for preemption), and grow a disk attached to no VM (VDI and
   * VHD only: VirtualBox cannot resize VMDK). VirtualBox disks have no IOPS, types or zones,
   * the driver does not encrypt them, and it takes no snapshots (VirtualBox's belong to a
   * machine, not to a disk), so it creates no volume from one, nor as a copy.
   */
  public static final Set<Capability> CAPABILITIES = Collections.unmodifiableSet(EnumSet.of(
      Capability.FORCE_DETACH, Capability.ATTACH_OTHER_INSTANCE, Capability.RESIZE));

  /** Creates the provider; ServiceLoader calls this. */
  public VirtualBoxDriverProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<Capability> capabilities() {
    return CAPABILITIES;
  }
  /**
   * Returns the shape of a VirtualBox volume ID, the medium's UUID in lower case. A volume
   * cannot be named so.
   *
   * @return the pattern
   */
  @Override
  public Optional<Pattern> volumeIdPattern() {
    return Optional.of(MediumUuid.PATTERN);
  }


  @Override
  public Class<VirtualBoxSettings> settingsType() {
    return VirtualBoxSettings.class;
  }

  /**
   * Checks the driver's four steps, each depending on the one before: the endpoint answers as
   * vboxwebsrv, the logon works, the VM this host runs in is found, and its storage controller
   * exists and can take a disk. Stops at the first that fails; creates and changes nothing.
   */
  @Override
  public List<Diagnosis> diagnose(DriverConfig config, DriverContext context) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(context, "context");
    VirtualBoxSettings settings;
    try {
      settings = config.bind(VirtualBoxSettings.class);
    } catch (ConfigurationException e) {
      return List.of(Diagnosis.failed("settings", e.getMessage()));
    }
    try (VirtualBoxBackend backend = new VirtualBoxBackend(settings.toEndpoint(),
        settings.toBackendSettings(), context.clock())) {
      return new VirtualBoxDoctor(backend, settings).diagnose();
    }
  }

  @Override
  public StorageDriver create(DriverConfig config, DriverContext context) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(context, "context");
    VirtualBoxSettings settings = config.bind(VirtualBoxSettings.class);
    return new VirtualBoxDriver(new VirtualBoxBackend(settings.toEndpoint(),
        settings.toBackendSettings(), context.clock()), settings.toLocator(), context.host());
  }
}
