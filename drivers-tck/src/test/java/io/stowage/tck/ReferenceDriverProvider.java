package io.stowage.tck;

import io.stowage.model.Capability;
import io.stowage.spi.DriverConfig;
import io.stowage.spi.DriverContext;
import io.stowage.spi.HostOs;
import io.stowage.spi.StorageDriver;
import io.stowage.spi.StorageDriverProvider;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Provides the reference driver, {@value #NAME}: an in-memory driver that keeps the whole
 * contract with every capability, and breaks it in the one way its {@code defect} setting
 * names. Subclasses give it another name, class or fewer capabilities, to break the provider's
 * side of the contract or to check the refusals of a driver without the optional features.
 */
public class ReferenceDriverProvider implements StorageDriverProvider {
  /** The driver's name. */
  public static final String NAME = "reference";

  private final String name;
  private final Set<Capability> capabilities;

  /** Creates the provider. */
  public ReferenceDriverProvider() {
    this(NAME);
  }

  /**
   * Creates the provider under another name.
   *
   * @param name the name of the provider and its drivers
   */
  protected ReferenceDriverProvider(String name) {
    this(name, ReferenceDriver.ALL);
  }

  /**
   * Creates the provider under another name, with other capabilities.
   *
   * @param name the name of the provider and its drivers
   * @param capabilities what its drivers can do
   */
  protected ReferenceDriverProvider(String name, Set<Capability> capabilities) {
    this.name = name;
    this.capabilities = capabilities;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<Capability> capabilities() {
    return capabilities;
  }

  @Override
  public Optional<Pattern> volumeIdPattern() {
    return Optional.of(Pattern.compile("ref-[0-9a-f]{16}"));
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
    ReferenceSettings settings = config.bind(ReferenceSettings.class);
    StorageDriver driver = new ReferenceDriver(name, capabilities, settings,
        context.host());
    return settings.defect().map(d -> d.inject(driver)).orElse(driver);
  }
}
