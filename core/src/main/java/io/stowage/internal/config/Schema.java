package io.stowage.internal.config;

import io.stowage.config.ServiceConfig;
import io.stowage.config.StowageConfig;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.model.ByteSize;
import io.stowage.model.ClosestMatch;
import io.stowage.model.Durations;
import io.stowage.model.FsType;
import io.stowage.model.VolumeOptions;
import io.stowage.spi.StorageDriverProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What the configuration may hold: the settings of the typed model, each with its keys in the
 * three spellings (Stowage, libStorage, REX-Ray 0.3), its type and its default; the keys of
 * those tools that Stowage accepts with a warning; and the driver section names. Classifies a
 * key path as one of these. Immutable.
 */
final class Schema {
  /** The spelling ranks; a higher rank wins when two spellings set one setting. */
  static final int REXRAY = 0;
  /** libStorage's first spelling of its volume settings, without {@code operations}. */
  static final int LIBSTORAGE_FIRST = 1;
  static final int LIBSTORAGE = 2;
  static final int STOWAGE = 3;

  /**
   * The sections of the drivers Stowage ships, with REX-Ray 0.3's names for the EBS driver's,
   * by root key. A configuration written for REX-Ray may hold them whether or not the driver is
   * installed: the section of a driver that is not installed is a warning, not an error. What
   * the sections hold is the drivers' own business (their providers declare it).
   */
  static final Map<String, String> KNOWN_SECTIONS = Map.of("virtualbox", "virtualbox",
      "ebs", "ebs", "ec2", "ebs", "aws", "ebs", "fake", "fake");

  private static final String LS_OPS = "libstorage.integration.volume.operations.";
  /** libStorage's first spelling of its volume settings, without {@code operations}. */
  private static final String LS_VOLUME = "libstorage.integration.volume.";
  private static final String LABEL_RULE = "must be 1 to 64 letters, digits, '.', '_' or '-',"
      + " starting with a letter or digit";

  /** A known key and the setting it sets. */
  record Spelling(Setting<?> setting, String key, int rank) {}

  static final Setting<List<String>> STORAGE_DRIVERS = new Setting<>("stowage.storageDrivers",
      spellings("stowage.storageDrivers", "rexray.storageDrivers", null),
      "a list of driver names", List.of("fake"), Schema::driverNames, String::valueOf);
  /**
   * The default service; libStorage's {@code libstorage.service} names it. A name that no
   * service has names a driver, whose own service it then is.
   */
  static final Setting<Optional<String>> DEFAULT_SERVICE = new Setting<>(
      "stowage.defaultService", spellings("stowage.defaultService", null, "libstorage.service"),
      "a service name", Optional.empty(),
      Setting.scalar("a service name", text -> Optional.of(serviceName(text))),
      value -> value.orElse(""));
  static final Setting<Boolean> PREEMPT = bool("stowage.volume.mount.preempt", false,
      "rexray.volume.mount.preempt", "mount.preempt");
  static final Setting<Boolean> IGNORE_USED_COUNT = bool(
      "stowage.volume.unmount.ignoreUsedCount", false, "rexray.volume.unmount.ignoreusedcount",
      "unmount.ignoreusedcount");
  static final Setting<Boolean> CREATE_DISABLE = bool("stowage.volume.create.disable", false,
      "rexray.volume.create.disable", "create.disable");
  static final Setting<Boolean> IMPLICIT_CREATE = bool("stowage.volume.create.implicit", true,
      null, "create.implicit");
  static final Setting<Boolean> REMOVE_DISABLE = bool("stowage.volume.remove.disable", false,
      "rexray.volume.remove.disable", "remove.disable");
  static final Setting<Boolean> REMOVE_FORCE = bool("stowage.volume.remove.force", false, null,
      "remove.force");
  static final Setting<Path> MOUNT_ROOT = scalar("stowage.volume.mount.root",
      "docker.mountDirPath", "mount.path", "an absolute path",
      StowageConfig.DEFAULT_MOUNT_ROOT, Values::ownDirectory, String::valueOf);
  static final Setting<String> DATA_DIR = scalar("stowage.volume.mount.dataDir",
      "linux.volume.rootpath", "mount.rootPath", "a relative directory such as data",
      StowageConfig.DEFAULT_DATA_DIR, Values::dataDir, String::valueOf);
  static final Setting<Integer> DATA_DIR_MODE = scalar("stowage.volume.mount.dataDirMode",
      "linux.volume.filemode", null, "a file mode such as 0700",
      StowageConfig.DEFAULT_DATA_DIR_MODE, Values::fileMode,
      mode -> String.format(Locale.ROOT, "0%o", mode));
  static final Setting<ByteSize> SIZE = scalar("stowage.volume.create.default.size",
      "docker.size", "create.default.size", "a size such as 16 (GiB) or 512MiB",
      VolumeOptions.DEFAULT_SIZE, Values::size, String::valueOf);
  static final Setting<FsType> FS_TYPE = scalar("stowage.volume.create.default.fsType",
      "docker.fsType", "create.default.fsType", "a file system type such as ext4",
      StowageConfig.DEFAULT_FS_TYPE, Values::fsType, String::valueOf);
  static final Setting<Optional<String>> VOLUME_TYPE = scalar(
      "stowage.volume.create.default.type", "docker.volumeType", "create.default.type",
      "a volume type", Optional.empty(), text -> Values.createOption("volumetype", text,
          LABEL_RULE).volumeType(), value -> value.orElse(""));
  static final Setting<Optional<Long>> IOPS = scalar("stowage.volume.create.default.iops",
      "docker.iops", "create.default.IOPS", "a number of IOPS", Optional.empty(),
      text -> Values.createOption("iops", text, "must be a whole number of IOPS from 1 to "
          + VolumeOptions.MAX_IOPS).iops(), value -> value.map(String::valueOf).orElse(""));
  static final Setting<Optional<String>> AVAILABILITY_ZONE = scalar(
      "stowage.volume.create.default.availabilityZone", "docker.availabilityZone",
      "create.default.availabilityZone", "an availability zone", Optional.empty(),
      text -> Values.createOption("availabilityzone", text, LABEL_RULE).availabilityZone(),
      value -> value.orElse(""));
  static final Setting<Duration> ATTACH_TIMEOUT = scalar("stowage.device.attachTimeout", null,
      "libstorage.device.attachTimeout", "a duration such as 30s",
      StowageConfig.DEFAULT_ATTACH_TIMEOUT, Values::timeout, Durations::format);
  static final Setting<Path> STATE_DIRECTORY = scalar("stowage.state.directory", null, null,
      "an absolute path", StowageConfig.DEFAULT_STATE_DIRECTORY, Values::ownDirectory,
      String::valueOf);

