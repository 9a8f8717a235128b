package io.stowage.internal.config;

import io.stowage.exception.InvalidArgumentException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the three sources, the file (or YAML text), the environment and the settings given in
 * code, into {@link Input}s: key paths as written with raw values. A source's own problems (a
 * file that cannot be read, an unknown {@code STOWAGE_} variable) go to the {@link Findings}.
 */
final class Sources {
  private static final Logger LOG = LoggerFactory.getLogger(Sources.class);
  private static final char REPLACEMENT = '\uFFFD';

  /**
   * One value a source gives.
   *
   * @param segments the key path as written
   * @param value null, scalar text, a list of text, or a {@link Values.Shape}
   * @param source where it came from: {@code file.yml:12}, {@code env EBS_REGION}, {@code code}
   * @param layer the source's layer
   */
  record Input(List<String> segments, Object value, String source, Layer layer) {}

  private final Schema schema;
  private final Map<String, DriverSchema> installed;
  private final Findings findings;
  private final List<Input> inputs = new ArrayList<>();

  Sources(Schema schema, Map<String, DriverSchema> installed, Findings findings) {
    this.schema = schema;
    this.installed = installed;
    this.findings = findings;
  }

  /** Returns what the sources read so far, in the order read. */
  List<Input> inputs() {
    return inputs;
  }

  /**
   * Reads the file: an explicit one, else YAML text, else the first path of the locations
   * searched where anything exists.
   */
  void file(Path explicit, String yamlName, String yamlText, List<Path> searched) {
    Path chosen = explicit;
    if (chosen == null && yamlText != null) {
      findings.fileLabel(yamlName);
      yaml(yamlName, yamlText);
      return;
    }
    if (chosen == null) {
      chosen = searched.stream().filter(p -> Files.exists(p, LinkOption.NOFOLLOW_LINKS))
          .findFirst().orElse(null);
      if (chosen == null) {
        LOG.debug("no configuration file in {}; using the built-in defaults", searched);
        return;
      }
    }
    String name = chosen.toString();
    findings.fileLabel(name);
    String text;
    try {
      text = ConfigFile.read(chosen);
    } catch (ConfigFile.Unreadable e) {
      findings.problem(Layer.FILE, "file",
          name + (e.line() > 0 ? ":" + e.line() : "") + ": " + e.getMessage());
      return;
    }
    LOG.debug("reading configuration file {}", chosen);
    yaml(name, text);
  }

  private void yaml(String name, String text) {
    YamlReader.Document document = YamlReader.read(name, text);
    document.problems().forEach(p -> findings.problem(Layer.FILE, p, p));
    for (YamlReader.RawEntry entry : document.entries()) {
      inputs.add(new Input(entry.segments(), entry.value(), name + ":" + entry.line(),
          Layer.FILE));
    }
  }

  /**
   * Reads the environment: {@code STOWAGE_}, {@code REXRAY_} and {@code LIBSTORAGE_} variables,
   * the {@code DOCKER_} and {@code LINUX_} variables of REX-Ray's keys, and {@code NAME_SETTING}
   * variables of installed drivers. A service's keys are its declaration's path, its name and
   * the key, as REX-Ray's {@code REXRAY_MODULES_DEFAULT-DOCKER_VIRTUALBOX_ENDPOINT}. Other
   * variables are left alone.
   */
  void environment(Map<String, String> environment) {
    for (Map.Entry<String, String> e : new TreeMap<>(environment).entrySet()) {
      String name = e.getKey();
      String value = e.getValue();
      if (value.isBlank()) {
        continue;
      }
      String upper = name.toUpperCase(Locale.ROOT);
      String source = "env " + name;
      Optional<String> key = schema.keyOfEnv(upper);
      if (scopedVariable(upper, name, value)) {
        continue;
      }
      if (upper.startsWith("STOWAGE_")) {
        if (key.isPresent()) {
          variable(split(key.get()), name, value);
        } else {
          findings.problem(Layer.ENVIRONMENT, "env:" + upper, () -> source
              + ": unknown environment variable " + name
              + Schema.closest(upper, schema.envNamesWithPrefix("STOWAGE_"))
                  .map(k -> " (did you mean " + k + "?)").orElse("; unset it"));
        }
      } else if (upper.startsWith("REXRAY_") || upper.startsWith("LIBSTORAGE_")) {
        if (key.isPresent()) {
          variable(split(key.get()), name, value);
        } else {
          Optional<String> unused = schema.unusedOfEnv(upper);
          String tool = upper.startsWith("REXRAY_") ? "REX-Ray" : "libStorage";
          findings.warning("env:" + upper, unused.isPresent()
              ? source + ": " + unused.get() + " is a " + tool
                  + " setting that Stowage does not use; ignored"
              : source + ": not a " + tool + " setting Stowage knows; ignored");
        }
      } else if (upper.startsWith("DOCKER_") || upper.startsWith("LINUX_")) {
        key.ifPresent(k -> variable(split(k), name, value));
      } else {
        driverVariable(upper, name, value);
      }
    }
  }

