package io.stowage.internal.config;

import io.stowage.config.ServiceConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Sorts the inputs of the sources by scope: the whole configuration, a declared service, or
 * libStorage's server scope. A service is declared as {@code stowage.services.<name>},
 * {@code libstorage.server.services.<name>} or {@code rexray.modules.<name>}; below its name
 * lie its own keys ({@code driver}, REX-Ray's {@code type}, {@code desc}, {@code host},
 * {@code spec}, {@code disabled}, {@code libstorage.service}) and any key of the whole
 * configuration, repeated to override it for that service. libStorage's server scope,
 * {@code libstorage.server.<driver section>} and {@code libstorage.server.integration}, holds
 * what every libStorage service inherits. libStorage's services may drop the {@code libstorage}
 * root of {@code libstorage.integration}, as its documentation does, and Stowage's services the
 * {@code stowage} root of {@code stowage.volume} and the rest of its tree.
 */
final class ServiceScopes {
  /** How a configuration declares services, with the keys a service of each spelling owns. */
  enum Spelling {
    /** {@code stowage.services.<name>}. */
    STOWAGE(List.of("stowage", "services"), Set.of("driver", "desc", "host", "spec", "disabled")),
    /** {@code libstorage.server.services.<name>}. */
    LIBSTORAGE(List.of("libstorage", "server", "services"), Set.of("driver")),
    /** {@code rexray.modules.<name>}: REX-Ray 0.3's modules. */
    REXRAY(List.of("rexray", "modules"), Set.of("type", "desc", "host", "spec", "disabled"));

    private final List<String> path;
    private final Set<String> ownKeys;

    Spelling(List<String> path, Set<String> ownKeys) {
      this.path = path;
      this.ownKeys = ownKeys;
    }

    /** The key path a service's name follows, with a trailing dot. */
    String prefix() {
      return String.join(".", path) + ".";
    }
  }

  /** Own key of a REX-Ray module naming the libStorage service it serves. */
  static final String SERVICE = "libstorage.service";
  /** Own key of a REX-Ray module naming its driver: any spelling of the storage drivers. */
  static final String STORAGE_DRIVERS = "storagedrivers";

  /**
   * A value of a service's own key.
   *
   * @param written the full key as written
   * @param value the raw value
   * @param source where it came from
   * @param layer the source's layer
   */
  record Own(String written, Object value, String source, Layer layer) {}

  /** One service as the configuration declares it in one spelling. */
  static final class Declaration {
    private final Spelling spelling;
    private final String name;
    private final int order;
    private final String source;
    private final Classifier overrides;
    private final Map<String, Own> own = new LinkedHashMap<>();

    Declaration(Spelling spelling, String name, int order, String source, Classifier overrides) {
      this.spelling = spelling;
      this.name = name;
      this.order = order;
      this.source = source;
      this.overrides = overrides;
    }

    Spelling spelling() {
      return spelling;
    }

    String name() {
      return name;
    }

    /** The position of the declaration's first key among all inputs. */
    int order() {
      return order;
    }

    /** Where the declaration's first key came from. */
    String source() {
      return source;
    }

    /** The key path of the service, with a trailing dot. */
    String path() {
      return overrides.scope();
    }

    /** The key that declares the service, as written: {@code rexray.modules.vb2}. */
    String key() {
      return path().substring(0, path().length() - 1);
    }

    /** The keys that override the whole configuration's for this service. */
    Classifier overrides() {
      return overrides;
    }

    /** The value of an own key: the highest layer's, the last one given in that layer. */
    Optional<Own> own(String key) {
      return Optional.ofNullable(own.get(key));
    }

    private void put(String key, Own value) {
      Own before = own.get(key);
      if (before == null || before.layer().compareTo(value.layer()) <= 0) {
        own.put(key, value);
      }
    }
  }

  private final Schema schema;
  private final Map<String, DriverSchema> installed;
  private final Findings findings;
  private final Classifier global;
  private final Classifier server;
  private final Map<Spelling, Map<String, Declaration>> declared = new EnumMap<>(Spelling.class);
  private int inputs;

  ServiceScopes(Schema schema, Map<String, DriverSchema> installed, Findings findings) {
    this.schema = schema;
    this.installed = installed;
    this.findings = findings;
    this.global = new Classifier(schema, installed, findings);
    this.server = new Classifier(schema, installed, findings, "libstorage.server.");
    for (Spelling spelling : Spelling.values()) {
      declared.put(spelling, new LinkedHashMap<>());
    }
  }

  /** The keys of the whole configuration. */
  Classifier global() {
    return global;
  }

  /** libStorage's server scope, which its services inherit. */
  Classifier server() {
    return server;
  }

  /** The services declared in one spelling, in the order first written. */
  Collection<Declaration> declared(Spelling spelling) {
    return declared.get(spelling).values();
  }

  /** Every scope's classifier, for the secrets they hold. */
  List<Classifier> classifiers() {
    List<Classifier> all = new ArrayList<>(List.of(global, server));
    declared.values().forEach(m -> m.values().forEach(d -> all.add(d.overrides())));
    return all;
  }

  /** Sorts one input into its scope. */
  void accept(Sources.Input input) {
    inputs++;
    List<String> segments = input.segments();
    List<String> lower = segments.stream().map(Schema::lower).toList();
    for (Spelling spelling : Spelling.values()) {
      int depth = spelling.path.size();
      if (lower.size() >= depth && lower.subList(0, depth).equals(spelling.path)) {
        declaration(spelling, segments, lower, input);
        return;
      }
    }
    if (lower.size() >= 3 && lower.get(0).equals("libstorage") && lower.get(1).equals("server")
        && (schema.sections().containsKey(lower.get(2)) || lower.get(2).equals("integration")
            || lower.get(2).equals("libstorage"))) {
      List<String> rest = segments.subList(2, segments.size());
      server.accept(rooted(input, lower.get(2).equals("integration")
          ? prepend("libstorage", rest) : rest));
      return;
    }
    global.accept(input);
  }

