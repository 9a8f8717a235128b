package io.stowage.internal.config;

import io.stowage.config.ServiceConfig;
import io.stowage.config.StowageConfig.EffectiveSetting;
import io.stowage.config.VolumeSettings;
import io.stowage.exception.ConfigurationException;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.model.ByteSize;
import io.stowage.model.FsType;
import io.stowage.model.VolumeOptions;
import io.stowage.spi.DriverConfig;
import io.stowage.spi.StorageDriverProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns the declared services, REX-Ray's modules and the configured drivers into the services
 * of the configuration, each with its driver, socket, volume settings and driver section.
 *
 * <ul>
 *   <li>Every driver of {@code storageDrivers} is a service of its own name. When no source
 *       sets {@code storageDrivers}, a default service that names no declared service names
 *       a driver ({@code libstorage.service: virtualbox}); without either, and with no service
 *       declared, the driver is {@code fake}.
 *   <li>{@code stowage.services.<name>} and {@code libstorage.server.services.<name>} of one
 *       name are one service; one named after a driver must use that driver, and is then that
 *       driver's own service, configured.
 *   <li>A REX-Ray module of type {@code docker} is a service of its name, or the socket of the
 *       libStorage service it names ({@code libstorage.service}), whose alias it becomes.
 *       {@code default-docker} configures the default service. Admin modules are ignored with a
 *       warning: Stowage has no admin API.
 *   <li>The default service is the one {@code default-docker} names, else the one the default
 *       service setting names, else the first configured driver's, else the first declared.
 * </ul>
 */
final class Services {
  /** REX-Ray's default Docker module, which configures the default service. */
  static final String DEFAULT_DOCKER = "default-docker";
  /** REX-Ray's default admin module. */
  static final String DEFAULT_ADMIN = "default-admin";

  /**
   * The services and what they need of the whole configuration.
   *
   * @param drivers the drivers Stowage creates, the default service's first
   * @param services the services, the default first
   * @param sections the drivers' sections without any service's overrides
   */
  record Resolved(List<String> drivers, List<ServiceConfig> services,
      Map<String, DriverConfig> sections) {}

  /** A service being assembled. */
  private static final class Plan {
    private final String name;
    private final List<ServiceScopes.Declaration> declarations = new ArrayList<>();
    private ServiceScopes.Declaration module;
    private boolean driverService;
    private String driver;
    private String driverSource = "default";

    Plan(String name) {
      this.name = name;
    }

    int order() {
      int order = Integer.MAX_VALUE;
      for (ServiceScopes.Declaration d : declarations) {
        order = Math.min(order, d.order());
      }
      return module == null ? order : Math.min(order, module.order());
    }

    Optional<ServiceScopes.Declaration> declared(ServiceScopes.Spelling spelling) {
      return declarations.stream().filter(d -> d.spelling() == spelling).findFirst();
    }
  }

  private final Schema schema;
  private final Map<String, DriverSchema> installed;
  private final ServiceScopes scopes;
  private final Typing typing;
  private final Findings findings;
  private final Secrets secrets;
  private final List<EffectiveSetting> effective;

  Services(Schema schema, Map<String, DriverSchema> installed, ServiceScopes scopes,
      Typing typing, Findings findings, Secrets secrets, List<EffectiveSetting> effective) {
    this.schema = schema;
    this.installed = installed;
    this.scopes = scopes;
    this.typing = typing;
    this.findings = findings;
    this.secrets = secrets;
    this.effective = effective;
  }

