package io.stowage.mesos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stowage.exception.InvalidArgumentException;
import io.stowage.internal.config.ReliabilityTries;
import io.stowage.model.VolumeName;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.statistics.Statistics;

/**
 * What any environment or Marathon app does to the parser: a hostile one ends in an
 * {@link InvalidArgumentException} and nothing else, and every volume a parse returns keeps
 * the rules; a valid one, written as Marathon writes it, reads back as the volumes it declares.
 * The reliability profile runs each 10,000 times ({@link ReliabilityTries}).
 */
@AddLifecycleHook(ReliabilityTries.class)
class DvdiVolumesProperties {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> KINDS = List.of("NAME", "DRIVER", "OPTS", "CONTAINERPATH",
      "EXPLICITCREATE", "DVDCLI", "NAMES", "OPT", "");
  private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[-a-z0-9]*[a-z0-9])?");

  /** A volume to declare, with the suffix of its variables. */
  record Declared(int slot, DvdiVolume volume) {}

  @Property(tries = 500)
  void hostileEnvironmentsEndInTheTypedErrorOrInVolumesThatKeepTheRules(
      @ForAll("hostileEnvironments") Map<String, String> environment) {
    List<DvdiVolume> volumes;
    try {
      volumes = DvdiVolumes.fromEnvironment(environment);
    } catch (InvalidArgumentException e) {
      assertTrue(e.field().startsWith("DVDI_VOLUME_") || e.field().startsWith("\"DVDI_VOLUME_"),
          e.field());
      assertTrue(e.getMessage().chars().noneMatch(c -> c == '\n' || c == 0), e.getMessage());
      Statistics.collect("refused");
      return;
    }
    Statistics.collect("read");
    checkRules(volumes);
  }

  @Property(tries = 300)
  void hostileAppsEndInTheTypedErrorOrInVolumesThatKeepTheRules(
      @ForAll("hostileApps") String json) {
    List<DvdiVolume> volumes;
    try {
      volumes = DvdiVolumes.fromMarathonApp(json);
    } catch (InvalidArgumentException e) {
      Statistics.collect("refused");
      return;
    }
    Statistics.collect("read");
    checkRules(volumes);
  }

  @Property(tries = 300)
  void validEnvironmentsReadBackAsTheirVolumes(@ForAll("declarations") List<Declared> declared) {
    Map<String, String> environment = new LinkedHashMap<>(Map.of("PATH", "/usr/bin"));
    for (Declared d : declared) {
      environment.putAll(variables(d, ""));
    }
    List<DvdiVolume> expected = declared.stream().map(d -> withSource(d.volume(),
        "DVDI_VOLUME_NAME" + suffix(d.slot()))).toList();
    assertEquals(expected, DvdiVolumes.fromEnvironment(environment));
  }

  @Property(tries = 200)
  void validAppsReadBackAsTheirVolumes(@ForAll("declarations") List<Declared> declared)
      throws Exception {
    ObjectNode app = JSON.createObjectNode();
    app.put("id", "/db").put("instances", 1);
    app.putObject("upgradeStrategy").put("minimumHealthCapacity", 0)
        .put("maximumOverCapacity", 0);
    ObjectNode env = app.putObject("env");
    ArrayNode volumes = app.putObject("container").put("type", "MESOS").putArray("volumes");
    List<DvdiVolume> fromEnv = new ArrayList<>();
    List<DvdiVolume> external = new ArrayList<>();
    for (int i = 0; i < declared.size(); i++) {
      DvdiVolume v = declared.get(i).volume();
      // Marathon's external volumes have label names, are read-write, and are never created
      // explicitly; the others go to the env block, in its first slots, as Marathon numbers
      // external volumes after them.
      if (i < declared.size() / 2 || !LABEL.matcher(v.name()).matches() || v.explicitCreate()) {
        int slot = fromEnv.size();
        variables(new Declared(slot, v), "").forEach(env::put);
        fromEnv.add(withSource(v, "env.DVDI_VOLUME_NAME" + suffix(slot)));
        continue;
      }
      ObjectNode volume = volumes.addObject();
      volume.put("mode", "RW");
      String path = v.containerPath().orElse(Path.of("/mnt/" + i)).toString();
      volume.put("containerPath", path);
      ObjectNode options = volume.putObject("external").put("name", v.name())
          .put("provider", "dvdi").putObject("options").put("dvdi/driver", v.driver());
      v.options().forEach((k, value) -> options.put("dvdi/" + k, value));
      external.add(new DvdiVolume(v.name(), v.driver(), v.options(),
          Optional.of(Path.of(path)), false,
          "container.volumes[" + (volumes.size() - 1) + "].external"));
    }
    List<DvdiVolume> expected = new ArrayList<>(fromEnv);
    expected.addAll(external);
    assertEquals(expected, DvdiVolumes.fromMarathonApp(JSON.writeValueAsString(app)));
  }

  private static String suffix(int slot) {
    return slot == 0 ? "" : Integer.toString(slot);
  }

  /** The variables Marathon writes for a volume, the driver left out when it is the default. */
  private static Map<String, String> variables(Declared d, String prefix) {
    Map<String, String> variables = new LinkedHashMap<>();
    String s = suffix(d.slot());
    DvdiVolume v = d.volume();
    variables.put(prefix + "DVDI_VOLUME_NAME" + s, v.name());
    if (!v.driver().equals(DvdiVolumes.DEFAULT_DRIVER)) {
      variables.put(prefix + "DVDI_VOLUME_DRIVER" + s, v.driver());
    }
    if (!v.options().isEmpty()) {
      List<String> items = new ArrayList<>();
      v.options().forEach((k, value) -> items.add(k + "=" + value));
      variables.put(prefix + "DVDI_VOLUME_OPTS" + s, String.join(",", items));
    }
    v.containerPath().ifPresent(p -> variables.put(prefix + "DVDI_VOLUME_CONTAINERPATH" + s,
        p.toString()));
    if (v.explicitCreate()) {
      variables.put(prefix + "DVDI_VOLUME_EXPLICITCREATE" + s, "true");
    }
    return variables;
  }

  private static DvdiVolume withSource(DvdiVolume v, String source) {
    return new DvdiVolume(v.name(), v.driver(), v.options(), v.containerPath(),
        v.explicitCreate(), source);
  }

  /** What every volume a parse returns keeps. */
  private static void checkRules(List<DvdiVolume> volumes) {
    assertTrue(volumes.size() <= DvdiVolumes.MAX_VOLUMES, volumes.toString());
    Set<String> identities = new HashSet<>();
    Set<Path> paths = new HashSet<>();
    for (DvdiVolume v : volumes) {
      assertTrue(VolumeName.isLegal(v.name()), v.name());
      assertTrue(!v.driver().isEmpty() && v.driver().chars().noneMatch(
          c -> "%/:;<>|`$'?^& {\"}[]\\".indexOf(c) >= 0 || Character.isISOControl(c)),
          v.driver());
      assertTrue(identities.add(v.driver().toLowerCase(Locale.ROOT) + "/"
          + v.name().toLowerCase(Locale.ROOT)), volumes.toString());
      v.containerPath().ifPresent(p -> {
        assertTrue(p.isAbsolute(), p.toString());
        assertTrue(paths.add(p), volumes.toString());
      });
    }
  }

  @Provide
  Arbitrary<Map<String, String>> hostileEnvironments() {
    Arbitrary<String> names = Combinators.combine(Arbitraries.of(KINDS),
        Arbitraries.oneOf(Arbitraries.just(""), Arbitraries.strings().numeric().ofLength(1),
            Arbitraries.strings().ofMaxLength(3)))
        .as((kind, suffix) -> "DVDI_VOLUME_" + kind + suffix);
    Arbitrary<String> values = Arbitraries.oneOf(
        Arbitraries.of("", "testing", "rexray", "platform1", "/data", "/tmp/x", "data", "true",
            "false", "size=5,iops=150", "size=,x", "a=b,,c=d", "/a/../b", "TRUE"),
        Arbitraries.strings().ofMaxLength(12),
        Arbitraries.strings().withChars("ab1=,/ ;$%:._-").ofMaxLength(12));
    return Arbitraries.maps(Arbitraries.oneOf(names, Arbitraries.strings().ofMaxLength(8)),
        values).ofMaxSize(14);
  }

  @Provide
  Arbitrary<String> hostileApps() {
    Arbitrary<String> fragments = Arbitraries.of("{", "}", "[", "]", ",", ":", "\"env\"",
        "\"container\"", "\"volumes\"", "\"external\"", "\"dvdi\"", "\"provider\"", "\"name\"",
        "\"options\"", "\"dvdi/driver\"", "\"size\"", "1", "-1", "2.5", "null", "true",
        "\"MESOS\"", "\"type\"", "\"DVDI_VOLUME_NAME\"", "\"v\"", "\"/data\"",
        "\"containerPath\"", "\"instances\"", "\"mode\"", "\"RW\"", "\"upgradeStrategy\"");
    Arbitrary<String> soup = fragments.list().ofMaxSize(40).map(l -> String.join("", l));
    Arbitrary<String> shaped = Combinators.combine(
        Arbitraries.of("MESOS", "DOCKER", "", "mesos"),
        Arbitraries.of("v", "pgdata", "V", "a b", "", "x".repeat(70)),
        Arbitraries.of("/data", "data", "", "/a/../b", "."),
        Arbitraries.of("rexray", "platform1", "", "Bad", "a;b"),
        Arbitraries.of("", ", \"size\": 3", ", \"size\": 0", ", \"size\": \"3\""),
        Arbitraries.of("", ", \"dvdi/iops\": \"x\"", ", \"dvdi/volumetype\": \"io1\"",
            ", \"nokey\": \"1\"", ", \"dvdi/a:b\": \"1\""),
        Arbitraries.integers().between(0, 12),
        Arbitraries.of(0, 1, 2))
        .as((type, name, path, driver, size, extra, count, instances) -> {
          StringBuilder app = new StringBuilder("{\"instances\": " + instances
              + ", \"container\": {\"type\": \"" + type + "\", \"volumes\": [");
          for (int i = 0; i < count; i++) {
            app.append(i == 0 ? "" : ",").append("{\"containerPath\": \"").append(path)
                .append(i).append("\", \"external\": {\"name\": \"").append(name).append(i)
                .append("\", \"provider\": \"dvdi\"").append(size)
                .append(", \"options\": {\"dvdi/driver\": \"").append(driver).append("\"")
                .append(extra).append("}}}");
          }
          return app.append("]}}").toString();
        });
    return Arbitraries.oneOf(soup, shaped, Arbitraries.strings().ofMaxLength(30));
  }

  @Provide
  Arbitrary<List<Declared>> declarations() {
    Arbitrary<String> names = Arbitraries.strings().withCharRange('a', 'z').numeric()
        .withChars('-', '.', '_').ofMinLength(1).ofMaxLength(12)
        .filter(n -> Character.isLetterOrDigit(n.charAt(0)) && !n.contains("..")
            && !n.endsWith("-") && !n.endsWith(".") && !n.endsWith("_")
            && n.equals(n.toLowerCase(Locale.ROOT)));
    Arbitrary<String> drivers = Arbitraries.of("rexray", "platform1", "platform2", "fake");
    Arbitrary<Map<String, String>> options = Arbitraries.of(
        Map.<String, String>of(),
        Map.of("size", "5"),
        Map.of("size", "6", "volumetype", "gp2", "newfstype", "xfs", "overwritefs", "true"),
        Map.of("iops", "150", "volumetype", "io1"),
        Map.of("tier", "gold"));
    Arbitrary<Optional<Path>> paths = Arbitraries.strings().withCharRange('a', 'z')
        .ofMinLength(1).ofMaxLength(6).map(s -> Path.of("/mnt", s)).optional();
    Arbitrary<DvdiVolume> volumes = Combinators.combine(names, drivers, options, paths,
        Arbitraries.of(true, false))
        .as((name, driver, opts, path, explicit) -> new DvdiVolume(name, driver, opts, path,
            explicit, "x"));
    return Arbitraries.integers().between(0, 9).set().ofMaxSize(10)
        .flatMap(slots -> volumes.list().ofSize(slots.size())
            .filter(DvdiVolumesProperties::distinct)
            .map(list -> {
              List<Integer> sorted = slots.stream().sorted().toList();
              List<Declared> declared = new ArrayList<>();
              for (int i = 0; i < sorted.size(); i++) {
                declared.add(new Declared(sorted.get(i), list.get(i)));
              }
              return declared;
            }));
  }

  /** Volumes another declaration does not repeat: names, and container paths, distinct. */
  private static boolean distinct(List<DvdiVolume> volumes) {
    Set<String> names = new HashSet<>();
    Set<Path> paths = new HashSet<>();
    for (DvdiVolume v : volumes) {
      if (!names.add(v.name()) || v.containerPath().filter(p -> !paths.add(p)).isPresent()) {
        return false;
      }
    }
    return true;
  }
}
