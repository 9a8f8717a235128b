package io.stowage.internal.config;

import io.stowage.model.ClosestMatch;
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

/**
 * The known keys of the three spellings (Stowage, libStorage, REX-Ray 0.3), the keys of those
 * tools that Stowage accepts with a warning, and the driver section names. Immutable.
 */
final class Schema {
  /** The spelling ranks; a higher rank wins when two spellings set one setting. */
  static final int REXRAY = 0;
  static final int LIBSTORAGE = 1;
  static final int STOWAGE = 2;

  /**
   * The sections of the drivers Stowage ships, with REX-Ray 0.3's names for the EBS driver's,
   * by root key. A configuration written for REX-Ray may hold them whether or not the driver is
   * installed: the section of a driver that is not installed is a warning, not an error. What
   * the sections hold is the drivers' own business (their providers declare it).
   */
  static final Map<String, String> KNOWN_SECTIONS = Map.of("virtualbox", "virtualbox",
      "ebs", "ebs", "ec2", "ebs", "aws", "ebs", "fake", "fake");

  private static final String LS_OPS = "libstorage.integration.volume.operations.";

  /** The kind of value a setting holds. */
  enum Kind {
    BOOLEAN, DRIVER_LIST, SIZE, FS_TYPE, VOLUME_TYPE, IOPS, ZONE, ABSOLUTE_PATH, DATA_DIR, MODE,
    DURATION
  }

  /**
   * One setting of the typed model.
   *
   * @param key the canonical key in the {@code stowage:} tree
   * @param kind the value kind
   * @param defaultValue the default as text, or null when unset by default
   * @param spellings every key that sets it, with its spelling rank
   */
  record Setting(String key, Kind kind, String defaultValue, Map<String, Integer> spellings) {}

  /** A known key and the setting it sets. */
  record Spelling(Setting setting, String key, int rank) {}

  static final Setting STORAGE_DRIVERS = setting("stowage.storageDrivers", Kind.DRIVER_LIST,
      "fake", "rexray.storageDrivers", "libstorage.service");
  static final Setting PREEMPT = setting("stowage.volume.mount.preempt", Kind.BOOLEAN, "false",
      "rexray.volume.mount.preempt", LS_OPS + "mount.preempt");
  static final Setting IGNORE_USED_COUNT = setting("stowage.volume.unmount.ignoreUsedCount",
      Kind.BOOLEAN, "false", "rexray.volume.unmount.ignoreusedcount",
      LS_OPS + "unmount.ignoreusedcount");
  static final Setting CREATE_DISABLE = setting("stowage.volume.create.disable", Kind.BOOLEAN,
      "false", "rexray.volume.create.disable", LS_OPS + "create.disable");
  static final Setting IMPLICIT_CREATE = setting("stowage.volume.create.implicit", Kind.BOOLEAN,
      "true", null, LS_OPS + "create.implicit");
  static final Setting REMOVE_DISABLE = setting("stowage.volume.remove.disable", Kind.BOOLEAN,
      "false", "rexray.volume.remove.disable", LS_OPS + "remove.disable");
  static final Setting REMOVE_FORCE = setting("stowage.volume.remove.force", Kind.BOOLEAN,
      "false", null, LS_OPS + "remove.force");
  static final Setting MOUNT_ROOT = setting("stowage.volume.mount.root", Kind.ABSOLUTE_PATH,
      "/var/lib/stowage/volumes", "docker.mountDirPath", LS_OPS + "mount.path");
  static final Setting DATA_DIR = setting("stowage.volume.mount.dataDir", Kind.DATA_DIR, "data",
      "linux.volume.rootpath", LS_OPS + "mount.rootPath");
  static final Setting DATA_DIR_MODE = setting("stowage.volume.mount.dataDirMode", Kind.MODE,
      "0700", "linux.volume.filemode", null);
  static final Setting SIZE = setting("stowage.volume.create.default.size", Kind.SIZE, "16",
      "docker.size", LS_OPS + "create.default.size");
  static final Setting FS_TYPE = setting("stowage.volume.create.default.fsType", Kind.FS_TYPE,
      "ext4", "docker.fsType", LS_OPS + "create.default.fsType");
  static final Setting VOLUME_TYPE = setting("stowage.volume.create.default.type",
      Kind.VOLUME_TYPE, null, "docker.volumeType", LS_OPS + "create.default.type");
  static final Setting IOPS = setting("stowage.volume.create.default.iops", Kind.IOPS, null,
      "docker.iops", LS_OPS + "create.default.IOPS");
  static final Setting AVAILABILITY_ZONE = setting(
      "stowage.volume.create.default.availabilityZone", Kind.ZONE, null,
      "docker.availabilityZone", LS_OPS + "create.default.availabilityZone");
  static final Setting ATTACH_TIMEOUT = setting("stowage.device.attachTimeout", Kind.DURATION,
      "30s", null, "libstorage.device.attachTimeout");
  static final Setting STATE_DIRECTORY = setting("stowage.state.directory",
      Kind.ABSOLUTE_PATH, "/var/lib/stowage", null, null);