  /**
   * Resolves the services.
   *
   * @param storageDrivers the storage drivers setting
   * @param defaultService the default service setting
   * @param stateDirectory where the state lies, which no service's mount root may cover
   * @return the services, the drivers and the global driver sections
   */
  Resolved resolve(Typing.Typed<List<String>> storageDrivers,
      Typing.Typed<Optional<String>> defaultService, Typing.Typed<Path> stateDirectory) {
    Map<String, Plan> plans = new LinkedHashMap<>();
    Set<String> disabled = new LinkedHashSet<>();
    List<ServiceScopes.Declaration> declarations =
        new ArrayList<>(scopes.declared(ServiceScopes.Spelling.STOWAGE));
    declarations.addAll(scopes.declared(ServiceScopes.Spelling.LIBSTORAGE));
    declarations.sort(Comparator.comparingInt(ServiceScopes.Declaration::order));
    for (ServiceScopes.Declaration d : declarations) {
      plans.computeIfAbsent(d.name(), Plan::new).declarations.add(d);
      if (bool(d, "disabled")) {
        disabled.add(d.name());
      }
    }

    ServiceScopes.Declaration defaultDocker = null;
    for (ServiceScopes.Declaration m : scopes.declared(ServiceScopes.Spelling.REXRAY)) {
      String type = text(m, "type").map(Schema::lower)
          .orElse(m.name().equals(DEFAULT_ADMIN) ? "admin" : "docker");
      if (type.equals("admin")) {
        findings.warning("admin-module:" + m.name(), m.source() + ": " + m.key()
            + " is a REX-Ray admin module; Stowage has no admin API, so it is ignored");
      } else if (!type.equals("docker")) {
        ownProblem(m, "type", "must be docker or admin");
      } else if (m.name().equals(DEFAULT_DOCKER)) {
        defaultDocker = m;
      } else if (!bool(m, "disabled")) {
        Optional<String> served = serviceName(m);
        Plan plan = plans.computeIfAbsent(served.orElse(m.name()), Plan::new);
        serveThrough(plan, m);
      }
    }

    List<String> drivers = new ArrayList<>();
    Optional<String> named = defaultService.value();
    boolean namesAService = named.filter(n -> plans.containsKey(n) || aliasOf(plans, n)
        .isPresent()).isPresent();
    if (storageDrivers.layer().isPresent()) {
      drivers.addAll(storageDrivers.value());
    } else if (named.isPresent() && !namesAService) {
      driverName(named.get(), defaultService.source(), Schema.DEFAULT_SERVICE.key())
          .ifPresent(drivers::add);
    } else if (plans.isEmpty()) {
      drivers.addAll(storageDrivers.value());
    }
    Optional<String> defaultDockerService = defaultDocker == null ? Optional.empty()
        : serviceName(defaultDocker);
    Optional<String> defaultDockerDriver = defaultDocker == null ? Optional.empty()
        : moduleDriver(defaultDocker);
    if (defaultDockerService.isEmpty() && defaultDockerDriver.isPresent()
        && !drivers.contains(defaultDockerDriver.get())) {
      drivers.add(0, defaultDockerDriver.get());
    }
    for (String driver : drivers) {
      Plan plan = plans.computeIfAbsent(driver, Plan::new);
      plan.driverService = true;
      plan.driver = driver;
      plan.driverSource = storageDrivers.source();
    }

    String defaultName = defaultDockerService.or(() -> defaultDockerDriver)
        .or(() -> named.map(n -> plans.containsKey(n) ? n : aliasOf(plans, n).orElse(n)))
        .or(() -> drivers.stream().findFirst())
        .orElseGet(() -> plans.values().stream()
            .min(Comparator.comparing((Plan p) -> disabled.contains(p.name))
                .thenComparingInt(Plan::order))
            .map(p -> p.name).orElseThrow());
    Plan defaultPlan = plans.computeIfAbsent(defaultName, Plan::new);
    boolean defaultSocket = defaultDocker == null || !bool(defaultDocker, "disabled");
    if (defaultDocker != null && defaultSocket) {
      serveThrough(defaultPlan, defaultDocker);
    }
    disabled.removeIf(name -> {
      Plan plan = plans.get(name);
      return plan.driverService || plan == defaultPlan;
    });
    plans.keySet().removeAll(disabled);

    String fallbackDriver = drivers.isEmpty() ? storageDrivers.value().get(0) : drivers.get(0);
    plans.values().forEach(p -> chooseDriver(p, fallbackDriver));

    List<Plan> ordered = new ArrayList<>();
    ordered.add(defaultPlan);
    drivers.stream().map(plans::get).filter(p -> p != defaultPlan).forEach(ordered::add);
    plans.values().stream().filter(p -> !ordered.contains(p))
        .sorted(Comparator.comparingInt(Plan::order)).forEach(ordered::add);

    return build(ordered, defaultPlan, defaultSocket, stateDirectory);
  }