  /** Every setting, in display order. */
  static final List<Setting<?>> SETTINGS = List.of(STORAGE_DRIVERS, DEFAULT_SERVICE, PREEMPT,
      IGNORE_USED_COUNT,
      IMPLICIT_CREATE, CREATE_DISABLE, REMOVE_DISABLE, REMOVE_FORCE, MOUNT_ROOT, DATA_DIR,
      DATA_DIR_MODE, SIZE, FS_TYPE, VOLUME_TYPE, IOPS, AVAILABILITY_ZONE, ATTACH_TIMEOUT,
      STATE_DIRECTORY);

  /**
   * Keys of REX-Ray and libStorage that Stowage does not use. A key here also covers every key
   * below it ({@code rexray.agent} covers {@code rexray.agent.docker.host}), except what
   * {@code ServiceScopes} reads first: {@code libstorage.server.services} and libStorage's
   * server scope below {@code libstorage.server}.
   */
  static final List<String> UNUSED = List.of(
      "rexray.host", "rexray.logLevel", "rexray.osDrivers", "rexray.volumeDrivers",
      "rexray.volume.path", "rexray.libstorage", "rexray.agent",
      "rexray.controller", "rexray.debug",
      "libstorage.host", "libstorage.server", "libstorage.client", "libstorage.executor",
      "libstorage.logging", "libstorage.http", "libstorage.os", "libstorage.storage",
      "libstorage.tls", "libstorage.embedded", "libstorage.integration.driver",
      LS_OPS + "mount.retryCount", LS_OPS + "mount.retryWait", LS_OPS + "path",
      LS_VOLUME + "path", "libstorage.device.scanType", "libstorage.device.deviceScanType");

  /**
   * The keys that declare services, each followed by a service's name: Stowage's, libStorage's
   * and REX-Ray 0.3's. {@code ServiceScopes} reads what lies below them.
   */
  static final List<String> SERVICE_KEYS = List.of("stowage.services",
      "libstorage.server.services", "rexray.modules");

  /**
   * Variables of REX-Ray's managed Docker plugin ({@code rexray.sh}) that rewrote its config
   * file; Stowage reads them as the keys they rewrote.
   */
  private static final Map<String, String> PLUGIN_ENV = Map.of(
      "REXRAY_PREEMPT", "rexray.volume.mount.preempt",
      "REXRAY_FSTYPE", "docker.fsType");

  /** The classification of one key path. */
  sealed interface Resolution {}

  /** A key of the typed model. */
  record Leaf(Spelling spelling) implements Resolution {}

  /** A key below a key of the typed model: the model's key holds a mapping. */
  record BelowLeaf(Spelling spelling) implements Resolution {}