  /**
   * Reads a variable below a service ({@code STOWAGE_SERVICES_<NAME>_<KEY>},
   * {@code LIBSTORAGE_SERVER_SERVICES_<NAME>_<KEY>}, {@code REXRAY_MODULES_<NAME>_<KEY>}) or in
   * libStorage's server scope ({@code LIBSTORAGE_SERVER_<SECTION>_<KEY>}). A service's name
   * holds no {@code _}, so the first one after it ends it.
   *
   * @return whether the variable was one of those, read or reported
   */
  private boolean scopedVariable(String upper, String name, String value) {
    String source = "env " + name;
    for (String declaring : Schema.SERVICE_KEYS) {
      String prefix = Schema.envName(declaring) + "_";
      if (!upper.startsWith(prefix)) {
        continue;
      }
      String rest = upper.substring(prefix.length());
      int end = rest.indexOf('_');
      Optional<List<String>> key = end <= 0 ? Optional.empty()
          : serviceKey(rest.substring(end + 1), declaring);
      if (key.isEmpty()) {
        String message = source + ": not a setting of a service ("
            + Schema.envName(declaring) + "_<NAME>_<KEY>, the key being a service's own, such"
            + " as HOST or DRIVER, or any setting's variable without its name's root)";
        if (upper.startsWith("STOWAGE_")) {
          findings.problem(Layer.ENVIRONMENT, "env:" + upper, message);
        } else {
          findings.warning("env:" + upper, message + "; ignored");
        }
        return true;
      }
      List<String> segments = new ArrayList<>(split(declaring));
      segments.add(rest.substring(0, end).toLowerCase(Locale.ROOT));
      segments.addAll(key.get());
      variable(segments, name, value);
      return true;
    }
    String server = "LIBSTORAGE_SERVER_";
    if (upper.startsWith(server) && !upper.startsWith(server + "SERVICES_")) {
      Optional<List<String>> key = serviceKey(upper.substring(server.length()),
          "libstorage.server")
          .filter(k -> k.size() > 1 && (schema.sections().containsKey(k.get(0))
              || k.get(0).equals("libstorage")));
      if (key.isPresent()) {
        List<String> segments = new ArrayList<>(List.of("libstorage", "server"));
        segments.addAll(key.get());
        variable(segments, name, value);
        return true;
      }
    }
    return false;
  }