  /** Makes a module the one that serves a service: its socket, its alias, its overrides. */
  private void serveThrough(Plan plan, ServiceScopes.Declaration module) {
    if (plan.module != null) {
      findings.problem(Layer.FILE, "module-twice:" + plan.name, module.source() + ": "
          + module.key() + " and " + plan.module.key() + " both serve service " + plan.name
          + "; Stowage serves each service on one socket, so declare a service for each");
      return;
    }
    plan.module = module;
  }

  /** Gives a service its driver, and checks that a service named after a driver uses it. */
  private void chooseDriver(Plan plan, String fallback) {
    List<ServiceScopes.Declaration> own = new ArrayList<>(plan.declarations);
    own.sort(Comparator.comparing(d -> d.spelling().ordinal()));
    for (ServiceScopes.Declaration d : own) {
      Optional<ServiceScopes.Own> value = d.own("driver");
      if (value.isEmpty()) {
        continue;
      }
      Optional<String> driver = ownDriver(value.get());
      if (driver.isPresent() && plan.driver != null && !plan.driver.equals(driver.get())) {
        findings.problem(value.get().layer(), "driver-conflict:" + plan.name,
            value.get().source() + ": " + value.get().written() + " is " + driver.get()
                + ", but service " + plan.name + " is the " + plan.driver + " driver's (" + plan
                .driverSource + "); a service has one driver");
        return;
      }
      if (driver.isPresent() && plan.driver == null) {
        plan.driver = driver.get();
        plan.driverSource = value.get().source();
      }
    }
    if (plan.driver == null && plan.module != null && plan.declarations.isEmpty()) {
      Optional<String> driver = moduleDriver(plan.module);
      if (driver.isPresent()) {
        plan.driver = driver.get();
        plan.driverSource = plan.module.own(ServiceScopes.STORAGE_DRIVERS).orElseThrow()
            .source();
      } else if (serviceName(plan.module).isEmpty()) {
        plan.driver = fallback;
      }
    }
    if (plan.driver == null) {
      String section = schema.sections().get(plan.name);
      if (section != null || StorageDriverProvider.isValidName(plan.name)) {
        plan.driver = section != null ? section : plan.name;
      } else {
        findings.problem(Layer.FILE, "no-driver:" + plan.name, where(plan) + ": service "
            + plan.name + " names no driver; set " + path(plan) + "driver");
        plan.driver = fallback;
      }
    }
    String namesake = schema.sections().get(plan.name);
    if (namesake == null && installed.containsKey(plan.name)) {
      namesake = plan.name;
    }
    if (namesake != null && !namesake.equals(plan.driver)) {
      findings.problem(Layer.FILE, "namesake:" + plan.name, where(plan) + ": service "
          + plan.name + " is named after the " + namesake + " driver but uses the " + plan.driver
          + " driver; name it otherwise, or let it use " + namesake);
    }
  }

  private Resolved build(List<Plan> ordered, Plan defaultPlan, boolean defaultSocket,
      Typing.Typed<Path> stateDirectory) {
    Map<String, List<Plan>> usesGlobalSection = new LinkedHashMap<>();
    Map<Plan, List<Classifier>> chains = new LinkedHashMap<>();
    for (Plan plan : ordered) {
      List<Classifier> chain = chain(plan);
      chains.put(plan, chain);
      if (overrides(plan, chain).isEmpty()) {
        usesGlobalSection.computeIfAbsent(plan.driver, d -> new ArrayList<>()).add(plan);
      }
    }
    Set<String> used = new LinkedHashSet<>();
    ordered.forEach(p -> used.add(p.driver));
    Map<String, DriverConfig> sections = globalSections(used, usesGlobalSection.keySet());
    List<ServiceConfig> services = new ArrayList<>();
    Map<Path, String> sockets = new LinkedHashMap<>();
    Set<String> drivers = new LinkedHashSet<>();
    for (Plan plan : ordered) {
      List<Classifier> chain = chains.get(plan);
      drivers.add(plan.driver);
      VolumeSettings volumes = volumeSettings(typing, chain);
      Typing.Typed<Path> mountRoot = typing.resolve(chain, Schema.MOUNT_ROOT);
      if (!mountRoot.source().equals(typing.resolve(Schema.MOUNT_ROOT).source())) {
        Placement.check(mountRoot, stateDirectory, findings);
      }
      DriverConfig section = section(plan, chain, sections);
      Optional<Path> socket = socket(plan, plan == defaultPlan, defaultSocket);
      socket.ifPresent(s -> {
        String before = sockets.putIfAbsent(s, plan.name);
        if (before != null) {
          findings.problem(Layer.FILE, "socket:" + s, where(plan) + ": services " + before
              + " and " + plan.name + " would both be served on " + s + "; give each its own"
              + " host");
        }
      });
      List<String> aliases = new ArrayList<>();
      if (plan.module != null && !plan.module.name().equals(plan.name)) {
        aliases.add(plan.module.name());
        if (chains.keySet().stream().anyMatch(p -> p.name.equals(plan.module.name()))) {
          findings.problem(Layer.FILE, "alias:" + plan.module.name(), plan.module.source()
              + ": " + plan.module.key() + " serves service " + plan.name + ", and a service"
              + " is named " + plan.module.name() + " too; a name means one service");
        }
      }
      try {
        services.add(new ServiceConfig(plan.name, plan.driver, aliases, socket, spec(plan),
            description(plan), volumes, section));
      } catch (InvalidArgumentException e) {
        findings.problem(Layer.FILE, "service:" + plan.name, where(plan) + ": service "
            + plan.name + ": " + e.getMessage());
      }
      show(plan, chain, socket, section);
    }
    return new Resolved(List.copyOf(drivers), services, sections);
  }

