package io.stowage.mesos;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.model.VolumeName;
import io.stowage.model.VolumeOptions;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads the volumes a Mesos task asks for, with the rules of mesos-module-dvdi and Marathon, so
 * that a task launched by Stowage asks for exactly what it would ask those for. Every problem is
 * an {@link InvalidArgumentException} naming the variable or app field and the rule, found
 * before anything is mounted.
 *
 * <p>A task's environment declares volumes with {@code DVDI_VOLUME_NAME},
 * {@code DVDI_VOLUME_DRIVER} (default {@value #DEFAULT_DRIVER}), {@code DVDI_VOLUME_OPTS}
 * (comma-separated {@code key=value}), {@code DVDI_VOLUME_CONTAINERPATH} and
 * {@code DVDI_VOLUME_EXPLICITCREATE} ({@code true} or {@code false}), each with an optional
 * one-digit suffix that groups the variables of one volume: at most {@value #MAX_VOLUMES}
 * volumes, the unsuffixed one being volume 0 as {@code 0} is. As mesos-module-dvdi requires,
 * the name, driver, options and explicit-create variables hold none of
 * {@value #FORBIDDEN_CHARACTERS} nor a control character, a container path starts with
 * {@code /}, a volume declared twice (same driver and name, ignoring case) counts once and may
 * not have a container path the second time, and every variable's name ends in at most one
 * digit. Stowage also refuses what the module let slip: any other {@code DVDI_VOLUME_}
 * variable ({@code DVDI_VOLUME_DVDCLI}, the module's path to dvdcli, is ignored), a variable of
 * a volume that has no name, an empty option, two volumes on one container path, and a container
 * path with {@code .} or {@code ..} in it. Whether a container path exists is for whoever mounts
 * to check.
 *
 * <p>A Marathon app declares them in its {@code env} block, as above, and as
 * {@code container.volumes[].external} with {@code provider: "dvdi"}; its options are its
 * {@code dvdi/*} options ({@code dvdi/driver} names the driver) and {@code size} its
 * {@code external.size}, as Marathon passes them on. Marathon's rules apply: at most one
 * instance, an upgrade strategy with {@code minimumHealthCapacity} at most 0.5 and
 * {@code maximumOverCapacity} 0, unique volume names, names and drivers that are labels,
 * {@code dvdi/iops} a natural number and {@code dvdi/overwritefs} a boolean for the
 * {@code rexray} driver, read-write volumes in Mesos containers, only {@code dvdi/driver} and
 * no size in Docker containers, and an absolute container path. Stowage applies the instance
 * and upgrade rules to volumes of the {@code env} block too.
 *
 * <p>Stateless and thread-safe.
 */
public final class DvdiVolumes {
  /** The prefix of every DVDI variable. */
  public static final String PREFIX = "DVDI_VOLUME_";
  /** The driver of a volume whose environment names none: REX-Ray's, the default service. */
  public static final String DEFAULT_DRIVER = "rexray";
  /** The most volumes a task declares: the unsuffixed one and suffixes 1 to 9. */
  public static final int MAX_VOLUMES = 10;
  /**
   * The characters mesos-module-dvdi refuses in a volume's name, driver and options, besides
   * control characters (it passed them to a shell).
   */
  public static final String FORBIDDEN_CHARACTERS = "% / : ; < > | ` $ ' ? ^ & { \" } [ ] \\"
      + " and space";
  /** The largest Marathon app read: 1 MiB. */
  public static final int MAX_APP_LENGTH = 1 << 20;

  static final String NAME = PREFIX + "NAME";
  static final String DRIVER = PREFIX + "DRIVER";
  static final String OPTS = PREFIX + "OPTS";
  static final String CONTAINER_PATH = PREFIX + "CONTAINERPATH";
  static final String EXPLICIT_CREATE = PREFIX + "EXPLICITCREATE";
  private static final String DVDCLI = PREFIX + "DVDCLI";
  private static final List<String> KINDS =
      List.of(NAME, DRIVER, OPTS, CONTAINER_PATH, EXPLICIT_CREATE);
  private static final String FORBIDDEN = "%/:;<>|`$'?^& {\"}[]\\";
  private static final String FORBIDDEN_RULE = "must not contain any of "
      + FORBIDDEN_CHARACTERS + ", nor a control character (mesos-module-dvdi's rule)";
  private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[-a-z0-9]*[a-z0-9])?");
  private static final Pattern OPTION_KEY = Pattern.compile(
      "[a-z0-9](?:[-a-z0-9]*[a-z0-9])?/[A-Za-z0-9](?:[-A-Za-z0-9._:]*[A-Za-z0-9])?");
  private static final String LABEL_RULE = "must be a label: lower-case letters, digits and"
      + " '-', starting and ending with a letter or digit (Marathon's rule)";
  private static final String DVDI_OPTION = "dvdi/";
  private static final String DRIVER_OPTION = "dvdi/driver";
  private static final int MAX_NESTING = 100;
  private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING)
              .maxStringLength(MAX_APP_LENGTH).build())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build())
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private DvdiVolumes() {}

  /**
   * Reads the volumes a task's environment declares. Variables that do not start with
   * {@value #PREFIX} are left alone.
   *
   * @param environment the task's environment, such as {@link System#getenv()}
   * @return the volumes, in the order of their suffixes, a volume declared twice once
   * @throws InvalidArgumentException naming the first variable that breaks a rule, and the rule
   */
  public static List<DvdiVolume> fromEnvironment(Map<String, String> environment) {
    return finish(slots(environment, ""), List.of());
  }

  /**
   * Reads the volumes a Marathon app declares: DVDI variables in its {@code env} block, and
   * external volumes of the {@code dvdi} provider in {@code container.volumes}, numbered after
   * the variables' as Marathon numbers them. Other volumes are left alone.
   *
   * @param json the app definition, at most {@value #MAX_APP_LENGTH} characters
   * @return the volumes, those of the {@code env} block first
   * @throws InvalidArgumentException naming the first field or variable that breaks a rule, and
   *     the rule
   */
  public static List<DvdiVolume> fromMarathonApp(String json) {
    if (json.length() > MAX_APP_LENGTH) {
      throw InvalidArgumentException.withoutValue("Marathon app", "is longer than "
          + MAX_APP_LENGTH + " characters, the most Stowage reads");
    }
    JsonNode app = parse(json);
    if (!app.isObject()) {
      throw InvalidArgumentException.withoutValue("Marathon app", "must be a JSON object");
    }
    Map<String, String> env = new LinkedHashMap<>();
    JsonNode envNode = app.path("env");
    if (!envNode.isMissingNode() && !envNode.isNull()) {
      if (!envNode.isObject()) {
        throw InvalidArgumentException.withoutValue("env", "must be an object of variables");
      }
      for (Map.Entry<String, JsonNode> e : envNode.properties()) {
        if (e.getKey().startsWith(PREFIX)) {
          env.put(e.getKey(), text(e.getValue(), "env." + e.getKey()));
        }
      }
    }
    Map<Integer, Slot> slots = slots(env, "env.");
    List<External> externals = externals(app);
    int next = slots.isEmpty() ? 0 : slots.keySet().stream().mapToInt(i -> i).max().orElse(0) + 1;
    if (!externals.isEmpty() && next + externals.size() > MAX_VOLUMES) {
      External over = externals.get(Math.max(0, MAX_VOLUMES - next));
      throw InvalidArgumentException.withoutValue(over.path(), "an app declares at most "
          + MAX_VOLUMES + " volumes with its env block (" + slots.size() + " here) and"
          + " container.volumes together");
    }
    List<DvdiVolume> volumes = finish(slots, externals.stream().map(External::volume).toList());
    if (!volumes.isEmpty()) {
      appRules(app, volumes.get(0).source());
    }
    return volumes;
  }

  /** The variables of one suffix. */
  private static final class Slot {
    private final Map<String, String> values = new HashMap<>();
    private final Map<String, String> variables = new HashMap<>();
  }

  /** An external volume of the app, with the path of its {@code external} object. */
  private record External(String path, DvdiVolume volume) {}

  /** Sorts the DVDI variables by suffix, checking their names and values. */
  private static Map<Integer, Slot> slots(Map<String, String> environment, String prefix) {
    Map<Integer, Slot> slots = new TreeMap<>();
    for (Map.Entry<String, String> e : new TreeMap<>(nonNull(environment)).entrySet()) {
      String variable = e.getKey();
      if (!variable.startsWith(PREFIX) || variable.equals(DVDCLI)) {
        continue;
      }
      String field = prefix + shown(variable);
      String kind = KINDS.stream().filter(variable::startsWith).findFirst().orElseThrow(() ->
          InvalidArgumentException.withoutValue(field, "is not a DVDI variable: they are "
              + String.join(", ", KINDS) + ", each with an optional one-digit suffix"));
      int index = index(field, variable.substring(kind.length()));
      String value = e.getValue();
      if (!kind.equals(CONTAINER_PATH)) {
        requireAllowed(field, value);
      }
      Slot slot = slots.computeIfAbsent(index, i -> new Slot());
      String before = slot.variables.put(kind, field);
      if (before != null) {
        throw InvalidArgumentException.withoutValue(field, "declares the same volume's "
            + kind.substring(PREFIX.length()).toLowerCase(Locale.ROOT) + " as " + before
            + " (no suffix and the suffix 0 are one volume)");
      }
      slot.values.put(kind, value);
    }
    slots.values().removeIf(s -> s.values.size() == 1 && "".equals(s.values.get(NAME)));
    return slots;
  }

  /** A variable's name as errors show it: quoted when it holds more than visible ASCII. */
  private static String shown(String variable) {
    return variable.chars().allMatch(c -> c > ' ' && c < 0x7f) ? variable
        : InvalidArgumentException.quote(variable);
  }

  private static Map<String, String> nonNull(Map<String, String> environment) {
    Map<String, String> copy = new HashMap<>();
    environment.forEach((k, v) -> {
      if (k != null && k.startsWith(PREFIX)) {
        if (v == null) {
          throw InvalidArgumentException.withoutValue(shown(k), "has no value");
        }
        copy.put(k, v);
      }
    });
    return copy;
  }

  /** The volume index a variable's suffix gives: none or one digit. */
  private static int index(String field, String suffix) {
    if (suffix.isEmpty()) {
      return 0;
    }
    if (suffix.length() == 1 && suffix.charAt(0) >= '0' && suffix.charAt(0) <= '9') {
      return suffix.charAt(0) - '0';
    }
    if (suffix.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw InvalidArgumentException.withoutValue(field, "a task declares at most "
          + MAX_VOLUMES + " volumes, suffixed by none or one digit 0 to 9: the eleventh has"
          + " no suffix left");
    }
    throw InvalidArgumentException.withoutValue(field, "must end in its kind's name and at"
        + " most one digit 0 to 9, such as " + NAME + "1");
  }

  /** Turns the slots and the app's external volumes into volumes, checking the task's rules. */
  private static List<DvdiVolume> finish(Map<Integer, Slot> slots, List<DvdiVolume> externals) {
    List<DvdiVolume> volumes = new ArrayList<>();
    for (Slot slot : slots.values()) {
      String nameVariable = slot.variables.get(NAME);
      String name = slot.values.getOrDefault(NAME, "");
      if (name.isEmpty()) {
        String any = slot.variables.values().stream().sorted().findFirst().orElseThrow();
        throw InvalidArgumentException.withoutValue(any, "belongs to a volume without a name:"
            + " set " + (nameVariable != null ? nameVariable
                : any.replaceFirst("DVDI_VOLUME_[A-Z]+", NAME)));
      }
      volumes.add(fromSlot(slot, nameVariable));
    }
    volumes.addAll(externals);
    return deduplicated(volumes);
  }

  private static DvdiVolume fromSlot(Slot slot, String nameVariable) {
    String name = slot.values.get(NAME);
    if (!VolumeName.isLegal(name)) {
      throw new InvalidArgumentException(nameVariable, name, "must be a volume name: a letter"
          + " or digit, then letters, digits, '_', '.' and '-', at most "
          + VolumeName.MAX_LENGTH + " characters");
    }
    String driver = slot.values.getOrDefault(DRIVER, "");
    Map<String, String> options = options(slot.variables.get(OPTS),
        slot.values.getOrDefault(OPTS, ""));
    Optional<Path> containerPath = containerPath(slot.variables.get(CONTAINER_PATH),
        slot.values.getOrDefault(CONTAINER_PATH, ""));
    boolean explicitCreate = explicitCreate(slot.variables.get(EXPLICIT_CREATE),
        slot.values.getOrDefault(EXPLICIT_CREATE, "false"));
    return new DvdiVolume(name, driver.isEmpty() ? DEFAULT_DRIVER : driver, options,
        containerPath, explicitCreate, nameVariable);
  }

  /**
   * Parses {@code key=value,key=value}. Each item is an option, as dvdcli's
   * {@code --volumeopts} takes it; an empty value declares none. The options every driver
   * knows are checked now; a driver's own when the driver is known.
   */
  private static Map<String, String> options(String field, String text) {
    Map<String, String> options = new LinkedHashMap<>();
    if (text.isEmpty()) {
      return options;
    }
    Map<String, String> seen = new HashMap<>();
    for (String item : text.split(",", -1)) {
      int eq = item.indexOf('=');
      if (item.isEmpty()) {
        throw InvalidArgumentException.withoutValue(field, "holds an empty option: options are"
            + " key=value separated by single commas");
      }
      if (eq <= 0) {
        throw InvalidArgumentException.withoutValue(field, "holds an option without a key and"
            + " '=' before its value: options are key=value separated by commas");
      }
      String key = item.substring(0, eq);
      String before = seen.put(key.toLowerCase(Locale.ROOT), key);
      if (before != null) {
        throw InvalidArgumentException.withoutValue(field, "gives the option " + key
            + " twice (keys ignore case)");
      }
      options.put(key, item.substring(eq + 1));
    }
    checkCommonOptions(field, options);
    return options;
  }

  /** Checks the values of the options every driver knows, naming where they came from. */
  private static void checkCommonOptions(String field, Map<String, String> options) {
    Map<String, String> common = new LinkedHashMap<>();
    options.forEach((k, v) -> {
      String lower = k.toLowerCase(Locale.ROOT);
      if (VolumeOptions.KEYS.contains(lower) || lower.equals("type")) {
        common.put(k, v);
      }
    });
    try {
      VolumeOptions.parse(common);
    } catch (InvalidArgumentException e) {
      throw InvalidArgumentException.withoutValue(field, e.getMessage());
    }
  }

  private static Optional<Path> containerPath(String field, String text) {
    if (text.isEmpty()) {
      return Optional.empty();
    }
    if (!text.startsWith("/")) {
      throw new InvalidArgumentException(field, text, "must be an absolute path, starting with"
          + " /");
    }
    if (text.chars().anyMatch(Character::isISOControl)) {
      throw InvalidArgumentException.withoutValue(field, "must not hold a control character");
    }
    for (String segment : text.substring(1).split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        throw new InvalidArgumentException(field, text, "must not hold . or .. segments");
      }
    }
    try {
      return Optional.of(Path.of(text).normalize());
    } catch (InvalidPathException e) {
      throw new InvalidArgumentException(field, text, "must be a path");
    }
  }

  private static boolean explicitCreate(String field, String text) {
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new InvalidArgumentException(field, text, "must be true or false");
    };
  }

  private static void requireAllowed(String field, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (FORBIDDEN.indexOf(c) >= 0 || Character.isISOControl(c)) {
        throw new InvalidArgumentException(field, value, FORBIDDEN_RULE);
      }
    }
  }

  /**
   * A volume declared twice, the same driver and name ignoring case, counts once, and may not
   * give a container path the second time; two volumes may not share a container path.
   */
  private static List<DvdiVolume> deduplicated(List<DvdiVolume> volumes) {
    Map<String, DvdiVolume> byIdentity = new LinkedHashMap<>();
    Map<Path, DvdiVolume> byPath = new HashMap<>();
    for (DvdiVolume volume : volumes) {
      String identity = volume.driver().toLowerCase(Locale.ROOT) + "/"
          + volume.name().toLowerCase(Locale.ROOT);
      DvdiVolume first = byIdentity.get(identity);
      if (first != null) {
        if (volume.containerPath().isPresent()) {
          throw InvalidArgumentException.withoutValue(volume.source(), "declares volume "
              + volume.name() + " of driver " + volume.driver() + " again, as "
              + first.source() + " did, with a container path: a repeated volume may not have"
              + " one");
        }
        continue;
      }
      if (volume.containerPath().isPresent()) {
        DvdiVolume other = byPath.put(volume.containerPath().get(), volume);
        if (other != null) {
          throw InvalidArgumentException.withoutValue(volume.source(), "puts volume "
              + volume.name() + " on container path " + volume.containerPath().get()
              + ", where " + other.source() + " puts volume " + other.name()
              + ": two volumes cannot share a container path");
        }
      }
      byIdentity.put(identity, volume);
    }
    return List.copyOf(byIdentity.values());
  }

  private static JsonNode parse(String json) {
    try {
      JsonNode node = JSON.readTree(json);
      if (node == null) {
        throw InvalidArgumentException.withoutValue("Marathon app", "is empty");
      }
      return node;
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr() + ", column "
              + e.getLocation().getColumnNr();
      throw InvalidArgumentException.withoutValue("Marathon app", "is not valid JSON" + where
          + " (an object holds each key once, and values nest at most " + MAX_NESTING
          + " deep)");
    }
  }

  /** The external volumes of the {@code dvdi} provider in {@code container.volumes}. */
  private static List<External> externals(JsonNode app) {
    JsonNode container = app.path("container");
    if (container.isMissingNode() || container.isNull()) {
      return List.of();
    }
    if (!container.isObject()) {
      throw InvalidArgumentException.withoutValue("container", "must be an object");
    }
    String type = container.has("type") ? text(container.get("type"), "container.type")
        : "DOCKER";
    if (!type.equals("DOCKER") && !type.equals("MESOS")) {
      throw new InvalidArgumentException("container.type", type, "must be DOCKER or MESOS");
    }
    boolean docker = type.equals("DOCKER");
    JsonNode volumes = container.path("volumes");
    if (volumes.isMissingNode() || volumes.isNull()) {
      return List.of();
    }
    if (!volumes.isArray()) {
      throw InvalidArgumentException.withoutValue("container.volumes", "must be an array");
    }
    List<External> externals = new ArrayList<>();
    Map<String, String> names = new HashMap<>();
    for (int i = 0; i < volumes.size(); i++) {
      String path = "container.volumes[" + i + "]";
      JsonNode volume = volumes.get(i);
      if (!volume.isObject()) {
        throw InvalidArgumentException.withoutValue(path, "must be an object");
      }
      JsonNode external = volume.path("external");
      if (external.isMissingNode() || external.isNull()) {
        continue;
      }
      if (!external.isObject()) {
        throw InvalidArgumentException.withoutValue(path + ".external", "must be an object");
      }
      String provider = text(external.path("provider"), path + ".external.provider");
      if (!provider.equals("dvdi")) {
        throw new InvalidArgumentException(path + ".external.provider", provider,
            "must be dvdi, the one provider of external volumes Stowage serves");
      }
      External parsed = external(volume, path, docker);
      String before = names.put(parsed.volume().name(), path);
      if (before != null) {
        throw InvalidArgumentException.withoutValue(path + ".external.name", "declares volume "
            + parsed.volume().name() + " again, as " + before + " did: an app declares each"
            + " DVDI volume once (Marathon's rule)");
      }
      externals.add(parsed);
    }
    return externals;
  }

  private static External external(JsonNode volume, String path, boolean docker) {
    String ext = path + ".external";
    String name = text(volume.path("external").path("name"), ext + ".name");
    if (!LABEL.matcher(name).matches()) {
      throw new InvalidArgumentException(ext + ".name", name, LABEL_RULE);
    }
    String mode = volume.has("mode") ? text(volume.get("mode"), path + ".mode") : "RW";
    if (!docker && !mode.equals("RW")) {
      throw new InvalidArgumentException(path + ".mode", mode, "must be RW: Mesos containers"
          + " mount DVDI volumes read-write (Marathon's rule)");
    }
    String containerPath = text(volume.path("containerPath"), path + ".containerPath");
    if (containerPath.isEmpty() || containerPath.equals(".") || containerPath.equals("..")) {
      throw new InvalidArgumentException(path + ".containerPath", containerPath,
          "must be an absolute path in the container");
    }
    Optional<Path> target = containerPath(path + ".containerPath", containerPath);
    JsonNode optionsNode = volume.path("external").path("options");
    Map<String, String> given = new LinkedHashMap<>();
    if (!optionsNode.isMissingNode() && !optionsNode.isNull()) {
      if (!optionsNode.isObject()) {
        throw InvalidArgumentException.withoutValue(ext + ".options", "must be an object");
      }
      for (Map.Entry<String, JsonNode> e : optionsNode.properties()) {
        String field = ext + ".options[\"" + e.getKey() + "\"]";
        if (!OPTION_KEY.matcher(e.getKey()).matches()) {
          throw InvalidArgumentException.withoutValue(ext + ".options", "holds the key "
              + InvalidArgumentException.quote(e.getKey()) + ", which is not namespace/name"
              + " such as dvdi/volumetype (Marathon's rule)");
        }
        given.put(e.getKey(), text(e.getValue(), field));
      }
    }
    String driverField = ext + ".options[\"" + DRIVER_OPTION + "\"]";
    String driver = given.get(DRIVER_OPTION);
    if (driver == null) {
      throw InvalidArgumentException.withoutValue(driverField, "must name the volume driver");
    }
    if (!LABEL.matcher(driver).matches()) {
      throw new InvalidArgumentException(driverField, driver, LABEL_RULE);
    }
    JsonNode sizeNode = volume.path("external").path("size");
    Optional<Long> size = Optional.empty();
    if (!sizeNode.isMissingNode() && !sizeNode.isNull()) {
      if (!sizeNode.canConvertToExactIntegral() || !sizeNode.canConvertToLong()
          || sizeNode.asLong() <= 0) {
        throw InvalidArgumentException.withoutValue(ext + ".size", "must be a whole number"
            + " of GiB greater than 0");
      }
      size = Optional.of(sizeNode.asLong());
    }
    if (docker) {
      if (given.size() > 1) {
        throw InvalidArgumentException.withoutValue(ext + ".options", "must only contain "
            + DRIVER_OPTION + " for Docker containers (Marathon's rule)");
      }
      if (size.isPresent()) {
        throw InvalidArgumentException.withoutValue(ext + ".size", "must be undefined for"
            + " Docker containers, which cannot create volumes (Marathon's rule)");
      }
    }
    if (driver.equals(DEFAULT_DRIVER)) {
      rexrayOptions(ext, given);
    }
    Map<String, String> options = new LinkedHashMap<>();
    given.forEach((key, value) -> {
      if (key.startsWith(DVDI_OPTION) && !key.equals(DRIVER_OPTION)) {
        String field = ext + ".options[\"" + key + "\"]";
        String trimmed = value.strip();
        requireAllowed(field, key.substring(DVDI_OPTION.length()));
        requireAllowed(field, trimmed);
        if (trimmed.indexOf(',') >= 0 || trimmed.isEmpty()) {
          throw new InvalidArgumentException(field, trimmed, "must be a value without commas,"
              + " as it is passed on in " + OPTS);
        }
        options.put(key.substring(DVDI_OPTION.length()), trimmed);
      }
    });
    size.ifPresent(s -> {
      options.keySet().removeIf(k -> k.equalsIgnoreCase("size"));
      options.put("size", Long.toString(s));
    });
    checkCommonOptions(ext + ".options", options);
    return new External(ext, new DvdiVolume(name, driver, options, target, false, ext));
  }

  /** Marathon's checks of the options of the {@code rexray} driver. */
  private static void rexrayOptions(String ext, Map<String, String> given) {
    for (String label : List.of("dvdi/volumetype", "dvdi/newfstype")) {
      String value = given.get(label);
      if (value != null && !LABEL.matcher(value).matches()) {
        throw new InvalidArgumentException(ext + ".options[\"" + label + "\"]", value,
            LABEL_RULE);
      }
    }
    String iops = given.get("dvdi/iops");
    if (iops != null) {
      long parsed;
      try {
        parsed = Long.parseLong(iops);
      } catch (NumberFormatException e) {
        parsed = 0;
      }
      if (parsed <= 0) {
        throw new InvalidArgumentException(ext + ".options[\"dvdi/iops\"]", iops,
            "must be a natural number (Marathon's rule)");
      }
    }
    String overwrite = given.get("dvdi/overwritefs");
    if (overwrite != null && !overwrite.equalsIgnoreCase("true")
        && !overwrite.equalsIgnoreCase("false")) {
      throw new InvalidArgumentException(ext + ".options[\"dvdi/overwritefs\"]", overwrite,
          "must be true or false (Marathon's rule)");
    }
  }

  /** Marathon's rules for an app with DVDI volumes: one instance, a resident upgrade. */
  private static void appRules(JsonNode app, String firstVolume) {
    JsonNode instances = app.path("instances");
    if (!instances.isMissingNode() && !instances.isNull()) {
      if (!instances.canConvertToExactIntegral() || !instances.canConvertToLong()
          || instances.asLong() < 0) {
        throw InvalidArgumentException.withoutValue("instances", "must be a whole number");
      }
      if (instances.asLong() > 1) {
        throw new InvalidArgumentException("instances", instances.asText(), "must be at most"
            + " 1: an app with DVDI volumes (" + firstVolume + ") runs one instance, as a"
            + " volume attaches to one host (Marathon's rule)");
      }
    }
    JsonNode strategy = app.path("upgradeStrategy");
    if (strategy.isMissingNode() || strategy.isNull()) {
      return;
    }
    if (!strategy.isObject()) {
      throw InvalidArgumentException.withoutValue("upgradeStrategy", "must be an object");
    }
    double health = number(strategy, "minimumHealthCapacity");
    double over = number(strategy, "maximumOverCapacity");
    if (health > 0.5) {
      throw InvalidArgumentException.withoutValue("upgradeStrategy.minimumHealthCapacity",
          "must be at most 0.5 (default 1) for an app with DVDI volumes, which stops its"
              + " instance before it starts the next (Marathon's rule)");
    }
    if (over != 0) {
      throw InvalidArgumentException.withoutValue("upgradeStrategy.maximumOverCapacity",
          "must be 0 (default 1) for an app with DVDI volumes, which never runs a second"
              + " instance beside the first (Marathon's rule)");
    }
  }

  private static double number(JsonNode strategy, String field) {
    JsonNode node = strategy.path(field);
    if (node.isMissingNode() || node.isNull()) {
      return 1;
    }
    if (!node.isNumber() || node.asDouble() < 0 || node.asDouble() > 1) {
      throw InvalidArgumentException.withoutValue("upgradeStrategy." + field,
          "must be a number from 0 to 1");
    }
    return node.asDouble();
  }

  private static String text(JsonNode node, String field) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      throw InvalidArgumentException.withoutValue(field, "is missing");
    }
    if (!node.isTextual()) {
      throw InvalidArgumentException.withoutValue(field, "must be a string");
    }
    return node.asText();
  }
}