  /** A key of another tool that Stowage does not use. */
  record Unused(String known, int depth) implements Resolution {}

  /** A driver section ({@code rest} empty) or a setting in one. */
  record DriverKey(String root, String driver, String rest) implements Resolution {}

  /** A key that only groups other keys. */
  record Interior() implements Resolution {}

  /**
   * A key that is none of the above.
   *
   * @param lowerPath the key path up to the first unknown segment, in lower case
   * @param parent the known part of that path, empty at the root
   * @param depth the number of segments up to the first unknown one
   */
  record Unknown(String lowerPath, String parent, int depth) implements Resolution {}

  private final Map<String, Spelling> leaves = new HashMap<>();
  private final Map<String, String> unused = new HashMap<>();
  private final Set<String> interiors = new TreeSet<>();
  private final Map<String, String> sections = new LinkedHashMap<>();
  private final Map<String, Integer> precedence = new HashMap<>();
  private final Map<String, String> envNames = new HashMap<>();
  private final List<String> allKnownKeys = new ArrayList<>();

  /**
   * Creates the schema.
   *
   * @param installedDrivers the installed drivers, whose sections are legal roots
   */
  Schema(Collection<DriverSchema> installedDrivers) {
    for (Setting<?> setting : SETTINGS) {
      setting.spellings().forEach((key, rank) -> {
        leaves.put(lower(key), new Spelling(setting, key, rank));
        allKnownKeys.add(key);
        addInteriors(key);
        envNames.put(envName(key), key);
      });
    }
    for (String key : UNUSED) {
      unused.put(lower(key), key);
      allKnownKeys.add(key);
      addInteriors(key);
      envNames.put(envName(key), key);
    }
    for (String key : SERVICE_KEYS) {
      allKnownKeys.add(key);
      addInteriors(key + ".x");
    }
    envNames.putAll(PLUGIN_ENV);
    sections.putAll(KNOWN_SECTIONS);
    for (DriverSchema driver : installedDrivers) {
      sections.put(driver.name(), driver.name());
      precedence.put(driver.name(), Integer.MAX_VALUE);
      List<String> aliases = driver.aliases();
      for (int i = 0; i < aliases.size(); i++) {
        sections.put(aliases.get(i), driver.name());
        precedence.put(aliases.get(i), aliases.size() - i);
      }
    }
    allKnownKeys.addAll(sections.keySet());
  }

  /**
   * A boolean setting. The libStorage spelling is given below {@code volume.operations.}; its
   * first spelling, below {@code volume.} without {@code operations}, is known too.
   */
  private static Setting<Boolean> bool(String key, boolean defaultValue, String rexray,
      String libstorage) {
    return scalar(key, rexray, libstorage, "true or false", defaultValue, Values::bool,
        String::valueOf);
  }

  private static <T> Setting<T> scalar(String key, String rexray, String libstorage,
      String expected, T defaultValue, Setting.Parser<T> parser, Function<T, String> format) {
    return new Setting<>(key, spellings(key, rexray, libstorage), expected, defaultValue,
        Setting.scalar(expected, parser), format);
  }

  /**
   * The spellings of a setting: its own key, and its libStorage and REX-Ray keys if any. A
   * libStorage key without its {@code libstorage.} root is a volume operation's, spelled both
   * below {@code libstorage.integration.volume.operations.} and, as libStorage first did,
   * below {@code libstorage.integration.volume.}.
   */
  private static Map<String, Integer> spellings(String key, String rexray, String libstorage) {
    Map<String, Integer> spellings = new LinkedHashMap<>();
    spellings.put(key, STOWAGE);
    if (libstorage != null && !libstorage.startsWith("libstorage.")) {
      spellings.put(LS_OPS + libstorage, LIBSTORAGE);
      spellings.put(LS_VOLUME + libstorage, LIBSTORAGE_FIRST);
    } else if (libstorage != null) {
      spellings.put(libstorage, LIBSTORAGE);
    }
    if (rexray != null) {
      spellings.put(rexray, REXRAY);
    }
    return spellings;
  }