  /** The scopes a service's values come from, most specific first. */
  private List<Classifier> chain(Plan plan) {
    List<Classifier> chain = new ArrayList<>();
    if (plan.module != null) {
      chain.add(plan.module.overrides());
    }
    plan.declared(ServiceScopes.Spelling.STOWAGE).ifPresent(d -> chain.add(d.overrides()));
    Optional<ServiceScopes.Declaration> libstorage =
        plan.declared(ServiceScopes.Spelling.LIBSTORAGE);
    if (libstorage.isPresent()) {
      chain.add(libstorage.get().overrides());
      chain.add(scopes.server());
    }
    return chain;
  }

  /** The values a service's scopes give its driver's settings, the most specific winning. */
  private Map<String, Classifier.DriverValue> overrides(Plan plan, List<Classifier> chain) {
    Map<String, Classifier.DriverValue> values = new TreeMap<>();
    for (int i = chain.size() - 1; i >= 0; i--) {
      Classifier scope = chain.get(i);
      values.putAll(scope.driverValues().getOrDefault(plan.driver, Map.of()));
      for (String other : scope.driverValues().keySet()) {
        if (!other.equals(plan.driver) && !scope.driverValues().get(other).isEmpty()
            && scope != scopes.server()) {
          findings.warning("other-section:" + scope.scope() + other, scope.scope() + other
              + " configures the " + other + " driver, which service " + plan.name + " does not"
              + " use (it uses " + plan.driver + "); ignored");
        }
      }
    }
    return values;
  }

  /** A service's driver section: the global one unless a scope of the service overrides it. */
  private DriverConfig section(Plan plan, List<Classifier> chain,
      Map<String, DriverConfig> sections) {
    Map<String, Classifier.DriverValue> own = overrides(plan, chain);
    if (own.isEmpty()) {
      return sections.get(plan.driver);
    }
    Map<String, Classifier.DriverValue> merged = new TreeMap<>(
        scopes.global().driverValues().getOrDefault(plan.driver, Map.of()));
    merged.putAll(own);
    List<DriverConfig.Value> values = new ArrayList<>();
    Set<Layer> layers = EnumSet.noneOf(Layer.class);
    merged.values().forEach(v -> {
      values.add(new DriverConfig.Value(v.key(), Values.forBinding(v.value()), v.source()));
      layers.add(v.layer());
    });
    DriverConfig section = DriverConfig.of(plan.driver, values);
    DriverSchema declared = installed.get(plan.driver);
    if (declared != null) {
      try {
        section.bind(declared.settingsType());
      } catch (ConfigurationException e) {
        e.problems().forEach(p -> findings.problem(layers, "service-driver:" + plan.name + p,
            "service " + plan.name + ": " + p));
      }
    }
    return section;
  }

