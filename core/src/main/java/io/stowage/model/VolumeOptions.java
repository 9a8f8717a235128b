package io.stowage.model;

import io.stowage.exception.InvalidArgumentException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The volume options of dvdcli's {@code --volumeopts}, Docker's {@code Opts}, Marathon's
 * {@code dvdi/*} keys and {@code DVDI_VOLUME_OPTS}, parsed once into typed values. Keys match
 * case-insensitively; an unknown key or a malformed value is an {@link InvalidArgumentException}
 * that names it.
 *
 * @param size {@code size}: the size, a whole number of GiB unless a unit is given
 * @param iops {@code iops}: provisioned IOPS
 * @param volumeType {@code volumetype} (alias {@code type}): the back end's volume type
 * @param availabilityZone {@code availabilityzone}
 * @param encrypted {@code encrypted}
 * @param encryptionKey {@code encryptionkey}: the key ID the back end encrypts with; masked in
 *     {@link #toString()}
 * @param newFsType {@code newfstype}: the file system to create on an empty device
 * @param overwriteFs {@code overwritefs}: format even when a file system exists
 * @param snapshotId {@code snapshotid}: create from this snapshot
 * @param snapshotName {@code snapshotname}: create from the snapshot of this name
 * @param sourceVolumeId {@code volumeid}: create as a copy of this volume
 * @param sourceVolumeName {@code volumename}: create as a copy of the volume of this name
 * @param extra options a driver declares as its own, keyed by their lower-case names
 * @param mount {@code ro} (alias {@code readonly}) and {@code mountoptions} (several joined
 *     with {@code +}): how the volume is mounted; given at create, they are kept with the
 *     volume and apply to every mount that does not set them
 */
public record VolumeOptions(
    Optional<ByteSize> size,
    Optional<Long> iops,
    Optional<String> volumeType,
    Optional<String> availabilityZone,
    Optional<Boolean> encrypted,
    Optional<String> encryptionKey,
    Optional<FsType> newFsType,
    Optional<Boolean> overwriteFs,
    Optional<String> snapshotId,
    Optional<String> snapshotName,
    Optional<String> sourceVolumeId,
    Optional<String> sourceVolumeName,
    Map<String, String> extra,
    MountOptions mount) {

  /**
   * The size of a volume created without one, REX-Ray's default: 16 GiB. The configuration's
   * default size ({@code volume.create.default.size}) starts from it, and a driver called
   * without a size falls back to it.
   */
  public static final ByteSize DEFAULT_SIZE = ByteSize.ofGiB(16);

  /** Options with nothing set. */
  public static final VolumeOptions NONE = new VolumeOptions(Optional.empty(), Optional.empty(),
      Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
      Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
      Map.of(), MountOptions.NONE);

  /** The option keys every driver understands, in their canonical lower-case spelling. */
  public static final List<String> KEYS = List.of("size", "iops", "volumetype",
      "availabilityzone", "encrypted", "encryptionkey", "newfstype", "overwritefs", "snapshotid",
      "snapshotname", "volumeid", "volumename", "ro", "mountoptions");

  /** The largest IOPS value accepted. */
  public static final long MAX_IOPS = 256_000;

  private static final Map<String, String> ALIASES = Map.of("type", "volumetype",
      "readonly", "ro");
  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9:/_.+=-]{0,2047}");
  private static final Pattern EXTRA_KEY = Pattern.compile("[a-z][a-z0-9._-]{0,63}");
  private static final int MAX_EXTRA_VALUE = 1024;

  /**
   * Validates the options and copies the extra map.
   *
   * @param size {@code size}: the size, a whole number of GiB unless a unit is given
   * @param iops {@code iops}: provisioned IOPS
   * @param volumeType {@code volumetype} (alias {@code type}): the back end's volume type
   * @param availabilityZone {@code availabilityzone}
   * @param encrypted {@code encrypted}
   * @param encryptionKey {@code encryptionkey}: the key ID the back end encrypts with; masked in
   *     {@link #toString()}
   * @param newFsType {@code newfstype}: the file system to create on an empty device
   * @param overwriteFs {@code overwritefs}: format even when a file system exists
   * @param snapshotId {@code snapshotid}: create from this snapshot
   * @param snapshotName {@code snapshotname}: create from the snapshot of this name
   * @param sourceVolumeId {@code volumeid}: create as a copy of this volume
   * @param sourceVolumeName {@code volumename}: create as a copy of the volume of this name
   * @param extra options a driver declares as its own, keyed by their lower-case names
   * @param mount {@code ro} (alias {@code readonly}) and {@code mountoptions}: how the volume
   *     is mounted
   */
  public VolumeOptions {
    Objects.requireNonNull(size, "size");
    Objects.requireNonNull(iops, "iops");
    Objects.requireNonNull(volumeType, "volumeType");
    Objects.requireNonNull(availabilityZone, "availabilityZone");
    Objects.requireNonNull(encrypted, "encrypted");
    Objects.requireNonNull(encryptionKey, "encryptionKey");
    Objects.requireNonNull(newFsType, "newFsType");
    Objects.requireNonNull(overwriteFs, "overwriteFs");
    Objects.requireNonNull(snapshotId, "snapshotId");
    Objects.requireNonNull(snapshotName, "snapshotName");
    Objects.requireNonNull(sourceVolumeId, "sourceVolumeId");
    Objects.requireNonNull(sourceVolumeName, "sourceVolumeName");
    Objects.requireNonNull(mount, "mount");
    iops.ifPresent(v -> checkIops(Long.toString(v), v));
    volumeType.ifPresent(v -> checkPattern("volumetype", v, LABEL));
    availabilityZone.ifPresent(v -> checkPattern("availabilityzone", v, LABEL));
    encryptionKey.ifPresent(v -> {
      if (!KEY_ID.matcher(v).matches()) {
        throw InvalidArgumentException.withoutValue("encryptionkey",
            "must be a key ID or ARN of letters, digits and ':/_.+=-'");
      }
    });
    snapshotId.ifPresent(v -> Identifiers.requireIdentifier("snapshotid", v));
    snapshotName.ifPresent(v -> Identifiers.requireIdentifier("snapshotname", v));
    sourceVolumeId.ifPresent(v -> Identifiers.requireIdentifier("volumeid", v));
    sourceVolumeName.ifPresent(v -> VolumeName.validate("volumename", v));
    TreeMap<String, String> sorted = new TreeMap<>();
    extra.forEach((k, v) -> {
      if (!EXTRA_KEY.matcher(k).matches() || KEYS.contains(k) || ALIASES.containsKey(k)) {
        throw new InvalidArgumentException("volume option", k,
            "is not a legal driver option name");
      }
      checkExtraValue(k, v);
      sorted.put(k, v);
    });
    extra = java.util.Collections.unmodifiableMap(sorted);
  }

  /**
   * Creates options that say nothing of how the volume is mounted.
   *
   * @param size {@code size}
   * @param iops {@code iops}
   * @param volumeType {@code volumetype}
   * @param availabilityZone {@code availabilityzone}
   * @param encrypted {@code encrypted}
   * @param encryptionKey {@code encryptionkey}
   * @param newFsType {@code newfstype}
   * @param overwriteFs {@code overwritefs}
   * @param snapshotId {@code snapshotid}
   * @param snapshotName {@code snapshotname}
   * @param sourceVolumeId {@code volumeid}
   * @param sourceVolumeName {@code volumename}
   * @param extra options a driver declares as its own
   */
  public VolumeOptions(Optional<ByteSize> size, Optional<Long> iops,
      Optional<String> volumeType, Optional<String> availabilityZone,
      Optional<Boolean> encrypted, Optional<String> encryptionKey, Optional<FsType> newFsType,
      Optional<Boolean> overwriteFs, Optional<String> snapshotId, Optional<String> snapshotName,
      Optional<String> sourceVolumeId, Optional<String> sourceVolumeName,
      Map<String, String> extra) {
    this(size, iops, volumeType, availabilityZone, encrypted, encryptionKey, newFsType,
        overwriteFs, snapshotId, snapshotName, sourceVolumeId, sourceVolumeName, extra,
        MountOptions.NONE);
  }

  /**
   * Parses options that every driver understands. Keys are matched case-insensitively.
   *
   * @param options the options as strings
   * @return the typed options
   * @throws InvalidArgumentException naming the first unknown key or malformed value
   */
  public static VolumeOptions parse(Map<String, String> options) {
    return parse(options, Set.of());
  }

  /**
   * Parses options, accepting the given driver-specific keys as well.
   *
   * @param options the options as strings
   * @param driverKeys extra keys the driver understands (lower case)
   * @return the typed options
   * @throws InvalidArgumentException naming the first unknown key or malformed value
   */
  public static VolumeOptions parse(Map<String, String> options, Set<String> driverKeys) {
    Objects.requireNonNull(options, "options");
    Map<String, String> canonical = new LinkedHashMap<>();
    Map<String, String> extra = new TreeMap<>();
    for (Map.Entry<String, String> e : options.entrySet()) {
      String given = e.getKey();
      if (given == null) {
        throw new InvalidArgumentException("volume option", null, "the key must not be null");
      }
      String lower = given.strip().toLowerCase(Locale.ROOT);
      String key = ALIASES.getOrDefault(lower, lower);
      String value = e.getValue();
      if (!KEYS.contains(key) && !driverKeys.contains(key)) {
        Set<String> known = new TreeSet<>(KEYS);
        known.addAll(ALIASES.keySet());
        known.addAll(driverKeys);
        throw new InvalidArgumentException("volume option", given, "unknown option"
            + ClosestMatch.in(key, known).map(k -> " (did you mean " + k + "?)").orElse("")
            + "; known options: " + String.join(", ", known));
      }
      if (value == null || value.strip().isEmpty()) {
        throw new InvalidArgumentException("volume option " + given, value,
            "must not be empty");
      }
      Map<String, String> target = KEYS.contains(key) ? canonical : extra;
      if (target.putIfAbsent(key, value.strip()) != null) {
        throw new InvalidArgumentException("volume option", given,
            "is given more than once (keys are case-insensitive; " + ALIASES + " are aliases)");
      }
    }
    return new VolumeOptions(
        opt(canonical, "size").map(ByteSize::parse),
        opt(canonical, "iops").map(v -> parseIops(v)),
        opt(canonical, "volumetype"),
        opt(canonical, "availabilityzone"),
        opt(canonical, "encrypted").map(v -> parseBoolean("encrypted", v)),
        opt(canonical, "encryptionkey"),
        opt(canonical, "newfstype").map(v -> parseFsType(v)),
        opt(canonical, "overwritefs").map(v -> parseBoolean("overwritefs", v)),
        opt(canonical, "snapshotid"),
        opt(canonical, "snapshotname"),
        opt(canonical, "volumeid"),
        opt(canonical, "volumename"),
        extra,
        mountOptions(canonical));
  }

  /** {@code mountoptions}, and {@code ro}, which must agree with {@code ro} or {@code rw} there. */
  private static MountOptions mountOptions(Map<String, String> canonical) {
    MountOptions mount = opt(canonical, "mountoptions").map(v -> {
      try {
        return MountOptions.parseJoined(v);
      } catch (InvalidArgumentException e) {
        throw new InvalidArgumentException("volume option mountoptions", v, e.getMessage());
      }
    }).orElse(MountOptions.NONE);
    Optional<Boolean> readOnly = opt(canonical, "ro").map(v -> parseBoolean("ro", v));
    return readOnly.isPresent() ? mount.withReadOnly(readOnly.get()) : mount;
  }

  /**
   * Parses dvdcli-style options: each item is {@code key=value}, and an item may hold several
   * comma-separated pairs (as {@code --volumeopts=a=1,b=2} and {@code DVDI_VOLUME_OPTS} do).
   *
   * @param items the items
   * @param driverKeys extra keys the driver understands (lower case)
   * @return the typed options
   * @throws InvalidArgumentException naming the first malformed item, key or value
   */
  public static VolumeOptions parsePairs(Collection<String> items, Set<String> driverKeys) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String item : items) {
      for (String pair : item.split(",", -1)) {
        if (pair.isBlank()) {
          continue;
        }
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw new InvalidArgumentException("volume option", pair, "must be key=value");
        }
        String key = pair.substring(0, eq).strip();
        if (map.putIfAbsent(key, pair.substring(eq + 1)) != null) {
          throw new InvalidArgumentException("volume option", key, "is given more than once");
        }
      }
    }
    return parse(map, driverKeys);
  }

  /**
   * Returns the options as a map in canonical spelling that {@link #parse} turns back into
   * equal options. The encryption key is included, so do not log the map.
   *
   * @return the options, keys in lower case, values as strings
   */
  public Map<String, String> toMap() {
    Map<String, String> map = new TreeMap<>();
    size.ifPresent(v -> map.put("size", v.toString()));
    iops.ifPresent(v -> map.put("iops", v.toString()));
    volumeType.ifPresent(v -> map.put("volumetype", v));
    availabilityZone.ifPresent(v -> map.put("availabilityzone", v));
    encrypted.ifPresent(v -> map.put("encrypted", v.toString()));
    encryptionKey.ifPresent(v -> map.put("encryptionkey", v));
    newFsType.ifPresent(v -> map.put("newfstype", v.name()));
    overwriteFs.ifPresent(v -> map.put("overwritefs", v.toString()));
    snapshotId.ifPresent(v -> map.put("snapshotid", v));
    snapshotName.ifPresent(v -> map.put("snapshotname", v));
    sourceVolumeId.ifPresent(v -> map.put("volumeid", v));
    sourceVolumeName.ifPresent(v -> map.put("volumename", v));
    mount.readOnly().ifPresent(v -> map.put("ro", v.toString()));
    if (!mount.options().isEmpty()) {
      map.put("mountoptions", String.join(MountOptions.SEPARATOR, mount.options()));
    }
    map.putAll(extra);
    return map;
  }

  /**
   * Returns the names of the options that are set, in canonical spelling.
   *
   * @return the keys
   */
  public Set<String> keys() {
    return toMap().keySet();
  }

  /**
   * Returns these options with every unset one taken from the defaults.
   *
   * @param defaults the defaults (from the configuration)
   * @return the merged options
   */
  public VolumeOptions orElse(VolumeOptions defaults) {
    Map<String, String> merged = new TreeMap<>(defaults.extra);
    merged.putAll(extra);
    return new VolumeOptions(
        size.or(defaults::size), iops.or(defaults::iops), volumeType.or(defaults::volumeType),
        availabilityZone.or(defaults::availabilityZone), encrypted.or(defaults::encrypted),
        encryptionKey.or(defaults::encryptionKey), newFsType.or(defaults::newFsType),
        overwriteFs.or(defaults::overwriteFs), snapshotId.or(defaults::snapshotId),
        snapshotName.or(defaults::snapshotName), sourceVolumeId.or(defaults::sourceVolumeId),
        sourceVolumeName.or(defaults::sourceVolumeName), merged,
        mount.isEmpty() ? defaults.mount : mount);
  }

  /**
   * Returns what a volume created with these options is created from.
   *
   * @return the snapshot or volume the options name; empty for an empty volume
   * @throws InvalidArgumentException when more than one of {@code snapshotid},
   *     {@code snapshotname}, {@code volumeid} and {@code volumename} is set
   */
  public Optional<VolumeSource> source() {
    List<VolumeSource> named = new ArrayList<>();
    snapshotId.ifPresent(v -> named.add(new VolumeSource(VolumeSource.Kind.SNAPSHOT_ID, v)));
    snapshotName.ifPresent(v -> named.add(new VolumeSource(VolumeSource.Kind.SNAPSHOT_NAME, v)));
    sourceVolumeId.ifPresent(v -> named.add(new VolumeSource(VolumeSource.Kind.VOLUME_ID, v)));
    sourceVolumeName.ifPresent(v -> named.add(new VolumeSource(VolumeSource.Kind.VOLUME_NAME,
        v)));
    if (named.size() > 1) {
      throw new InvalidArgumentException("volume options", String.join(", ", named.stream()
          .map(n -> n.kind().option()).toList()), "name at most one source to create a volume"
          + " from: snapshotid, snapshotname, volumeid or volumename");
    }
    return named.stream().findFirst();
  }

  /**
   * Returns whether the device is to be formatted even when it has a file system.
   *
   * @return the {@code overwritefs} option, false when unset
   */
  public boolean overwriteFsOrFalse() {
    return overwriteFs.orElse(false);
  }

  @Override
  public String toString() {
    Map<String, String> shown = toMap();
    shown.computeIfPresent("encryptionkey", (k, v) -> "****");
    return "VolumeOptions" + shown;
  }

  private static Optional<String> opt(Map<String, String> map, String key) {
    return Optional.ofNullable(map.get(key));
  }

  private static long parseIops(String text) {
    long value;
    try {
      value = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new InvalidArgumentException("iops", text, "must be a whole number");
    }
    checkIops(text, value);
    return value;
  }

  private static void checkIops(String text, long value) {
    if (value <= 0 || value > MAX_IOPS) {
      throw new InvalidArgumentException("iops", text, "must be from 1 to " + MAX_IOPS);
    }
  }

  private static FsType parseFsType(String text) {
    try {
      return FsType.of(text);
    } catch (InvalidArgumentException e) {
      throw new InvalidArgumentException("newfstype", text,
          "unknown file system type; known types: " + String.join(", ", FsType.KNOWN));
    }
  }

  /**
   * Parses a boolean: the words of Go's {@code strconv.ParseBool}, which REX-Ray used (1, t,
   * true, 0, f, false), and YAML 1.1's (y, yes, on, n, no, off), in any case. This is the one
   * boolean syntax of Stowage: volume options, configuration and flags all use it.
   *
   * @param field the option name, for the error
   * @param text the text
   * @return the value
   * @throws InvalidArgumentException when the text is not one of those words
   */
  public static boolean parseBoolean(String field, String text) {
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "1", "t", "true", "y", "yes", "on" -> true;
      case "0", "f", "false", "n", "no", "off" -> false;
      default -> throw new InvalidArgumentException(field, text, "must be true or false");
    };
  }

  private static void checkPattern(String field, String value, Pattern pattern) {
    if (!pattern.matcher(value).matches()) {
      throw new InvalidArgumentException(field, value,
          "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
  }

  private static void checkExtraValue(String key, String value) {
    if (value == null || value.isEmpty() || value.length() > MAX_EXTRA_VALUE
        || value.chars().anyMatch(Character::isISOControl)) {
      throw new InvalidArgumentException("volume option " + key, value,
          "must be 1 to " + MAX_EXTRA_VALUE + " characters without control characters");
    }
  }

  /**
   * Lists every option name that is set and not understood by a driver with the given
   * capabilities; used to reject them with a clear error.
   *
   * @param capabilities the driver's capabilities
   * @return the option names the driver cannot honour, with the capability each needs
   */
  public Map<String, Capability> unsupportedBy(Set<Capability> capabilities) {
    Map<String, Capability> needed = new TreeMap<>();
    need(needed, capabilities, iops.isPresent(), "iops", Capability.IOPS);
    need(needed, capabilities, volumeType.isPresent(), "volumetype", Capability.VOLUME_TYPES);
    need(needed, capabilities, availabilityZone.isPresent(), "availabilityzone",
        Capability.AVAILABILITY_ZONES);
    need(needed, capabilities, encrypted.orElse(false), "encrypted", Capability.ENCRYPTION);
    need(needed, capabilities, encryptionKey.isPresent(), "encryptionkey", Capability.ENCRYPTION);
    need(needed, capabilities, snapshotId.isPresent(), "snapshotid",
        Capability.CREATE_FROM_SNAPSHOT);
    need(needed, capabilities, snapshotName.isPresent(), "snapshotname",
        Capability.CREATE_FROM_SNAPSHOT);
    need(needed, capabilities, sourceVolumeId.isPresent(), "volumeid", Capability.COPY_VOLUME);
    need(needed, capabilities, sourceVolumeName.isPresent(), "volumename",
        Capability.COPY_VOLUME);
    return needed;
  }

  private static void need(Map<String, Capability> needed, Set<Capability> capabilities,
      boolean set, String key, Capability capability) {
    if (set && !capabilities.contains(capability)) {
      needed.put(key, capability);
    }
  }
}