  /**
   * Parses the storage drivers: names, REX-Ray's section names for them ({@code ec2}) mapped
   * onto the driver, each once, at least one.
   */
  private static List<String> driverNames(Object raw, Schema schema) throws Values.BadValue {
    List<String> names = new ArrayList<>();
    for (String item : Values.stringList(raw)) {
      String name = schema.sections.getOrDefault(lower(item), lower(item));
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

  /** Parses a service's name: lower case, {@link ServiceConfig#NAME_RULE}. */
  static String serviceName(String text) throws Values.BadValue {
    String name = lower(text);
    if (!ServiceConfig.isValidName(name)) {
      throw new Values.BadValue("must be a service name: " + ServiceConfig.NAME_RULE);
    }
    return name;
  }

  private void addInteriors(String key) {
    String lower = lower(key);
    for (int dot = lower.indexOf('.'); dot > 0; dot = lower.indexOf('.', dot + 1)) {
      interiors.add(lower.substring(0, dot));
    }
  }

  static String lower(String key) {
    return key.toLowerCase(Locale.ROOT);
  }

  /** Returns the environment variable name of a key: upper case, dots as underscores. */
  static String envName(String key) {
    return key.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  /** Returns the driver sections' root names, with their driver. */
  Map<String, String> sections() {
    return sections;
  }

  /**
   * Returns how a section root ranks among the roots of its driver: the driver's own name
   * first, then its aliases in declared order.
   */
  int precedence(String root) {
    return precedence.getOrDefault(root, root.equals(sections.get(root)) ? Integer.MAX_VALUE : 0);
  }

  /**
   * Classifies a key path.
   *
   * @param segments the key's segments as written
   * @return what the key is
   */
  Resolution resolve(List<String> segments) {
    String root = lower(segments.get(0));
    String driver = sections.get(root);
    if (driver != null && !interiors.contains(root)) {
      return new DriverKey(root, driver, String.join(".", segments.subList(1, segments.size())));
    }
    StringBuilder path = new StringBuilder();
    for (int i = 0; i < segments.size(); i++) {
      if (i > 0) {
        path.append('.');
      }
      path.append(lower(segments.get(i)));
      String prefix = path.toString();
      String known = unused.get(prefix);
      if (known != null) {
        return new Unused(known, i + 1);
      }
      Spelling spelling = leaves.get(prefix);
      if (spelling != null) {
        return i == segments.size() - 1 ? new Leaf(spelling) : new BelowLeaf(spelling);
      }
      if (!interiors.contains(prefix)) {
        return new Unknown(prefix, i == 0 ? "" : prefix.substring(0, prefix.lastIndexOf('.')),
            i + 1);
      }
    }
    return new Interior();
  }

  /** Returns the known keys one level below an unknown key's parent, as written. */
  List<String> siblings(Unknown unknown) {
    String parent = unknown.parent();
    List<String> siblings = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (String key : allKnownKeys) {
      String lowerKey = lower(key);
      if (parent.isEmpty() || lowerKey.startsWith(parent + ".")) {
        int start = parent.isEmpty() ? 0 : parent.length() + 1;
        int end = lowerKey.indexOf('.', start);
        String child = key.substring(start, end < 0 ? key.length() : end);
        if (seen.add(lower(child))) {
          siblings.add(child);
        }
      }
    }
    return siblings;
  }

  /** Returns the known key closest to an unknown one, if one is a likely misspelling. */
  Optional<String> suggestion(Unknown unknown) {
    String lowerPath = unknown.lowerPath();
    String parent = unknown.parent();
    Optional<String> suggestion = closest(lowerPath, allKnownKeys);
    if (suggestion.isEmpty()) {
      String segment = lowerPath.substring(lowerPath.lastIndexOf('.') + 1);
      suggestion = closest(segment, siblings(unknown)).flatMap(child -> {
        String full = parent.isEmpty() ? child : parent + "." + child;
        return allKnownKeys.stream().filter(k -> lower(k).equals(lower(full))
            || lower(k).startsWith(lower(full) + ".")).findFirst()
            .map(k -> k.substring(0, full.length()));
      });
    }
    return suggestion;
  }

  /**
   * Returns the candidate closest to a word, as {@link ClosestMatch} finds it, without comparing
   * a word so much longer than every candidate that no candidate can be close (a suggestion is
   * at most a third of the word's length away), which keeps hostile keys cheap.
   */
  static Optional<String> closest(String word, Collection<String> candidates) {
    int longest = candidates.stream().mapToInt(String::length).max().orElse(0);
    return word.length() > longest * 3 / 2 + 2 ? Optional.empty()
        : ClosestMatch.in(word, candidates);
  }

  /** Returns the known key an environment variable names, if it names one. */
  Optional<String> keyOfEnv(String name) {
    return Optional.ofNullable(envNames.get(name));
  }

  /** Returns the known key covering an environment variable below an unused key, if any. */
  Optional<String> unusedOfEnv(String name) {
    for (String key : UNUSED) {
      String env = envName(key);
      if (name.equals(env) || name.startsWith(env + "_")) {
        return Optional.of(key);
      }
    }
    return Optional.empty();
  }

  /** Returns every environment variable name with the given prefix that Stowage knows. */
  List<String> envNamesWithPrefix(String prefix) {
    return envNames.keySet().stream().filter(n -> n.startsWith(prefix)).sorted().toList();
  }
}