  /**
   * Builds every driver section any source wrote at the top, and one for each driver a
   * service uses. The sections services use without overrides are bound now, so their
   * problems are reported with the rest. The section of another installed driver is checked
   * against the settings it declares (a required key may be missing); the section of a driver
   * that is neither installed nor used is a warning.
   */
  private Map<String, DriverConfig> globalSections(Set<String> used, Set<String> bound) {
    Map<String, Map<String, Classifier.DriverValue>> drivers =
        new TreeMap<>(scopes.global().driverValues());
    used.forEach(d -> drivers.putIfAbsent(d, Map.of()));
    Map<String, DriverConfig> sections = new TreeMap<>();
    drivers.forEach((driver, values) -> {
      DriverSchema declared = installed.get(driver);
      Set<String> declaredSecrets = scopes.global().declaredSecrets(driver);
      List<DriverConfig.Value> chosen = new ArrayList<>();
      Set<Layer> layers = EnumSet.noneOf(Layer.class);
      values.values().forEach(v -> {
        chosen.add(new DriverConfig.Value(v.key(), Values.forBinding(v.value()), v.source()));
        layers.add(v.layer());
        effective.add(new EffectiveSetting(driver + "." + v.key(),
            SectionKeys.isSecret(v.key(), declaredSecrets) ? Secrets.MASK
                : secrets.show(Values.display(v.value())), v.source()));
      });
      DriverConfig section = DriverConfig.of(driver, chosen);
      sections.put(driver, section);
      if (declared == null) {
        if (!used.contains(driver) && !values.isEmpty()) {
          findings.warning("section:" + driver, "the section " + driver + " configures the"
              + " storage driver " + driver + ", which is not installed; ignored (install the"
              + " driver, or remove the section)");
        }
        return;
      }
      try {
        if (bound.contains(driver)) {
          section.bind(declared.settingsType());
        } else {
          section.check(declared.settingsType());
        }
      } catch (ConfigurationException e) {
        Set<Layer> where = layers.isEmpty() ? EnumSet.of(Layer.FILE) : layers;
        e.problems().forEach(p -> findings.problem(where, "driver:" + p, p));
      }
    });
    return sections;
  }

  /**
   * Builds the volume settings a chain of scopes gives; an empty chain gives the whole
   * configuration's.
   */
  static VolumeSettings volumeSettings(Typing typing, List<Classifier> chain) {
    boolean preempt = typing.resolve(chain, Schema.PREEMPT).value();
    boolean ignoreUsedCount = typing.resolve(chain, Schema.IGNORE_USED_COUNT).value();
    boolean implicitCreate = typing.resolve(chain, Schema.IMPLICIT_CREATE).value();
    boolean createDisabled = typing.resolve(chain, Schema.CREATE_DISABLE).value();
    boolean removeDisabled = typing.resolve(chain, Schema.REMOVE_DISABLE).value();
    boolean removeForce = typing.resolve(chain, Schema.REMOVE_FORCE).value();
    Path mountRoot = typing.resolve(chain, Schema.MOUNT_ROOT).value();
    String dataDir = typing.resolve(chain, Schema.DATA_DIR).value();
    int dataDirMode = typing.resolve(chain, Schema.DATA_DIR_MODE).value();
    ByteSize size = typing.resolve(chain, Schema.SIZE).value();
    FsType fsType = typing.resolve(chain, Schema.FS_TYPE).value();
    Optional<String> volumeType = typing.resolve(chain, Schema.VOLUME_TYPE).value();
    Optional<Long> iops = typing.resolve(chain, Schema.IOPS).value();
    Optional<String> zone = typing.resolve(chain, Schema.AVAILABILITY_ZONE).value();
    Duration attachTimeout = typing.resolve(chain, Schema.ATTACH_TIMEOUT).value();
    VolumeOptions createDefaults = new VolumeOptions(Optional.of(size), iops, volumeType, zone,
        Optional.empty(), Optional.empty(), Optional.of(fsType), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Map.of());
    return new VolumeSettings(createDefaults, implicitCreate, createDisabled, removeDisabled,
        removeForce, preempt, ignoreUsedCount, mountRoot, dataDir, dataDirMode, attachTimeout);
  }

  /** The settings a service's volume settings may override, in display order. */
  private static final List<Setting<?>> VOLUME_SETTINGS = List.of(Schema.PREEMPT,
      Schema.IGNORE_USED_COUNT, Schema.IMPLICIT_CREATE, Schema.CREATE_DISABLE,
      Schema.REMOVE_DISABLE, Schema.REMOVE_FORCE, Schema.MOUNT_ROOT, Schema.DATA_DIR,
      Schema.DATA_DIR_MODE, Schema.SIZE, Schema.FS_TYPE, Schema.VOLUME_TYPE, Schema.IOPS,
      Schema.AVAILABILITY_ZONE, Schema.ATTACH_TIMEOUT);

