package io.stowage.internal.config;

import io.stowage.config.StowageConfig.EffectiveSetting;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Gives each setting of the typed model its value: among the values the sources give, the
 * highest layer wins, then the highest-ranked spelling; a value that does not convert is a
 * problem and the next one applies, else the default. Records what each setting shows as in
 * {@code config show}, secrets masked.
 *
 * <p>A service's value of a setting comes from the most specific of its scopes that gives one
 * (a REX-Ray module, then the service's own keys, then libStorage's server scope), else from the
 * whole configuration: a service's override wins over a global value from any source.
 */
final class Typing {
  /**
   * A setting's value and where it came from.
   *
   * @param <T> the value's type
   * @param value the value
   * @param source where it came from, or {@code default}
   * @param layer the source's layer; empty for the default
   */
  record Typed<T>(T value, String source, Optional<Layer> layer) {}

  private final Schema schema;
  private final Classifier classified;
  private final Findings findings;
  private final Secrets secrets;
  private final Map<Setting<?>, Typed<?>> resolved = new HashMap<>();
  private final List<EffectiveSetting> effective = new ArrayList<>();

  Typing(Schema schema, Classifier classified, Findings findings, Secrets secrets) {
    this.schema = schema;
    this.classified = classified;
    this.findings = findings;
    this.secrets = secrets;
  }

  /**
   * Resolves a setting of the whole configuration; the first call records it for display.
   *
   * @param <T> its type
   * @param setting the setting
   * @return its value, the default when no source gives a value that converts
   */
  <T> Typed<T> resolve(Setting<T> setting) {
    @SuppressWarnings("unchecked")
    Typed<T> known = (Typed<T>) resolved.get(setting);
    if (known != null) {
      return known;
    }
    Typed<T> winner = winner(classified, setting)
        .orElseGet(() -> new Typed<>(setting.defaultValue(), "default", Optional.empty()));
    resolved.put(setting, winner);
    effective.add(new EffectiveSetting(setting.key(),
        secrets.show(setting.show(winner.value())), winner.source()));
    return winner;
  }

  /**
   * Resolves a setting for a service: the value of the first of its scopes that gives one,
   * else the whole configuration's.
   *
   * @param <T> its type
   * @param scopes the service's scopes, most specific first
   * @param setting the setting
   * @return its value
   */
  <T> Typed<T> resolve(List<Classifier> scopes, Setting<T> setting) {
    for (Classifier scope : scopes) {
      Optional<Typed<T>> value = winner(scope, setting);
      if (value.isPresent()) {
        return value.get();
      }
    }
    return resolve(setting);
  }

  /**
   * Returns the value a scope gives a setting, if any: the highest layer, then the
   * highest-ranked spelling, among the values that convert; the others are problems.
   */
  <T> Optional<Typed<T>> winner(Classifier scope, Setting<T> setting) {
    Typed<T> winner = null;
    int winnerRank = -1;
    for (Classifier.Candidate c : scope.candidates(setting)) {
      if (Values.isUnset(c.value())) {
        continue;
      }
      T value;
      try {
        value = setting.convert(c.value(), schema);
      } catch (Values.BadValue bad) {
        findings.problem(c.layer(), c.source() + "|" + Schema.lower(c.written()), c.source()
            + ": " + c.written() + " " + secrets.quoted(Values.display(c.value())) + " "
            + bad.getMessage());
        continue;
      }
      int layer = winner == null ? -1 : winner.layer().map(Layer::ordinal).orElse(-1);
      if (c.layer().ordinal() > layer
          || c.layer().ordinal() == layer && c.spelling().rank() >= winnerRank) {
        winner = new Typed<>(value, c.source(), Optional.of(c.layer()));
        winnerRank = c.spelling().rank();
      }
    }
    return Optional.ofNullable(winner);
  }

  /** Returns what the settings resolved so far show as, in the order resolved. */
  List<EffectiveSetting> effective() {
    return List.copyOf(effective);
  }
}