  private void declaration(Spelling spelling, List<String> segments, List<String> lower,
      Sources.Input input) {
    int depth = spelling.path.size();
    String written = String.join(".", segments);
    if (lower.size() == depth) {
      if (!Values.isUnset(input.value())) {
        findings.problem(input.layer(), input.source() + "|" + Schema.lower(written),
            input.source() + ": " + written + " must be a mapping of services by name, not a"
                + " value");
      }
      return;
    }
    String name = lower.get(depth);
    if (!ServiceConfig.isValidName(name)) {
      findings.problem(input.layer(), "service-name|" + spelling.prefix() + name,
          input.source() + ": " + spelling.prefix() + segments.get(depth) + " is not a service"
              + " name: it must be " + ServiceConfig.NAME_RULE);
      return;
    }
    Declaration declaration = declared.get(spelling).computeIfAbsent(name,
        n -> new Declaration(spelling, n, inputs, input.source(), new Classifier(schema,
            installed, findings, spelling.prefix() + segments.get(depth) + ".")));
    List<String> rest = segments.subList(depth + 1, segments.size());
    if (rest.isEmpty()) {
      if (!Values.isUnset(input.value())) {
        findings.problem(input.layer(), input.source() + "|" + Schema.lower(written),
            input.source() + ": " + written + " must be a mapping of the service's settings,"
                + " not a value");
      }
      return;
    }
    serviceKey(declaration, rest, input, written);
  }

  /** Sorts a key below a service: one of its own, or an override. */
  private void serviceKey(Declaration declaration, List<String> rest, Sources.Input input,
      String written) {
    Spelling spelling = declaration.spelling();
    String key = String.join(".", rest).toLowerCase(Locale.ROOT);
    Own value = new Own(written, input.value(), input.source(), input.layer());
    if (spelling.ownKeys.contains(key)) {
      declaration.put(key, value);
      return;
    }
    if (spelling == Spelling.REXRAY && key.equals(SERVICE)) {
      declaration.put(SERVICE, value);
      return;
    }
    String root = Schema.lower(rest.get(0));
    if (Schema.SERVICE_KEYS.stream().anyMatch(k -> (key + ".").startsWith(k + "."))) {
      findings.problem(input.layer(), input.source() + "|" + Schema.lower(written),
          input.source() + ": " + written + ": services are declared at the top of the"
              + " configuration, not inside a service");
      return;
    }
    List<String> segments = rest;
    if (spelling == Spelling.LIBSTORAGE && root.equals("integration")
        || spelling == Spelling.STOWAGE && isStowageChild(root)) {
      segments = prepend(spelling == Spelling.STOWAGE ? "stowage" : "libstorage", rest);
    }
    Schema.Resolution resolution = schema.resolve(segments);
    Setting<?> setting = resolution instanceof Schema.Leaf leaf ? leaf.spelling().setting()
        : resolution instanceof Schema.BelowLeaf below ? below.spelling().setting() : null;
    if (setting == Schema.STORAGE_DRIVERS && spelling == Spelling.REXRAY) {
      declaration.put(STORAGE_DRIVERS, value);
    } else if (setting == Schema.STORAGE_DRIVERS || setting == Schema.DEFAULT_SERVICE
        || setting == Schema.STATE_DIRECTORY) {
      findings.problem(input.layer(), input.source() + "|" + Schema.lower(written),
          input.source() + ": " + written + " cannot be set for one service: "
              + (setting == Schema.STATE_DIRECTORY ? "the host has one state directory"
                  : "a service names its driver with " + declaration.path() + "driver"));
    } else if (resolution instanceof Schema.Unknown && rest.size() == 1) {
      ownKeyMisspelt(declaration, rest.get(0), input, written);
    } else {
      declaration.overrides().accept(rooted(input, segments));
    }
  }

  /** A one-segment key below a service that is neither its own nor a setting. */
  private void ownKeyMisspelt(Declaration declaration, String key, Sources.Input input,
      String written) {
    List<String> known = new ArrayList<>(declaration.spelling().ownKeys);
    if (declaration.spelling() == Spelling.REXRAY) {
      known.add("libstorage");
      known.add("rexray");
    }
    known.sort(null);
    findings.problem(input.layer(), input.source() + "|" + Schema.lower(written), () ->
        input.source() + ": unknown key " + written + Schema.closest(Schema.lower(key), known)
            .map(k -> " (did you mean " + declaration.path() + k + "?)")
            .orElse("; a service's own keys are " + String.join(", ", known)
                + ", and any setting of the configuration may be repeated below it"));
  }

  /**
   * Whether a key is a child of the {@code stowage:} tree ({@code volume}, {@code device}, ...),
   * which a Stowage service writes without its root, as libStorage's services write
   * {@code integration}.
   */
  private static boolean isStowageChild(String root) {
    return Schema.SETTINGS.stream().map(s -> Schema.lower(s.key()))
        .anyMatch(k -> k.equals("stowage." + root) || k.startsWith("stowage." + root + "."));
  }

  private static Sources.Input rooted(Sources.Input input, List<String> segments) {
    return new Sources.Input(List.copyOf(segments), input.value(), input.source(),
        input.layer());
  }

  private static List<String> prepend(String root, List<String> rest) {
    List<String> out = new ArrayList<>(rest.size() + 1);
    out.add(root);
    out.addAll(rest);
    return out;
  }
}