  /** Lists a service's driver, socket and overrides for {@code config show}. */
  private void show(Plan plan, List<Classifier> chain, Optional<Path> socket,
      DriverConfig section) {
    String prefix = "stowage.services." + plan.name + ".";
    effective.add(new EffectiveSetting(prefix + "driver", plan.driver, plan.driverSource));
    effective.add(new EffectiveSetting(prefix + "host",
        socket.map(s -> "unix://" + s).orElse(""), host(plan).map(ServiceScopes.Own::source)
            .orElse("default")));
    for (Setting<?> setting : VOLUME_SETTINGS) {
      showOverride(prefix, chain, setting);
    }
    Set<String> declaredSecrets = scopes.global().declaredSecrets(plan.driver);
    overrides(plan, chain).values().forEach(v -> effective.add(new EffectiveSetting(
        prefix + plan.driver + "." + v.key(), SectionKeys.isSecret(v.key(), declaredSecrets)
            ? Secrets.MASK : secrets.show(Values.display(v.value())), v.source())));
  }

  private <T> void showOverride(String prefix, List<Classifier> chain, Setting<T> setting) {
    for (Classifier scope : chain) {
      Optional<Typing.Typed<T>> value = typing.winner(scope, setting);
      if (value.isPresent()) {
        effective.add(new EffectiveSetting(prefix + setting.key().substring("stowage.".length()),
            secrets.show(setting.show(value.get().value())), value.get().source()));
        return;
      }
    }
  }

  /**
   * A service's socket: the host its module or its own keys give; else, for the default
   * service, {@link ServiceConfig#DEFAULT_SOCKET} unless {@code default-docker} is disabled;
   * else, for a service the configuration declares, {@code <name>.sock} in Docker's plugin
   * directory, the name being its module's when a module serves it, as REX-Ray inferred it. A
   * driver's own service that nothing declares has no socket of its own.
   */
  private Optional<Path> socket(Plan plan, boolean isDefault, boolean defaultSocket) {
    if (disabledSocket(plan)) {
      return Optional.empty();
    }
    Optional<ServiceScopes.Own> host = host(plan);
    if (host.isPresent()) {
      return unixSocket(host.get());
    }
    if (isDefault) {
      return defaultSocket ? Optional.of(ServiceConfig.DEFAULT_SOCKET) : Optional.empty();
    }
    if (plan.module != null) {
      return Optional.of(ServiceConfig.SOCKET_DIRECTORY.resolve(plan.module.name() + ".sock"));
    }
    return plan.declarations.isEmpty() ? Optional.empty()
        : Optional.of(ServiceConfig.SOCKET_DIRECTORY.resolve(plan.name + ".sock"));
  }

  private boolean disabledSocket(Plan plan) {
    return plan.declared(ServiceScopes.Spelling.STOWAGE).map(d -> bool(d, "disabled"))
        .orElse(false);
  }

  private Optional<ServiceScopes.Own> host(Plan plan) {
    return own(plan, "host");
  }

  private Optional<String> description(Plan plan) {
    return parsed(own(plan, "desc"), text -> text);
  }

  private Optional<Path> spec(Plan plan) {
    return parsed(own(plan, "spec"), Values::absolutePath);
  }

  /** An own key of the service: its module's, else its Stowage declaration's. */
  private Optional<ServiceScopes.Own> own(Plan plan, String key) {
    Optional<ServiceScopes.Own> value = Optional.empty();
    if (plan.module != null) {
      value = plan.module.own(key);
    }
    if (value.isEmpty()) {
      value = plan.declared(ServiceScopes.Spelling.STOWAGE).flatMap(d -> d.own(key));
    }
    return value;
  }

  private Optional<Path> unixSocket(ServiceScopes.Own host) {
    return parsed(Optional.of(host), text -> {
      if (!text.startsWith("unix://")) {
        throw new Values.BadValue("must be a unix socket such as"
            + " unix:///run/docker/plugins/name.sock: Stowage serves the Docker volume plugin"
            + " protocol on unix sockets only");
      }
      try {
        return Values.absolutePath(text.substring("unix://".length()));
      } catch (Values.BadValue e) {
        throw new Values.BadValue("must be unix:// followed by an absolute path ("
            + e.getMessage() + ")");
      }
    });
  }

