package io.stowage.driver.ebs;

import io.stowage.exception.ConfigurationException;
import io.stowage.model.Capability;
import io.stowage.spi.Diagnosis;
import io.stowage.spi.DriverConfig;
import io.stowage.spi.DriverContext;
import io.stowage.spi.StorageDriver;
import io.stowage.spi.StorageDriverProvider;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provides the AWS EBS driver, named {@value #NAME}. Its settings are {@link EbsSettings},
 * bound from the {@code ebs:} section or REX-Ray's {@code ec2:} and {@code aws:} sections. It
 * calls EC2 through the AWS SDK for Java v2 and reads the instance identity from IMDSv2.
 * Stateless and thread-safe; does no I/O and loads no AWS SDK class until {@link #create} or
 * {@link #diagnose}.
 */
public final class EbsDriverProvider implements StorageDriverProvider {
  /** The driver's name. */
  public static final String NAME = "ebs";

  /**
   * What the EBS driver can do: force-detach (preemption), attach to other instances of the
   * zone (a scheduler attaching its agents' volumes), provisioned IOPS, the EBS volume types,
   * availability zones and encryption (with a KMS key), snapshots and their copies to other
   * regions, volumes from snapshots, and growing volumes, attached or not. Copies of volumes
   * are refused: take a snapshot and create the volume from it.
   */
  public static final Set<Capability> CAPABILITIES = Collections.unmodifiableSet(EnumSet.of(
      Capability.FORCE_DETACH, Capability.ATTACH_OTHER_INSTANCE, Capability.IOPS,
      Capability.VOLUME_TYPES, Capability.AVAILABILITY_ZONES, Capability.ENCRYPTION,
      Capability.SNAPSHOTS, Capability.COPY_SNAPSHOT, Capability.CREATE_FROM_SNAPSHOT,
      Capability.RESIZE, Capability.ONLINE_RESIZE));

  /** The shape of an EBS volume ID: {@code vol-} and 8 (older volumes) or 17 hex digits. */
  static final Pattern VOLUME_ID = Pattern.compile("vol-[0-9a-f]{8}(?:[0-9a-f]{9})?");

  /** REX-Ray's section names for this driver, highest precedence first. */
  private static final List<String> ALIASES = List.of("ec2", "aws");

  /** The EBS volume option beyond the common ones; a constant, so no SDK class loads. */
  private static final Set<String> OPTION_KEYS = Set.of(VolumeSpec.THROUGHPUT);

  private static final Logger LOG = LoggerFactory.getLogger(EbsDriverProvider.class);

  private final Path sysRoot;
  private final Path devRoot;

  /** Creates the provider for this host's {@code /sys} and {@code /dev}; ServiceLoader calls it. */
  public EbsDriverProvider() {
    this(Path.of("/sys"), Path.of("/dev"));
  }

  /**
   * Creates a provider whose drivers look for devices under other roots (tests).
   *
   * @param sysRoot where sysfs is mounted
   * @param devRoot the device directory
   */
  EbsDriverProvider(Path sysRoot, Path devRoot) {
    this.sysRoot = Objects.requireNonNull(sysRoot, "sysRoot");
    this.devRoot = Objects.requireNonNull(devRoot, "devRoot");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<Capability> capabilities() {
    return CAPABILITIES;
  }

  @Override
  public Class<EbsSettings> settingsType() {
    return EbsSettings.class;
  }

  /**
   * Returns REX-Ray's section names: {@code ec2}, then {@code aws}.
   *
   * @return the aliases, in precedence order
   */
  @Override
  public List<String> sectionAliases() {
    return ALIASES;
  }

  /**
   * Returns the shape of EBS volume IDs, {@code vol-} and 8 or 17 hex digits: a volume cannot
   * be named like one, and a reference of that shape is also looked up as an ID.
   *
   * @return the pattern
   */
  @Override
  public Optional<Pattern> volumeIdPattern() {
    return Optional.of(VOLUME_ID);
  }

  /**
   * Returns the EBS volume option beyond the common ones: {@code throughput} (MiB/s, gp3).
   *
   * @return the option names
   */
  @Override
  public Set<String> volumeOptionKeys() {
    return OPTION_KEYS;
  }

  /**
   * Checks the settings, the credentials (and which provider of the AWS chain found them), the
   * local instance's identity, the region, and EC2 with one {@code DescribeVolumes} of the
   * volumes attached to this instance. Nothing is created or changed.
   *
   * @param config the {@code ebs} section
   * @param context unused
   * @return the steps, in order
   */
  @Override
  public List<Diagnosis> diagnose(DriverConfig config, DriverContext context) {
    Objects.requireNonNull(config, "config");
    EbsSettings settings;
    try {
      settings = config.bind(EbsSettings.class);
    } catch (ConfigurationException e) {
      return List.of(Diagnosis.failed("settings", e.getMessage()));
    }
    return new EbsDiagnosis(settings).run();
  }

  @Override
  public StorageDriver create(DriverConfig config, DriverContext context) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(context, "context");
    EbsSettings settings = config.bind(EbsSettings.class);
    settings.ignored().forEach(warning -> LOG.warn("{}", warning));
    Optional<InstanceMetadata> metadata = openMetadata(settings);
    try {
      InstanceIdentity identity = InstanceIdentity.resolve(settings.instanceId(),
          settings.availabilityZone(), settings.region(), metadata::orElseThrow);
      EbsDeviceLocator locator = new EbsDeviceLocator(sysRoot, devRoot);
      Ec2Connection ec2 = Ec2Connection.open(settings.clientConfig(), identity.region());
      EbsBackend backend = new EbsBackend(ec2, identity, metadata, locator::hasDeviceName,
          settings.backendOptions(), new Random(),
          region -> Ec2Connection.open(settings.clientConfig(), region));
      LOG.debug("ebs driver on instance {} in {} ({})", identity.instanceId(),
          identity.availabilityZone(), settings);
      return new EbsDriver(backend, locator, context.host());
    } catch (RuntimeException e) {
      metadata.ifPresent(InstanceMetadata::close);
      throw e;
    }
  }

  /**
   * Opens the metadata service client when the settings need it.
   *
   * @param settings the settings
   * @return the client; empty when the local instance is fully configured
   */
  static Optional<InstanceMetadata> openMetadata(EbsSettings settings) {
    if (!settings.usesMetadata()) {
      return Optional.empty();
    }
    return Optional.of(new InstanceMetadata(
        settings.metadataEndpoint().orElse(InstanceMetadata.DEFAULT_ENDPOINT),
        InstanceMetadata.DEFAULT_TIMEOUT));
  }
}
