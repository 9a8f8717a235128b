package io.stowage;

import io.stowage.config.ServiceConfig;
import io.stowage.config.StowageConfig;
import io.stowage.exception.ConfigurationException;
import io.stowage.exception.DriverNotFoundException;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.exception.StowageException;
import io.stowage.internal.config.ConfigLoader;
import io.stowage.internal.config.DriverSchema;
import io.stowage.internal.policy.PolicyContext;
import io.stowage.internal.policy.PolicyVolumeService;
import io.stowage.internal.policy.Reconciler;
import io.stowage.internal.state.StateStore;
import io.stowage.spi.Diagnosis;
import io.stowage.spi.DriverConfig;
import io.stowage.spi.DriverContext;
import io.stowage.spi.HostOs;
import io.stowage.spi.StorageDriver;
import io.stowage.spi.StorageDriverProvider;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point of the SDK. Opening one loads the configuration, creates the configured
 * storage drivers, opens the host's durable state and repairs what a crash left half done.
 * Each configured service ({@link StowageConfig#services()}) is a {@link VolumeService}; services
 * that share a driver's settings share one driver.
 *
 * <pre>{@code
 * try (Stowage stowage = Stowage.open(Path.of("/etc/stowage/config.yml"))) {
 *   Mount m = stowage.volumes().mount("pgdata", MountRequest.builder().caller("task-42").build());
 * }
 * }</pre>
 *
 * <p>Thread-safe. Holds no static state: several instances may live in one JVM. Closing it
 * closes the drivers and the state; mounts stay as they are.
 */
public final class Stowage implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Stowage.class);

  private final StowageConfig config;
  private final DriverRegistry registry;
  private final StateStore state;
  private final List<StorageDriver> drivers;
  private final Map<String, PolicyVolumeService> services;

  private Stowage(StowageConfig config, DriverRegistry registry, StateStore state,
      List<StorageDriver> drivers, Map<String, PolicyVolumeService> services) {
    this.config = config;
    this.registry = registry;
    this.state = state;
    this.drivers = drivers;
    this.services = services;
  }

  /**
   * Opens Stowage on a configuration file, with environment overrides.
   *
   * @param configFile a REX-Ray, libStorage or Stowage {@code config.yml}
   * @return the open instance
   * @throws io.stowage.exception.ConfigurationException when the file is invalid
   * @throws DriverNotFoundException when a configured driver is not installed
   */
  public static Stowage open(Path configFile) {
    return builder().configFile(configFile).systemEnvironment().build();
  }

  /**
   * Opens Stowage on the first configuration file found ({@code /etc/stowage/config.yml},
   * then {@code /etc/rexray/config.yml}), else on the built-in defaults, with environment
   * overrides.
   *
   * @return the open instance
   */
  public static Stowage open() {
    return builder().searchDefaultLocations().systemEnvironment().build();
  }

  /**
   * Starts a builder, for explicit providers, programmatic settings and test seams.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the effective configuration.
   *
   * @return the configuration
   */
  public StowageConfig config() {
    return config;
  }

  /**
   * Returns the installed drivers.
   *
   * @return the registry this instance was built from
   */
  public DriverRegistry registry() {
    return registry;
  }

  /**
   * Returns the volumes of the default service: REX-Ray's {@code default-docker} module, or the
   * first configured driver.
   *
   * @return its volume service
   */
  public VolumeService volumes() {
    return services.get(config.defaultService().name());
  }

  /**
   * Returns the volumes of a service, found as {@link StowageConfig#service(String)} finds it:
   * by its name or a REX-Ray module's, {@code rexray} for the default service, its plugin name,
   * or a driver's name.
   *
   * @param service the name
   * @return its volume service
   * @throws DriverNotFoundException when no configured service answers to the name
   */
  public VolumeService volumes(String service) {
    Optional<ServiceConfig> found = config.service(service);
    if (found.isEmpty()) {
      List<String> names = config.services().stream().map(ServiceConfig::name).toList();
      throw new DriverNotFoundException(service, names, "no configured service or storage"
          + " driver is named " + InvalidArgumentException.quote(service)
          + "; services: " + String.join(", ", names));
    }
    return services.get(found.get().name());
  }

  /** Closes the drivers and the state store. Mounts and attachments stay as they are. */
  @Override
  public void close() {
    for (StorageDriver driver : drivers) {
      try {
        driver.close();
      } catch (RuntimeException e) {
        LOG.warn("Closing driver {} failed", driver.name(), e);
      }
    }
    state.close();
  }

  private static String kinds(Set<HostOs.Kind> kinds) {
    return kinds.stream().map(k -> k == HostOs.Kind.LINUX ? "Linux" : "simulated").sorted()
        .collect(java.util.stream.Collectors.joining(" or "));
  }

  /**
   * Finds a service of another driver, or of the same driver with other settings (another back
   * end), that has a volume by this name or ID; each back end is asked once. A back end that
   * cannot answer (unreachable) is passed over.
   */
  private static Optional<String> ownerAmong(Map<String, PolicyVolumeService> services,
      Map<String, StorageDriver> serviceDrivers, StorageDriver self, String volume) {
    Map<StorageDriver, Boolean> asked = new IdentityHashMap<>();
    asked.put(self, true);
    for (Map.Entry<String, PolicyVolumeService> other : services.entrySet()) {
      if (asked.put(serviceDrivers.get(other.getKey()), true) != null) {
        continue;
      }
      try {
        if (other.getValue().find(volume).isPresent()) {
          return Optional.of(other.getKey());
        }
      } catch (StowageException e) {
        LOG.debug("Service {} could not say whether it has volume {}: {}", other.getKey(),
            volume, e.toString());
      }
    }
    return Optional.empty();
  }

  /** Builds a {@link Stowage}. Not thread-safe. */
  public static final class Builder {
    private final ConfigLoader.Builder loader = ConfigLoader.builder();
    private final List<StorageDriverProvider> providers = new ArrayList<>();
    private boolean discover = true;
    private ClassLoader classLoader = Stowage.class.getClassLoader();
    private Clock clock = Clock.systemUTC();
    private HostOs host;
    private ProgressListener progress = ProgressListener.NONE;

    private Builder() {}

    /**
     * Loads this configuration file.
     *
     * @param file the file
     * @return this builder
     */
    public Builder configFile(Path file) {
      loader.file(file);
      return this;
    }

    /**
     * Searches the default locations for a configuration file.
     *
     * @return this builder
     */
    public Builder searchDefaultLocations() {
      loader.searchDefaultLocations();
      return this;
    }

    /**
     * Applies overrides from the process environment.
     *
     * @return this builder
     */
    public Builder systemEnvironment() {
      loader.systemEnvironment();
      return this;
    }

    /**
     * Applies overrides from the given environment.
     *
     * @param environment variables such as {@code STOWAGE_VOLUME_MOUNT_PREEMPT}
     * @return this builder
     */
    public Builder environment(Map<String, String> environment) {
      loader.environment(environment);
      return this;
    }

    /**
     * Sets one setting; settings given here override files and the environment.
     *
     * @param key the dotted key, such as {@code stowage.volume.mount.preempt} or
     *     {@code fake.root}
     * @param value the value
     * @return this builder
     */
    public Builder setting(String key, Object value) {
      loader.setting(key, value);
      return this;
    }

    /**
     * Adds a driver provider explicitly, besides those discovered.
     *
     * @param provider the provider
     * @return this builder
     */
    public Builder provider(StorageDriverProvider provider) {
      providers.add(Objects.requireNonNull(provider, "provider"));
      return this;
    }

    /**
     * Turns discovery through {@link java.util.ServiceLoader} on or off (on by default).
     *
     * @param discover false to use only the explicit providers
     * @return this builder
     */
    public Builder discoverProviders(boolean discover) {
      this.discover = discover;
      return this;
    }

    /**
     * Sets the class loader that discovery searches.
     *
     * @param classLoader the class loader
     * @return this builder
     */
    public Builder classLoader(ClassLoader classLoader) {
      this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
      return this;
    }

    /**
     * Sets the clock for deadlines and timestamps.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the host layer; the default is the real Linux host. The fake driver's
     * {@code SimulatedHost} runs the SDK without root.
     *
     * @param host the host layer
     * @return this builder
     */
    public Builder host(HostOs host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /**
     * Sets the listener that hears the long steps of mounts and unmounts (attach, device wait,
     * format), for example to show progress.
     *
     * @param progress the listener
     * @return this builder
     */
    public Builder progress(ProgressListener progress) {
      this.progress = Objects.requireNonNull(progress, "progress");
      return this;
    }

    /**
     * Loads the configuration, creates the configured drivers, opens the state and
     * reconciles it.
     *
     * @return the open instance
     */
    public Stowage build() {
      Plan plan = plan();
      StowageConfig config = plan.config();
      StateStore state = StateStore.open(config.stateDirectory());
      // One driver per distinct section: services that override none of its settings share it.
      Map<DriverConfig, StorageDriver> drivers = new IdentityHashMap<>();
      Map<String, StorageDriver> serviceDrivers = new LinkedHashMap<>();
      Map<String, PolicyVolumeService> services = new LinkedHashMap<>();
      try {
        for (ServiceConfig service : config.services()) {
          StorageDriverProvider provider = plan.providers().get(service.driver());
          StorageDriver driver = drivers.get(service.driverSection());
          if (driver == null) {
            driver = provider.create(service.driverSection(), plan.context());
            drivers.put(service.driverSection(), driver);
          }
          serviceDrivers.put(service.name(), driver);
          PolicyContext ctx = PolicyContext.of(service.name(), driver, service.volumes(),
              plan.context().host(), state, clock, progress);
          new Reconciler(ctx).run();
          StorageDriver self = driver;
          services.put(service.name(), new PolicyVolumeService(ctx,
              provider.volumeOptionKeys(), provider.volumeIdPattern(),
              volume -> ownerAmong(services, serviceDrivers, self, volume)));
        }
      } catch (RuntimeException e) {
        drivers.values().forEach(d -> {
          try {
            d.close();
          } catch (RuntimeException suppressed) {
            e.addSuppressed(suppressed);
          }
        });
        state.close();
        throw e;
      }
      return new Stowage(config, plan.registry(), state, List.copyOf(drivers.values()),
          services);
    }

    /**
     * Loads the configuration and runs the self-check of each driver Stowage would create
     * ({@link StorageDriverProvider#diagnose}) instead of opening Stowage: nothing is created
     * on the back end or on the host. This is what {@code stowage doctor} reports. A driver
     * is checked once per distinct set of its settings, under the name of the first service
     * that uses them: a driver's own service has the driver's name.
     *
     * @return the steps by service name, the default service first
     * @throws io.stowage.exception.ConfigurationException when the configuration is invalid or
     *     does not fit the host
     * @throws DriverNotFoundException when a configured driver is not installed
     */
    public Map<String, List<Diagnosis>> diagnose() {
      Plan plan = plan();
      Map<String, List<Diagnosis>> result = new LinkedHashMap<>();
      Map<DriverConfig, Boolean> checked = new IdentityHashMap<>();
      for (ServiceConfig service : plan.config().services()) {
        if (checked.put(service.driverSection(), true) == null) {
          result.put(service.name(), List.copyOf(plan.providers().get(service.driver())
              .diagnose(service.driverSection(), plan.context())));
        }
      }
      return result;
    }

    /**
     * Loads and checks the configuration as {@link #build()} would, without creating drivers
     * or touching host state: every problem of the files, the environment, the settings in
     * code and the installed drivers' sections, all at once. This is what
     * {@code stowage config check} and {@code config show} report.
     *
     * @return the effective configuration
     * @throws io.stowage.exception.ConfigurationException listing every problem, secrets masked
     * @throws DriverNotFoundException when a configured driver is not installed
     */
    public StowageConfig configuration() {
      return plan().config();
    }

    /** What building and diagnosing share: the configuration, the chosen drivers, the host. */
    private record Plan(DriverRegistry registry, StowageConfig config,
        Map<String, StorageDriverProvider> providers, DriverContext context) {}

    private Plan plan() {
      DriverRegistry registry = discover
          ? DriverRegistry.discoverWith(classLoader, providers)
          : DriverRegistry.of(providers);
      StowageConfig config = loader.drivers(registry.providers().stream()
          .map(DriverSchema::of).toList()).load();
      Map<String, StorageDriverProvider> chosen = new LinkedHashMap<>();
      config.storageDrivers().forEach(d -> chosen.put(d, registry.provider(d)));
      HostOs hostOs = host != null ? host : Hosts.linux();
      for (StorageDriverProvider provider : chosen.values()) {
        if (!provider.hostKinds().contains(hostOs.kind())) {
          throw new ConfigurationException("the host", List.of("storage driver "
              + provider.name() + " works on " + kinds(provider.hostKinds()) + " hosts, and the"
              + " host given to Stowage.builder().host(...) is " + kinds(Set.of(hostOs.kind()))));
        }
      }
      DriverContext context = new DriverContext(clock, config.stateDirectory(), hostOs,
          Hosts.commands());
      return new Plan(registry, config, chosen, context);
    }
  }
}