  /** The service a REX-Ray module names with {@code libstorage.service}, if any. */
  private Optional<String> serviceName(ServiceScopes.Declaration module) {
    return parsed(module.own(ServiceScopes.SERVICE), Schema::serviceName);
  }

  /** The driver a REX-Ray module names with its own {@code rexray.storageDrivers}, if any. */
  private Optional<String> moduleDriver(ServiceScopes.Declaration module) {
    Optional<ServiceScopes.Own> value = module.own(ServiceScopes.STORAGE_DRIVERS);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    if (serviceName(module).isPresent()) {
      ownProblem(value.get(), "cannot be set together with " + module.path()
          + ServiceScopes.SERVICE + ": a module serves one service");
      return Optional.empty();
    }
    List<String> names;
    try {
      names = Values.stringList(value.get().value());
    } catch (Values.BadValue e) {
      ownProblem(value.get(), e.getMessage());
      return Optional.empty();
    }
    if (names.size() != 1) {
      ownProblem(value.get(), "must name one driver: a module serves one driver");
      return Optional.empty();
    }
    return driverName(names.get(0), value.get().source(), value.get().written());
  }

  private Optional<String> ownDriver(ServiceScopes.Own value) {
    return parsed(Optional.of(value), text -> text)
        .flatMap(text -> driverName(text, value.source(), value.written()));
  }

  /** A driver's name as configurations write it: REX-Ray's section names map onto drivers. */
  private Optional<String> driverName(String text, String source, String key) {
    String lower = Schema.lower(text.strip());
    String name = schema.sections().getOrDefault(lower, lower);
    if (!StorageDriverProvider.isValidName(name)) {
      findings.problem(Layer.FILE, source + "|" + Schema.lower(key), source + ": " + key + " "
          + secrets.quoted(text) + " must name a driver (" + StorageDriverProvider.NAME_RULE
          + ")");
      return Optional.empty();
    }
    return Optional.of(name);
  }

  /** The service a module name means, when a module serves one under another name. */
  private static Optional<String> aliasOf(Map<String, Plan> plans, String name) {
    return plans.values().stream().filter(p -> p.module != null && p.module.name().equals(name))
        .map(p -> p.name).findFirst();
  }

  private Optional<String> text(ServiceScopes.Declaration d, String key) {
    return parsed(d.own(key), text -> text);
  }

  private boolean bool(ServiceScopes.Declaration d, String key) {
    return parsed(d.own(key), Values::bool).orElse(false);
  }

  /**
   * Parses the value of an own key, a single value; a value that does not parse is a problem
   * naming the key, and reads as absent.
   */
  private <T> Optional<T> parsed(Optional<ServiceScopes.Own> value, Setting.Parser<T> parser) {
    if (value.isEmpty()) {
      return Optional.empty();
    }
    try {
      Object raw = value.get().value();
      if (raw == null) {
        throw new Values.BadValue("must have a value");
      }
      return Optional.of(parser.parse(Values.scalar(raw, "a single value")));
    } catch (Values.BadValue e) {
      ownProblem(value.get(), e.getMessage());
      return Optional.empty();
    }
  }

  private void ownProblem(ServiceScopes.Declaration d, String key, String reason) {
    d.own(key).ifPresent(v -> ownProblem(v, reason));
  }

  private void ownProblem(ServiceScopes.Own value, String reason) {
    findings.problem(value.layer(), value.source() + "|" + Schema.lower(value.written()),
        value.source() + ": " + value.written() + " " + (value.value() instanceof String text
            ? secrets.quoted(text) + " " : "") + reason);
  }

  private static String where(Plan plan) {
    if (plan.module != null) {
      return plan.module.source();
    }
    return plan.declarations.isEmpty() ? "storageDrivers" : plan.declarations.get(0).source();
  }

  private static String path(Plan plan) {
    if (!plan.declarations.isEmpty()) {
      return plan.declarations.get(0).path();
    }
    return plan.module != null ? plan.module.path()
        : ServiceScopes.Spelling.STOWAGE.prefix() + plan.name + ".";
  }
}
