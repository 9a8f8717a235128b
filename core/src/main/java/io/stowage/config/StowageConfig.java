package io.stowage.config;

import io.stowage.exception.InvalidArgumentException;
import io.stowage.model.FsType;
import io.stowage.spi.DriverConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The effective configuration: files, environment and programmatic settings merged, every
 * spelling (REX-Ray 0.3, libStorage, {@code stowage:}) mapped onto one model. Immutable.
 *
 * <p>{@link #volumeSettings()} are the global volume settings, which every service starts
 * from; a service's effective settings, with its overrides, are {@link ServiceConfig#volumes()}.
 *
 * @param storageDrivers the drivers Stowage creates, in order: the default service's first
 * @param volumeSettings the global volume settings, which every service starts from
 * @param stateDirectory the host's durable state directory
 * @param driverSections each driver's own section, by driver name, without any service's
 *     overrides
 * @param services the services, the default one first
 * @param settings every effective setting with its source, secrets masked, for display
 * @param warnings keys that were accepted but are not used, one warning each
 */
public record StowageConfig(
    List<String> storageDrivers,
    VolumeSettings volumeSettings,
    Path stateDirectory,
    Map<String, DriverConfig> driverSections,
    List<ServiceConfig> services,
    List<EffectiveSetting> settings,
    List<String> warnings) {

  /** REX-Ray's name for its default volume driver, which means the default service. */
  public static final String REXRAY = "rexray";
  /** The default file system: ext4. */
  public static final FsType DEFAULT_FS_TYPE = FsType.EXT4;
  /** The default mount root. */
  public static final Path DEFAULT_MOUNT_ROOT = Path.of("/var/lib/stowage/volumes");
  /** The default data subdirectory, as REX-Ray's {@code /data}. */
  public static final String DEFAULT_DATA_DIR = "data";
  /** The default mode of the data subdirectory: 0700. */
  public static final int DEFAULT_DATA_DIR_MODE = 0700;
  /** The default attach timeout: 30 seconds, as libStorage's. */
  public static final Duration DEFAULT_ATTACH_TIMEOUT = Duration.ofSeconds(30);
  /** The default state directory. */
  public static final Path DEFAULT_STATE_DIRECTORY = Path.of("/var/lib/stowage");

  /**
   * Validates the configuration and copies its collections.
   *
   * @param storageDrivers the drivers Stowage creates, in order: the default service's first
   * @param volumeSettings the global volume settings, which every service starts from
   * @param stateDirectory the host's durable state directory
   * @param driverSections each driver's own section, by driver name
   * @param services the services, the default one first
   * @param settings every effective setting with its source, secrets masked, for display
   * @param warnings keys that were accepted but are not used, one warning each
   * @throws InvalidArgumentException when there is no service, or two
   *     services share a name
   */
  public StowageConfig {
    storageDrivers = List.copyOf(storageDrivers);
    Objects.requireNonNull(volumeSettings, "volumeSettings");
    Objects.requireNonNull(stateDirectory, "stateDirectory");
    driverSections = Map.copyOf(driverSections);
    services = List.copyOf(services);
    if (services.isEmpty()) {
      throw new InvalidArgumentException("services", "[]",
          "must hold at least the default service");
    }
    if (services.stream().map(ServiceConfig::name).distinct().count() != services.size()) {
      throw new InvalidArgumentException("services",
          services.stream().map(ServiceConfig::name).toList().toString(),
          "must have distinct names");
    }
    settings = List.copyOf(settings);
    warnings = List.copyOf(warnings);
  }

  /**
   * Returns the default service: the one {@code Stowage.volumes()} returns and REX-Ray's
   * {@code default-docker} module configures.
   *
   * @return the first service
   */
  public ServiceConfig defaultService() {
    return services.get(0);
  }

  /**
   * Finds the service a name means, as DVDI, dvdcli and {@code --service} name them. In order:
   * the service of that name, or the one a REX-Ray module of that name serves; for
   * {@value #REXRAY}, REX-Ray's default name, the default service; the service whose plugin
   * socket is {@code <name>.sock}; and a driver's name, the first service of that driver
   * (so a driver's name means its implicit service where there is one). Names match without
   * regard to case.
   *
   * @param name the name asked for
   * @return the service, if the name means one
   */
  public Optional<ServiceConfig> service(String name) {
    Objects.requireNonNull(name, "name");
    String wanted = name.strip().toLowerCase(Locale.ROOT);
    Optional<ServiceConfig> found = services.stream().filter(s -> s.answersTo(wanted))
        .findFirst();
    if (found.isEmpty() && wanted.equals(REXRAY)) {
      found = Optional.of(defaultService());
    }
    if (found.isEmpty()) {
      found = services.stream().filter(s -> s.pluginName().filter(wanted::equals).isPresent())
          .findFirst();
    }
    if (found.isEmpty()) {
      found = services.stream().filter(s -> s.driver().equals(wanted)).findFirst();
    }
    return found;
  }

  /**
   * Returns a driver's section.
   *
   * @param driver the driver name
   * @return its section, if the configuration has one
   */
  public Optional<DriverConfig> driverSection(String driver) {
    return Optional.ofNullable(driverSections.get(driver));
  }

  /**
   * One effective setting, for {@code stowage config show}.
   *
   * @param key the canonical key, such as {@code stowage.volume.mount.preempt}
   * @param value the value as text, {@code ****} for secrets
   * @param source where it came from: a file path with line, an environment variable,
   *     {@code code}, or {@code default}
   */
  public record EffectiveSetting(String key, String value, String source) {
    /**
     * Validates the setting.
     *
     * @param key the canonical key, such as {@code stowage.volume.mount.preempt}
     * @param value the value as text, {@code ****} for secrets
     * @param source where it came from: a file path with line, an environment variable, {@code
     *     code}, or {@code default}
     */
    public EffectiveSetting {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(source, "source");
    }
  }
}
