package io.stowage.internal.config;

import io.stowage.config.StowageConfig.EffectiveSetting;
import io.stowage.config.StowageConfig;
import io.stowage.exception.ConfigurationException;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.model.ByteSize;
import io.stowage.model.ClosestMatch;
import io.stowage.model.FsType;
import io.stowage.model.VolumeOptions;
import io.stowage.spi.DriverConfig;
import io.stowage.spi.StorageDriverProvider;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
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
 * <p>A loader is immutable and thread-safe; each {@link #load()} reads its sources afresh.
 */
public final class ConfigLoader {
  /** The files searched by {@link Builder#searchDefaultLocations()}, in order. */
  public static final List<Path> DEFAULT_LOCATIONS = List.of(
      Path.of("/etc/stowage/config.yml"), Path.of("/etc/rexray/config.yml"));

  private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);
  private static final int FILE = 1;
  private static final int ENV = 2;
  private static final int CODE = 3;

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
    return new Load().run();
  }

  /** Collects the settings of the sources of one {@link #load()}. */
  private final class Load {
    private final Schema schema = new Schema(installed.values());
    private final Map<String, String> problems = new LinkedHashMap<>();
    private final Set<String> problemSources = new LinkedHashSet<>();
    private final Map<String, String> warnings = new LinkedHashMap<>();
    private final Map<Schema.Setting, List<Candidate>> core = new LinkedHashMap<>();
    private final Map<String, Map<String, DriverCandidate>> drivers = new TreeMap<>();
    private String fileLabel = "file";

    /** A value some source gives for a setting of the typed model. */
    private record Candidate(Schema.Spelling spelling, String written, Object value,
        String source, int layer) {}

    /** A value some source gives for a driver setting. */
    private record DriverCandidate(String key, Object value, String source, int layer,
        int aliasRank) {}

    StowageConfig run() {
      readFile();
      readEnvironment();
      readCode();
      Map<Schema.Setting, Object> typed = new LinkedHashMap<>();
      List<EffectiveSetting> effective = new ArrayList<>();
      for (Schema.Setting setting : Schema.SETTINGS) {
        resolve(setting, typed, effective);
      }
      @SuppressWarnings("unchecked")
      List<String> storageDrivers = (List<String>) typed.get(Schema.STORAGE_DRIVERS);
      for (String driver : storageDrivers) {
        drivers.computeIfAbsent(driver, d -> new TreeMap<>());
      }
      Map<String, DriverConfig> sections = new TreeMap<>();
      drivers.forEach((driver, values) -> {
        DriverSchema declared = installed.get(driver);
        Set<String> secrets = declared == null ? Set.of() : declared.secretKeys();
        List<DriverConfig.Value> chosen = new ArrayList<>();
        values.values().forEach(c -> {
          chosen.add(new DriverConfig.Value(c.key(), Values.forBinding(c.value()), c.source()));
          effective.add(new EffectiveSetting(driver + "." + c.key(),
              SectionKeys.isSecret(c.key(), secrets) ? SectionKeys.MASK : Values.display(c.value()),
              c.source()));
        });
        DriverConfig section = DriverConfig.of(driver, chosen);
        sections.put(driver, section);
        if (declared == null) {
          if (!storageDrivers.contains(driver) && !values.isEmpty()) {
            warnings.putIfAbsent("section:" + driver, "the section " + driver + " configures"
                + " the storage driver " + driver + ", which is not installed; ignored");
          }
        } else if (storageDrivers.contains(driver)) {
          checkSection(section, declared);
        }
      });
      if (!problems.isEmpty()) {
        throw new ConfigurationException(String.join(", ", problemSources),
            List.copyOf(problems.values()));
      }
      warnings.values().forEach(w -> LOG.warn("{}", w));
      Map<String, String> defaults = new LinkedHashMap<>();
      defaults.put("size", typed.get(Schema.SIZE).toString());
      defaults.put("newfstype", typed.get(Schema.FS_TYPE).toString());
      putIfSet(defaults, "volumetype", typed.get(Schema.VOLUME_TYPE));
      putIfSet(defaults, "iops", typed.get(Schema.IOPS));
      putIfSet(defaults, "availabilityzone", typed.get(Schema.AVAILABILITY_ZONE));
      return new StowageConfig(
          storageDrivers,
          VolumeOptions.parse(defaults),
          (Boolean) typed.get(Schema.IMPLICIT_CREATE),
          (Boolean) typed.get(Schema.CREATE_DISABLE),
          (Boolean) typed.get(Schema.REMOVE_DISABLE),
          (Boolean) typed.get(Schema.REMOVE_FORCE),
          (Boolean) typed.get(Schema.PREEMPT),
          (Boolean) typed.get(Schema.IGNORE_USED_COUNT),
          (Path) typed.get(Schema.MOUNT_ROOT),
          (String) typed.get(Schema.DATA_DIR),
          (Integer) typed.get(Schema.DATA_DIR_MODE),
          (Duration) typed.get(Schema.ATTACH_TIMEOUT),
          (Path) typed.get(Schema.STATE_DIRECTORY),
          sections,
          effective,
          List.copyOf(warnings.values()));
    }

    /** Binds a configured driver's section now, so its problems are reported with the rest. */
    private void checkSection(DriverConfig section, DriverSchema declared) {
      try {
        section.bind(declared.settingsType());
      } catch (ConfigurationException e) {
        e.problems().forEach(p -> problem(FILE, "driver:" + p, p));
      }
    }

    private void putIfSet(Map<String, String> map, String key, Object value) {
      if (value != null) {
        map.put(key, value.toString());
      }
    }

    // ---- sources ----

    private void readFile() {
      Path chosen = file;
      if (chosen == null && yamlText != null) {
        fileLabel = yamlName;
        read(yamlName, yamlText);
        return;
      }
      if (chosen == null && search) {
        chosen = locations.stream().filter(Files::isRegularFile).findFirst().orElse(null);
        if (chosen == null) {
          LOG.debug("no configuration file in {}; using the built-in defaults", locations);
          return;
        }
      }
      if (chosen == null) {
        return;
      }
      fileLabel = chosen.toString();
      String text;
      try {
        text = Files.readString(chosen, StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        problem(FILE, "file", chosen + ": the configuration file does not exist");
        return;
      } catch (MalformedInputException e) {
        problem(FILE, "file", chosen + ": the configuration file is not UTF-8 text");
        return;
      } catch (IOException e) {
        problem(FILE, "file", chosen + ": the configuration file cannot be read ("
            + e.getClass().getSimpleName() + ")");
        return;
      }
      LOG.debug("reading configuration file {}", chosen);
      read(chosen.toString(), text);
    }

    private void read(String name, String text) {
      YamlReader.Document document = YamlReader.read(name, text);
      document.problems().forEach(p -> problem(FILE, p, p));
      for (YamlReader.RawEntry entry : document.entries()) {
        accept(entry.segments(), entry.value(), name + ":" + entry.line(), FILE);
      }
    }

    private void readEnvironment() {
      for (Map.Entry<String, String> e : new TreeMap<>(environment).entrySet()) {
        String name = e.getKey();
        if (name == null || e.getValue() == null || e.getValue().isBlank()) {
          continue;
        }
        String upper = name.toUpperCase(Locale.ROOT);
        String source = "env " + name;
        Optional<String> key = schema.keyOfEnv(upper);
        if (upper.startsWith("STOWAGE_")) {
          if (key.isPresent()) {
            accept(split(key.get()), e.getValue(), source, ENV);
          } else {
            problem(ENV, "env:" + upper, source + ": unknown environment variable " + name
                + ClosestMatch.in(upper, schema.envNamesWithPrefix("STOWAGE_"))
                    .map(k -> " (did you mean " + k + "?)").orElse(""));
          }
        } else if (upper.startsWith("REXRAY_") || upper.startsWith("LIBSTORAGE_")) {
          if (key.isPresent()) {
            accept(split(key.get()), e.getValue(), source, ENV);
          } else {
            Optional<String> unused = schema.unusedOfEnv(upper);
            String tool = upper.startsWith("REXRAY_") ? "REX-Ray" : "libStorage";
            warnings.putIfAbsent("env:" + upper, unused.isPresent()
                ? source + ": " + unused.get() + " is a " + tool
                    + " setting that Stowage does not use; ignored"
                : source + ": not a " + tool + " setting Stowage knows; ignored");
          }
        } else if (upper.startsWith("DOCKER_") || upper.startsWith("LINUX_")) {
          key.ifPresent(k -> accept(split(k), e.getValue(), source, ENV));
        } else {
          driverEnv(upper, e.getValue(), source);
        }
      }
    }

    /**
     * {@code NAME_SETTING} sets a setting of an installed driver. Under one of its section
     * aliases ({@code AWS_}, {@code EC2_}), which other tools' variables share, only the
     * settings the driver declares are read.
     */
    private void driverEnv(String upper, String value, String source) {
      for (Map.Entry<String, String> section : schema.sections().entrySet()) {
        String root = section.getKey();
        DriverSchema declared = installed.get(section.getValue());
        String prefix = Schema.envName(root) + "_";
        if (declared == null || !upper.startsWith(prefix) || upper.length() == prefix.length()) {
          continue;
        }
        String rest = upper.substring(prefix.length()).toLowerCase(Locale.ROOT);
        if (!root.equals(declared.name())
            && !declared.keys().contains(SectionKeys.normalize(rest))) {
          return;
        }
        accept(List.of(root, rest), value, source, ENV);
        return;
      }
    }

    private void readCode() {
      for (Map.Entry<String, Object> e : settings) {
        String key = e.getKey();
        List<String> segments = split(key);
        if (segments.stream().anyMatch(String::isBlank)) {
          problem(CODE, "code:" + key, "code: the setting key " + InvalidArgumentException.quote(key)
              + " is not a dotted key such as stowage.volume.mount.preempt");
          continue;
        }
        acceptCode(segments, e.getValue());
      }
    }

    private void acceptCode(List<String> segments, Object value) {
      if (value instanceof Map<?, ?> map && !map.isEmpty()) {
        for (Map.Entry<?, ?> child : map.entrySet()) {
          List<String> path = new ArrayList<>(segments);
          path.addAll(split(String.valueOf(child.getKey())));
          acceptCode(path, child.getValue());
        }
        return;
      }
      Object raw;
      if (value == null || value instanceof Map<?, ?>) {
        raw = null;
      } else if (value instanceof Collection<?> items) {
        List<String> list = new ArrayList<>();
        items.forEach(item -> list.add(String.valueOf(item)));
        raw = List.copyOf(list);
      } else if (value instanceof Duration d) {
        raw = d.toString();
      } else if (value instanceof Enum<?> en) {
        raw = en.name();
      } else {
        raw = String.valueOf(value);
      }
      accept(segments, raw, "code", CODE);
    }

    private List<String> split(String key) {
      return Arrays.asList(key.split("\\.", -1));
    }

    // ---- classification ----

    private void accept(List<String> segments, Object value, String source, int layer) {
      Schema.Resolution resolution = schema.resolve(segments);
      String written = String.join(".", segments);
      if (resolution instanceof Schema.Leaf leaf) {
        core.computeIfAbsent(leaf.spelling().setting(), s -> new ArrayList<>())
            .add(new Candidate(leaf.spelling(), written, value, source, layer));
      } else if (resolution instanceof Schema.BelowLeaf below) {
        String prefix = String.join(".",
            segments.subList(0, below.spelling().key().split("\\.").length));
        problem(layer, source + "|" + Schema.lower(prefix), source + ": " + prefix + " "
            + expected(below.spelling().setting().kind()) + ", not a mapping");
      } else if (resolution instanceof Schema.Unused unused) {
        String prefix = String.join(".", segments.subList(0, unused.depth()));
        warnings.putIfAbsent(Schema.lower(unused.known()), source + ": " + prefix
            + " is a REX-Ray/libStorage setting that Stowage does not use; ignored");
      } else if (resolution instanceof Schema.DriverKey key) {
        driverValue(key, segments, value, source, layer);
      } else if (resolution instanceof Schema.Interior) {
        if (!Values.isUnset(value)) {
          problem(layer, source + "|" + Schema.lower(written), source + ": " + written
              + " is a group of settings and must be a mapping, not a value");
        }
      } else if (resolution instanceof Schema.Unknown unknown) {
        String prefix = String.join(".", segments.subList(0, unknown.depth()));
        problem(layer, Schema.lower(prefix) + "|" + layer, source + ": unknown key " + prefix
            + unknown.suggestion().map(s -> " (did you mean " + s + "?)")
                .orElse("; known keys here: " + String.join(", ", unknown.siblings())));
      }
    }

    private void driverValue(Schema.DriverKey key, List<String> segments, Object value,
        String source, int layer) {
      Map<String, DriverCandidate> section =
          drivers.computeIfAbsent(key.driver(), d -> new TreeMap<>());
      if (key.rest().isEmpty()) {
        if (!Values.isUnset(value)) {
          problem(layer, source + "|" + key.root(), source + ": " + segments.get(0)
              + " must be a mapping of the " + key.driver() + " driver's settings, not "
              + (value instanceof List<?> ? "a list" : "a single value"));
        }
        return;
      }
      String normalized = SectionKeys.normalize(key.rest());
      int aliasRank = schema.precedence(key.root());
      DriverCandidate candidate = new DriverCandidate(key.rest(), value, source, layer,
          aliasRank);
      DriverCandidate before = section.get(normalized);
      if (before == null || before.layer() < layer
          || before.layer() == layer && before.aliasRank() <= aliasRank) {
        section.put(normalized, candidate);
      }
    }

    // ---- typing ----

    private void resolve(Schema.Setting setting, Map<Schema.Setting, Object> typed,
        List<EffectiveSetting> effective) {
      Candidate winner = null;
      Object winnerValue = null;
      for (Candidate c : core.getOrDefault(setting, List.of())) {
        if (Values.isUnset(c.value())) {
          continue;
        }
        Object value;
        try {
          value = typed(setting.kind(), c.value());
        } catch (Values.BadValue bad) {
          problem(c.layer(), c.source() + "|" + Schema.lower(c.written()), c.source() + ": " + c.written()
              + " " + InvalidArgumentException.quote(Values.display(c.value())) + " "
              + bad.getMessage());
          continue;
        }
        if (winner == null || c.layer() > winner.layer()
            || c.layer() == winner.layer() && c.spelling().rank() >= winner.spelling().rank()) {
          winner = c;
          winnerValue = value;
        }
      }
      if (winner == null) {
        Object value = null;
        if (setting.defaultValue() != null) {
          try {
            value = typed(setting.kind(), setting.defaultValue());
          } catch (Values.BadValue bad) {
            throw new IllegalStateException("default of " + setting.key(), bad);
          }
        }
        typed.put(setting, value);
        effective.add(new EffectiveSetting(setting.key(), show(value), "default"));
      } else {
        typed.put(setting, winnerValue);
        effective.add(new EffectiveSetting(setting.key(), show(winnerValue), winner.source()));
      }
    }

    private Object typed(Schema.Kind kind, Object raw) throws Values.BadValue {
      if (raw instanceof Values.Shape shape && kind != Schema.Kind.DRIVER_LIST) {
        throw new Values.BadValue(expected(kind) + ", not " + shape);
      }
      return switch (kind) {
        case BOOLEAN -> Values.bool(raw);
        case DRIVER_LIST -> driverList(raw);
        case SIZE -> option("size", raw).size().orElseThrow();
        case FS_TYPE -> option("newfstype", raw).newFsType().orElseThrow();
        case VOLUME_TYPE -> option("volumetype", raw).volumeType().orElseThrow();
        case IOPS -> option("iops", raw).iops().orElseThrow();
        case ZONE -> option("availabilityzone", raw).availabilityZone().orElseThrow();
        case ABSOLUTE_PATH -> Values.absolutePath(raw);
        case DATA_DIR -> Values.dataDir(raw);
        case MODE -> Values.fileMode(raw);
        case DURATION -> Values.duration(raw);
      };
    }

    private VolumeOptions option(String key, Object raw) throws Values.BadValue {
      String text = Values.scalar(raw, "a single value");
      try {
        return VolumeOptions.parse(Map.of(key, text));
      } catch (InvalidArgumentException e) {
        String message = e.getMessage();
        int colon = message.lastIndexOf(": ");
        throw new Values.BadValue(colon < 0 ? message : message.substring(colon + 2));
      }
    }

    private List<String> driverList(Object raw) throws Values.BadValue {
      if (raw instanceof Values.Shape) {
        throw new Values.BadValue("must be a list of driver names, not " + raw);
      }
      List<String> names = new ArrayList<>();
      for (String item : Values.stringList(raw)) {
        String name = schema.sections().getOrDefault(Schema.lower(item), Schema.lower(item));
        try {
          StorageDriverProvider.requireValidName(name);
        } catch (InvalidArgumentException e) {
          throw new Values.BadValue("must be a list of driver names such as virtualbox, ebs,"
              + " fake (each " + StorageDriverProvider.NAME_RULE + ")");
        }
        if (!names.contains(name)) {
          names.add(name);
        }
      }
      if (names.isEmpty()) {
        throw new Values.BadValue("must name at least one driver");
      }
      return List.copyOf(names);
    }

    private String expected(Schema.Kind kind) {
      return switch (kind) {
        case BOOLEAN -> "must be true or false";
        case DRIVER_LIST -> "must be a list of driver names";
        case SIZE -> "must be a size";
        case FS_TYPE -> "must be a file system type";
        case VOLUME_TYPE -> "must be a volume type";
        case IOPS -> "must be a number of IOPS";
        case ZONE -> "must be an availability zone";
        case ABSOLUTE_PATH -> "must be an absolute path";
        case DATA_DIR -> "must be a relative directory";
        case MODE -> "must be a file mode";
        case DURATION -> "must be a duration";
      };
    }

    private String show(Object value) {
      if (value == null) {
        return "";
      }
      if (value instanceof Integer mode) {
        return String.format(Locale.ROOT, "0%o", mode);
      }
      if (value instanceof Duration d) {
        return d.toMillis() % 1000 == 0 && d.toNanos() % 1_000_000 == 0
            ? d.toSeconds() + "s" : d.toMillis() + "ms";
      }
      if (value instanceof ByteSize || value instanceof FsType) {
        return value.toString();
      }
      return Values.display(value);
    }

    private void problem(int layer, String dedupKey, String message) {
      if (problems.putIfAbsent(dedupKey, message) == null) {
        problemSources.add(layer == FILE ? fileLabel : layer == ENV ? "environment" : "code");
      }
    }
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
      settings.add(new java.util.AbstractMap.SimpleImmutableEntry<>(dottedKey, value));
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
