package io.stowage.internal.config;

import io.stowage.config.StowageConfig.EffectiveSetting;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Gives each setting of the typed model its value: among the values the sources give, the
 * highest layer wins, then the highest-ranked spelling; a value that does not convert is a
 * problem and the next one applies, else the default. Records what each setting shows as in
 * {@code config show}, secrets masked.
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
  private final List<EffectiveSetting> effective = new ArrayList<>();

  Typing(Schema schema, Classifier classified, Findings findings, Secrets secrets) {
    this.schema = schema;
    this.classified = classified;
    this.findings = findings;
    this.secrets = secrets;
  }

  /**
   * Resolves a setting.
   *
   * @param <T> its type
   * @param setting the setting
   * @return its value, the default when no source gives a value that converts
   */
  <T> Typed<T> resolve(Setting<T> setting) {
    Typed<T> winner = new Typed<>(setting.defaultValue(), "default", Optional.empty());
    int winnerRank = -1;
    for (Classifier.Candidate c : classified.candidates(setting)) {
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
      int layer = winner.layer().map(Layer::ordinal).orElse(-1);
      if (c.layer().ordinal() > layer
          || c.layer().ordinal() == layer && c.spelling().rank() >= winnerRank) {
        winner = new Typed<>(value, c.source(), Optional.of(c.layer()));
        winnerRank = c.spelling().rank();
      }
    }
    effective.add(new EffectiveSetting(setting.key(),
        secrets.show(setting.show(winner.value())), winner.source()));
    return winner;
  }

  /** Returns what the settings resolved so far show as, in the order resolved. */
  List<EffectiveSetting> effective() {
    return List.copyOf(effective);
  }
}