  /**
   * The key a variable's tail names below a service: one of a service's own keys, a setting of
   * the configuration, libStorage's {@code INTEGRATION_} settings or Stowage's settings without
   * their root (as the service's own spelling writes them), or a setting of an installed
   * driver's section.
   */
  private Optional<List<String>> serviceKey(String tail, String declaring) {
    for (String own : List.of("DRIVER", "TYPE", "DESC", "HOST", "SPEC", "DISABLED")) {
      if (tail.equals(own)) {
        return Optional.of(List.of(own.toLowerCase(Locale.ROOT)));
      }
    }
    if (tail.equals("LIBSTORAGE_SERVICE")) {
      return Optional.of(List.of("libstorage", "service"));
    }
    Optional<String> key = schema.keyOfEnv(tail);
    if (key.isEmpty() && declaring.startsWith("libstorage.") && tail.startsWith("INTEGRATION_")) {
      key = schema.keyOfEnv("LIBSTORAGE_" + tail);
    }
    if (key.isEmpty() && declaring.startsWith("stowage.")) {
      key = schema.keyOfEnv("STOWAGE_" + tail);
    }
    if (key.isPresent()) {
      return Optional.of(split(key.get()));
    }
    for (Map.Entry<String, String> section : schema.sections().entrySet()) {
      String prefix = Schema.envName(section.getKey()) + "_";
      if (tail.startsWith(prefix) && tail.length() > prefix.length()) {
        return Optional.of(List.of(section.getKey(),
            tail.substring(prefix.length()).toLowerCase(Locale.ROOT)));
      }
    }
    return Optional.empty();
  }

  /**
   * {@code NAME_SETTING} sets a setting of an installed driver. Under one of its section
   * aliases ({@code AWS_}, {@code EC2_}), which other tools' variables share, only the
   * settings the driver declares are read.
   */
  private void driverVariable(String upper, String name, String value) {
    for (Map.Entry<String, String> section : schema.sections().entrySet()) {
      String root = section.getKey();
      DriverSchema declared = installed.get(section.getValue());
      String prefix = Schema.envName(root) + "_";
      if (declared == null || !upper.startsWith(prefix) || upper.length() == prefix.length()) {
        continue;
      }
      String rest = upper.substring(prefix.length()).toLowerCase(Locale.ROOT);
      if (root.equals(declared.name())
          || declared.keys().contains(SectionKeys.normalize(rest))) {
        variable(List.of(root, rest), name, value);
      }
      return;
    }
  }

  /**
   * Takes a variable Stowage reads. A value the JVM could not decode (the environment holds
   * bytes that are not text in its encoding) is refused: it would otherwise arrive with every
   * such byte replaced by U+FFFD. The value is never shown.
   */
  private void variable(List<String> segments, String name, String value) {
    String source = "env " + name;
    if (value.indexOf(REPLACEMENT) >= 0) {
      findings.problem(Layer.ENVIRONMENT, "env:" + name, source + ": the value is not text in"
          + " the encoding Java reads the environment with ("
          + System.getProperty("sun.jnu.encoding", "UTF-8") + "); set it as UTF-8 text, and"
          + " run Java in a UTF-8 locale such as LANG=C.UTF-8");
      return;
    }
    inputs.add(new Input(segments, value, source, Layer.ENVIRONMENT));
  }

  /**
   * Reads the settings given in code; a map value is a group of settings below its key, at
   * most {@link YamlReader#MAX_DEPTH} levels deep.
   */
  void code(List<Map.Entry<String, Object>> settings) {
    for (Map.Entry<String, Object> e : settings) {
      String key = e.getKey();
      List<String> segments = split(key);
      if (segments.stream().anyMatch(String::isBlank)) {
        findings.problem(Layer.CODE, "code:" + key, "code: the setting key "
            + InvalidArgumentException.quote(key) + " is not a dotted key such as"
            + " stowage.volume.mount.preempt");
        continue;
      }
      code(segments, e.getValue());
    }
  }

  private void code(List<String> segments, Object value) {
    if (value instanceof Map<?, ?> map && !map.isEmpty()) {
      if (segments.size() >= YamlReader.MAX_DEPTH) {
        findings.problem(Layer.CODE, "code-depth:" + segments.get(0), "code: the settings"
            + " below " + segments.get(0) + " nest deeper than " + YamlReader.MAX_DEPTH
            + " levels (does a map hold itself?)");
        return;
      }
      for (Map.Entry<?, ?> child : map.entrySet()) {
        List<String> path = new ArrayList<>(segments);
        path.addAll(split(String.valueOf(child.getKey())));
        code(path, child.getValue());
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
    inputs.add(new Input(segments, raw, "code", Layer.CODE));
  }

  private static List<String> split(String key) {
    return Arrays.asList(key.split("\\.", -1));
  }
}