  /** Every setting, in display order. */
  static final List<Setting> SETTINGS = List.of(STORAGE_DRIVERS, PREEMPT, IGNORE_USED_COUNT,
      IMPLICIT_CREATE, CREATE_DISABLE, REMOVE_DISABLE, REMOVE_FORCE, MOUNT_ROOT, DATA_DIR,
      DATA_DIR_MODE, SIZE, FS_TYPE, VOLUME_TYPE, IOPS, AVAILABILITY_ZONE, ATTACH_TIMEOUT,
      STATE_DIRECTORY);

  /**
   * Keys of REX-Ray and libStorage that Stowage does not use. A key here also covers every key
   * below it ({@code rexray.modules} covers {@code rexray.modules.default-docker.host}).
   */
  static final List<String> UNUSED = List.of(
      "rexray.host", "rexray.logLevel", "rexray.osDrivers", "rexray.volumeDrivers",
      "rexray.volume.path", "rexray.modules", "rexray.libstorage", "rexray.agent",
      "rexray.controller", "rexray.debug",
      "libstorage.host", "libstorage.server", "libstorage.client", "libstorage.executor",
      "libstorage.logging", "libstorage.http", "libstorage.os", "libstorage.storage",
      "libstorage.tls", "libstorage.embedded", "libstorage.integration.driver",
      LS_OPS + "mount.retryCount", LS_OPS + "mount.retryWait", LS_OPS + "path",
      "libstorage.device.scanType", "libstorage.device.deviceScanType");

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

  /** A key that is none of the above. */
  record Unknown(Optional<String> suggestion, List<String> siblings, int depth)
      implements Resolution {}

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
    for (Setting setting : SETTINGS) {
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

  private static Setting setting(String key, Kind kind, String defaultValue, String rexray,
      String libstorage) {
    Map<String, Integer> spellings = new LinkedHashMap<>();
    spellings.put(key, STOWAGE);
    if (libstorage != null) {
      spellings.put(libstorage, LIBSTORAGE);
    }
    if (rexray != null) {
      spellings.put(rexray, REXRAY);
    }
    return new Setting(key, kind, defaultValue, spellings);
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
        return unknown(prefix, i == 0 ? "" : prefix.substring(0, prefix.lastIndexOf('.')), i + 1);
      }
    }
    return new Interior();
  }

  private Unknown unknown(String lowerPath, String parent, int depth) {
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
    Optional<String> suggestion = ClosestMatch.in(lowerPath, allKnownKeys);
    if (suggestion.isEmpty()) {
      String segment = lowerPath.substring(lowerPath.lastIndexOf('.') + 1);
      suggestion = ClosestMatch.in(segment, siblings).flatMap(child -> {
        String full = parent.isEmpty() ? child : parent + "." + child;
        return allKnownKeys.stream().filter(k -> lower(k).equals(lower(full))
            || lower(k).startsWith(lower(full) + ".")).findFirst()
            .map(k -> k.substring(0, full.length()));
      });
    }
    return new Unknown(suggestion, siblings, depth);
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
