package io.stowage.internal.config;

import io.stowage.config.StowageConfig;
import io.stowage.config.StowageConfig.EffectiveSetting;
import io.stowage.config.VolumeSettings;
import io.stowage.exception.ConfigurationException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
 * {@code ConfigFile} and {@code YamlReader} bounding what a file may hold), sorts them by scope
 * ({@code ServiceScopes}: the whole configuration or one service) and by what their keys are
 * ({@code Classifier}), gives each setting its typed value ({@code Typing}), and builds the
 * services with their driver sections ({@code Services}); {@code Secrets} masks what must not
 * be shown.
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
    ServiceScopes scopes = new ServiceScopes(schema, installed, findings);
    sources.inputs().forEach(scopes::accept);
    List<Object> secretValues = new ArrayList<>();
    scopes.classifiers().forEach(c -> secretValues.addAll(c.secretValues()));
    Secrets secrets = Secrets.of(secretValues,
        sources.inputs().stream().map(Sources.Input::value).toList());

    Typing typing = new Typing(schema, scopes.global(), findings, secrets);
    Typing.Typed<List<String>> storageDrivers = typing.resolve(Schema.STORAGE_DRIVERS);
    Typing.Typed<Optional<String>> defaultService = typing.resolve(Schema.DEFAULT_SERVICE);
    VolumeSettings volumes = Services.volumeSettings(typing, List.of());
    Typing.Typed<Path> stateDirectory = typing.resolve(Schema.STATE_DIRECTORY);
    Placement.check(typing.resolve(Schema.MOUNT_ROOT), stateDirectory, findings);

    List<EffectiveSetting> effective = new ArrayList<>(typing.effective());
    Services.Resolved services = new Services(schema, installed, scopes, typing, findings,
        secrets, effective).resolve(storageDrivers, defaultService, stateDirectory);
    if (findings.hasProblems()) {
      throw findings.failure(secrets);
    }
    List<String> warnings = findings.warnings(secrets);
    warnings.forEach(w -> LOG.warn("{}", w));
    return new StowageConfig(services.drivers(), volumes, stateDirectory.value(),
        services.sections(), services.services(), effective, warnings);
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
