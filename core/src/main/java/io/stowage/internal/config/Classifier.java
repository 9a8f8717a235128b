package io.stowage.internal.config;

import io.stowage.spi.DriverConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Sorts the inputs of the sources by what their keys are: values of the typed model's
 * settings, values of driver sections, keys of REX-Ray and libStorage that Stowage does not use
 * (a warning each), and mistakes (a problem each, naming the closest known key). Keeps aside
 * the values of keys that name a secret: declared secret by the driver whose section holds
 * them, or named like a password, secret or token anywhere.
 *
 * <p>One classifier sorts the keys of one scope: the whole configuration, or the keys below a
 * service ({@code rexray.modules.<name>.}), whose path it is given so that every message names
 * the key as written.
 */
final class Classifier {
  /** A value some source gives for a setting of the typed model. */
  record Candidate(Schema.Spelling spelling, String written, Object value, String source,
      Layer layer) {}

  /**
   * A value some source gives for a driver setting.
   *
   * @param key the key as written
   * @param value the raw value
   * @param source where it came from
   * @param layer the source's layer
   * @param aliasRank how the section root it was written under ranks (the driver's own name
   *     highest)
   */
  record DriverValue(String key, Object value, String source, Layer layer, int aliasRank) {}

  private final Schema schema;
  private final Map<String, DriverSchema> installed;
  private final Findings findings;
  private final String scope;
  private final Map<Setting<?>, List<Candidate>> candidates = new HashMap<>();
  private final Map<String, Map<String, DriverValue>> drivers = new TreeMap<>();
  private final Map<String, Set<String>> declaredSecrets = new HashMap<>();
  private final List<Object> secretValues = new ArrayList<>();

  Classifier(Schema schema, Map<String, DriverSchema> installed, Findings findings) {
    this(schema, installed, findings, "");
  }

  /**
   * Creates the classifier of a scope.
   *
   * @param scope the scope's key path with a trailing dot, as written
   *     ({@code rexray.modules.vb2.}), or empty for the whole configuration
   */
  Classifier(Schema schema, Map<String, DriverSchema> installed, Findings findings,
      String scope) {
    this.schema = schema;
    this.installed = installed;
    this.findings = findings;
    this.scope = scope;
  }

  /** Returns the scope's key path with a trailing dot; empty for the whole configuration. */
  String scope() {
    return scope;
  }

  /** Returns the values of keys that name a secret, as read. */
  List<Object> secretValues() {
    return secretValues;
  }

  /** Returns the normalized keys a driver declares secret; none for a driver not installed. */
  Set<String> declaredSecrets(String driver) {
    return declaredSecrets.computeIfAbsent(driver,
        d -> installed.containsKey(d) ? installed.get(d).secretKeys() : Set.of());
  }

  /** Returns the values given for a setting, in the order read. */
  List<Candidate> candidates(Setting<?> setting) {
    return candidates.getOrDefault(setting, List.of());
  }

  /**
   * Returns the values of each driver section that any source wrote, by driver name, each
   * setting's winner by its normalized key: the highest layer, then the highest-ranked root.
   */
  Map<String, Map<String, DriverValue>> driverValues() {
    return drivers;
  }

  /** Sorts one input. */
  void accept(Sources.Input input) {
    List<String> segments = input.segments();
    String source = input.source();
    Layer layer = input.layer();
    Schema.Resolution resolution = schema.resolve(segments);
    String written = scope + String.join(".", segments);
    boolean secret = resolution instanceof Schema.DriverKey key
        ? SectionKeys.isSecret(key.rest(), declaredSecrets(key.driver()))
        : DriverConfig.looksSecret(segments.get(segments.size() - 1));
    if (secret && input.value() != null) {
      secretValues.add(input.value());
    }
    if (resolution instanceof Schema.Leaf leaf) {
      candidates.computeIfAbsent(leaf.spelling().setting(), s -> new ArrayList<>())
          .add(new Candidate(leaf.spelling(), written, input.value(), source, layer));
    } else if (resolution instanceof Schema.BelowLeaf below) {
      String prefix = scope + String.join(".",
          segments.subList(0, below.spelling().key().split("\\.").length));
      findings.problem(layer, source + "|" + Schema.lower(prefix), source + ": " + prefix
          + " must be " + below.spelling().setting().expected() + ", not a mapping");
    } else if (resolution instanceof Schema.Unused unused) {
      String prefix = scope + String.join(".", segments.subList(0, unused.depth()));
      findings.warning(Schema.lower(scope + unused.known()), source + ": " + prefix
          + " is a REX-Ray/libStorage setting that Stowage does not use; ignored");
    } else if (resolution instanceof Schema.DriverKey key) {
      driverValue(key, input);
    } else if (resolution instanceof Schema.Interior) {
      if (!Values.isUnset(input.value())) {
        findings.problem(layer, source + "|" + Schema.lower(written), source + ": " + written
            + " is a group of settings and must be a mapping, not a value");
      }
    } else if (resolution instanceof Schema.Unknown unknown) {
      String prefix = scope + String.join(".", segments.subList(0, unknown.depth()));
      findings.problem(layer, Schema.lower(prefix) + "|" + layer, () -> source
          + ": unknown key " + prefix + schema.suggestion(unknown)
              .map(s -> " (did you mean " + s + "?)")
              .orElseGet(() -> "; known keys here: "
                  + String.join(", ", schema.siblings(unknown))));
    }
  }

  private void driverValue(Schema.DriverKey key, Sources.Input input) {
    Map<String, DriverValue> section =
        drivers.computeIfAbsent(key.driver(), d -> new TreeMap<>());
    if (key.rest().isEmpty()) {
      if (!Values.isUnset(input.value())) {
        findings.problem(input.layer(), input.source() + "|" + key.root(), input.source() + ": "
            + scope + input.segments().get(0) + " must be a mapping of the " + key.driver()
            + " driver's settings, not "
            + (input.value() instanceof List<?> ? "a list" : "a single value"));
      }
      return;
    }
    String normalized = SectionKeys.normalize(key.rest());
    if (normalized.isEmpty()) {
      findings.problem(input.layer(), input.source() + "|" + key.root() + "|" + key.rest(),
          input.source() + ": " + scope + String.join(".", input.segments()) + " does not name a"
              + " setting of the " + key.driver() + " driver");
      return;
    }
    int aliasRank = schema.precedence(key.root());
    DriverValue before = section.get(normalized);
    if (before == null || before.layer().compareTo(input.layer()) < 0
        || before.layer() == input.layer() && before.aliasRank() <= aliasRank) {
      section.put(normalized, new DriverValue(key.rest(), input.value(), input.source(),
          input.layer(), aliasRank));
    }
  }
}
