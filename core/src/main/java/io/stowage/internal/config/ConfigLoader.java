package io.stowage.internal.config;

import io.stowage.config.StowageConfig;
import io.stowage.config.StowageConfig.EffectiveSetting;
import io.stowage.exception.ConfigurationException;
import io.stowage.model.ByteSize;
import io.stowage.model.FsType;
import io.stowage.model.VolumeOptions;
import io.stowage.spi.DriverConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the configuration: a YAML file, the environment and programmatic settings, merged with
 * the precedence code &gt; environment &gt; file &gt; defaults, onto one typed
 * {@link StowageConfig}. Within one source the spellings rank Stowage &gt; libStorage &gt;
 * REX-Ray 0.3. Every problem of every source is reported at once in one
 * {@link ConfigurationException}; keys of REX-Ray and libStorage that Stowage does not use are
 * accepted with one warning each.
 *
 * <pre>{@code
 * StowageConfig config = ConfigLoader.builder()
 *     .searchDefaultLocations()
 *     .systemEnvironment()
 *     .drivers(List.of(DriverSchema.of(new FakeDriverProvider())))
 *     .load();
 * }</pre>
 *
 * <p>A load reads the sources into key paths with raw values ({@code Sources}, with
 * {@code ConfigFile} and {@code YamlReader} bounding what a file may hold), sorts them by what
 * their keys are ({@code Classifier}), gives each setting its typed value ({@code Typing}),
 * and builds the driver sections; {@code Secrets} masks what must not be shown.
 *
 * <p>A loader is immutable and thread-safe; each {@link #load()} reads its sources afresh.
 */
public final class ConfigLoader {
  /** The files searched by {@link Builder#searchDefaultLocations()}, in order. */
  public static final List<Path> DEFAULT_LOCATIONS = List.of(
      Path.of("/etc/stowage/config.yml"), Path.of("/etc/rexray/config.yml"));

  private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);

  private final Path file;
  private final String yamlName;
  private final String yamlText;
  private final boolean search;
  private final List<Path> locations;
  private final Map<String, String> environment;
  private final List<Map.Entry<String, Object>> settings;
  private final Map<String, DriverSchema> installed;

  private ConfigLoader(Builder b) {
    this.file = b.file;
    this.yamlName = b.yamlName;
    this.yamlText = b.yamlText;
    this.search = b.search;
    this.locations = List.copyOf(b.locations);
    this.environment = b.environment == null ? Map.of() : Map.copyOf(b.environment);
    this.settings = List.copyOf(b.settings);
    this.installed = Map.copyOf(b.installed);
  }

  /**
   * Starts a loader. With no source configured, {@link Builder#load()} returns the built-in
   * defaults (the fake driver).
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Loads the configuration from the configured sources.
   *
   * @return the effective configuration
   * @throws ConfigurationException listing every problem of every source, secrets masked
   */
  public StowageConfig load() {
    Findings findings = new Findings();
    Schema schema = new Schema(installed.values());
    Sources sources = new Sources(schema, installed, findings);
    sources.file(file, yamlName, yamlText, search ? locations : List.of());
    sources.environment(environment);
    sources.code(settings);
    Classifier classified = new Classifier(schema, installed, findings);
    sources.inputs().forEach(classified::accept);
    Secrets secrets = Secrets.of(classified.secretValues());

    Typing typing = new Typing(schema, classified, findings, secrets);
    List<String> storageDrivers = typing.resolve(Schema.STORAGE_DRIVERS).value();
    boolean preempt = typing.resolve(Schema.PREEMPT).value();
    boolean ignoreUsedCount = typing.resolve(Schema.IGNORE_USED_COUNT).value();
    boolean implicitCreate = typing.resolve(Schema.IMPLICIT_CREATE).value();
    boolean createDisabled = typing.resolve(Schema.CREATE_DISABLE).value();
    boolean removeDisabled = typing.resolve(Schema.REMOVE_DISABLE).value();
    boolean removeForce = typing.resolve(Schema.REMOVE_FORCE).value();
    Typing.Typed<Path> mountRoot = typing.resolve(Schema.MOUNT_ROOT);
    String dataDir = typing.resolve(Schema.DATA_DIR).value();
    int dataDirMode = typing.resolve(Schema.DATA_DIR_MODE).value();
    ByteSize size = typing.resolve(Schema.SIZE).value();
    FsType fsType = typing.resolve(Schema.FS_TYPE).value();
    Optional<String> volumeType = typing.resolve(Schema.VOLUME_TYPE).value();
    Optional<Long> iops = typing.resolve(Schema.IOPS).value();
    Optional<String> zone = typing.resolve(Schema.AVAILABILITY_ZONE).value();
    Duration attachTimeout = typing.resolve(Schema.ATTACH_TIMEOUT).value();
    Typing.Typed<Path> stateDirectory = typing.resolve(Schema.STATE_DIRECTORY);
    Placement.check(mountRoot, stateDirectory, findings);
    VolumeOptions createDefaults = new VolumeOptions(Optional.of(size), iops, volumeType, zone,
        Optional.empty(), Optional.empty(), Optional.of(fsType), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Map.of());

    List<EffectiveSetting> effective = new ArrayList<>(typing.effective());
    Map<String, DriverConfig> sections =
        sections(classified, storageDrivers, secrets, findings, effective);
    if (findings.hasProblems()) {
      throw findings.failure(secrets);
    }
    List<String> warnings = findings.warnings(secrets);
    warnings.forEach(w -> LOG.warn("{}", w));
    return new StowageConfig(storageDrivers, createDefaults, implicitCreate, createDisabled,
        removeDisabled, removeForce, preempt, ignoreUsedCount, mountRoot.value(), dataDir,
        dataDirMode, attachTimeout, stateDirectory.value(), sections, effective, warnings);
  }

  /**
   * Builds every driver section any source wrote, and one for each configured driver. A
   * configured driver's section is bound now, so its problems are reported with the rest; the
   * section of an installed driver that is not configured is checked against the settings it
   * declares (a required key may be missing); the section of a driver that is not installed is
   * a warning.
   */
  private Map<String, DriverConfig> sections(Classifier classified, List<String> storageDrivers,
      Secrets secrets, Findings findings, List<EffectiveSetting> effective) {
    Map<String, Map<String, Classifier.DriverValue>> drivers =
        new TreeMap<>(classified.driverValues());
    storageDrivers.forEach(d -> drivers.putIfAbsent(d, Map.of()));
    Map<String, DriverConfig> sections = new TreeMap<>();
    drivers.forEach((driver, values) -> {
      DriverSchema declared = installed.get(driver);
      Set<String> declaredSecrets = classified.declaredSecrets(driver);
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
      boolean configured = storageDrivers.contains(driver);
      if (declared == null) {
        if (!configured && !values.isEmpty()) {
          findings.warning("section:" + driver, "the section " + driver + " configures the"
              + " storage driver " + driver + ", which is not installed; ignored (install the"
              + " driver, or remove the section)");
        }
        return;
      }
      try {
        if (configured) {
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

  /** Configures a {@link ConfigLoader}. Not thread-safe; use it from one thread. */
  public static final class Builder {
    private Path file;
    private String yamlName;
    private String yamlText;
    private boolean search;
    private List<Path> locations = DEFAULT_LOCATIONS;
    private Map<String, String> environment;
    private final List<Map.Entry<String, Object>> settings = new ArrayList<>();
    private final Map<String, DriverSchema> installed = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Reads this YAML file; it must exist. It takes the place of the default locations and of
     * {@link #yaml}.
     *
     * @param path the file
     * @return this builder
     */
    public Builder file(Path path) {
      this.file = Objects.requireNonNull(path, "path");
      return this;
    }

    /**
     * Reads a YAML document given as text, as if it were a file (used when no {@link #file} is
     * given; it takes the place of the default locations).
     *
     * @param sourceName the name that problems and setting sources show, such as a URL
     * @param text the YAML document
     * @return this builder
     */
    public Builder yaml(String sourceName, String text) {
      this.yamlName = Objects.requireNonNull(sourceName, "sourceName");
      this.yamlText = Objects.requireNonNull(text, "text");
      return this;
    }

    /**
     * Searches the default locations ({@link #DEFAULT_LOCATIONS}, or those given to
     * {@link #defaultLocations}) when no explicit file or text is given: the first regular
     * file found is read; when there is none, the built-in defaults apply.
     *
     * @return this builder
     */
    public Builder searchDefaultLocations() {
      this.search = true;
      return this;
    }

    /**
     * Replaces the files {@link #searchDefaultLocations()} searches, in order.
     *
     * @param candidates the candidate paths
     * @return this builder
     */
    public Builder defaultLocations(List<Path> candidates) {
      this.locations = List.copyOf(candidates);
      return this;
    }

    /**
     * Reads overrides from these environment variables.
     *
     * @param variables the variables by name
     * @return this builder
     */
    public Builder environment(Map<String, String> variables) {
      this.environment = Map.copyOf(variables);
      return this;
    }

    /**
     * Reads overrides from the process environment ({@link System#getenv()}).
     *
     * @return this builder
     */
    public Builder systemEnvironment() {
      return environment(System.getenv());
    }

    /**
     * Sets one setting in code; it overrides the environment and the file. The key is dotted in
     * any spelling and case ({@code stowage.volume.mount.preempt},
     * {@code rexray.storageDrivers}, {@code virtualbox.endpoint}). The value is a string,
     * boolean, number, {@link Duration}, {@link Path}, a collection (a list), or a map (a
     * group of settings below the key). A later call for the same key wins.
     *
     * @param dottedKey the key
     * @param value the value
     * @return this builder
     */
    public Builder setting(String dottedKey, Object value) {
      Objects.requireNonNull(dottedKey, "dottedKey");
      settings.add(new AbstractMap.SimpleImmutableEntry<>(dottedKey, value));
      return this;
    }

    /**
     * Declares the installed drivers: their sections (and section aliases) are legal root keys,
     * their {@code NAME_SETTING} environment variables are read, the sections of configured
     * drivers are checked against the settings they declare, and their secrets are masked.
     *
     * @param schemas the drivers' schemas
     * @return this builder
     */
    public Builder drivers(Collection<DriverSchema> schemas) {
      schemas.forEach(s -> installed.put(s.name(), s));
      return this;
    }

    /**
     * Creates the loader.
     *
     * @return the loader
     */
    public ConfigLoader build() {
      return new ConfigLoader(this);
    }

    /**
     * Creates the loader and loads once.
     *
     * @return the effective configuration
     * @throws ConfigurationException listing every problem of every source
     */
    public StowageConfig load() {
      return build().load();
    }
  }
}
