package io.stowage.internal.config;

import io.stowage.exception.ConfigurationException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The problems and warnings of one load. Every problem is kept once, so that all are reported
 * together; past {@link #MAX_LISTED} problems only their number is kept, which bounds the cost of
 * a hostile file with thousands of mistakes. Messages are masked with the configuration's
 * {@link Secrets} when they leave.
 */
final class Findings {
  /** The most problems listed one by one. */
  static final int MAX_LISTED = 100;

  private final Map<String, Supplier<String>> problems = new LinkedHashMap<>();
  private final Set<Layer> problemLayers = EnumSet.noneOf(Layer.class);
  private final Map<String, String> warnings = new LinkedHashMap<>();
  private int unlisted;
  private String fileLabel = "file";

  /** Names the file source in the exception's summary. */
  void fileLabel(String label) {
    this.fileLabel = label;
  }

  /**
   * Records a problem once per key; the message is composed only when it is listed.
   *
   * @param layer the source the problem is in
   * @param dedupKey problems with the same key are one problem
   * @param message the message: where, what, and what it must be
   */
  void problem(Layer layer, String dedupKey, Supplier<String> message) {
    if (problems.containsKey(dedupKey)) {
      return;
    }
    problemLayers.add(layer);
    if (problems.size() < MAX_LISTED) {
      problems.put(dedupKey, message);
    } else {
      unlisted++;
    }
  }

  /** Records a problem found in values from several layers. */
  void problem(Set<Layer> layers, String dedupKey, String message) {
    if (!problems.containsKey(dedupKey)) {
      problemLayers.addAll(layers);
      problem(layers.iterator().next(), dedupKey, message);
    }
  }

  /** Records a problem with a message already composed. */
  void problem(Layer layer, String dedupKey, String message) {
    problem(layer, dedupKey, () -> message);
  }

  /** Records a warning once per key. */
  void warning(String dedupKey, String message) {
    warnings.putIfAbsent(dedupKey, message);
  }

  boolean hasProblems() {
    return !problems.isEmpty();
  }

  /** Returns the exception listing every problem, secrets masked. */
  ConfigurationException failure(Secrets secrets) {
    List<String> listed = new ArrayList<>();
    problems.values().forEach(m -> listed.add(secrets.scrub(m.get())));
    if (unlisted > 0) {
      listed.add(unlisted + " more problems are not listed; fix the ones above first");
    }
    List<String> sources = new ArrayList<>();
    for (Layer layer : problemLayers) {
      sources.add(switch (layer) {
        case FILE -> fileLabel;
        case ENVIRONMENT -> "environment";
        case CODE -> "code";
      });
    }
    return new ConfigurationException(String.join(", ", sources), listed);
  }

  /** Returns the warnings, secrets masked. */
  List<String> warnings(Secrets secrets) {
    return warnings.values().stream().map(secrets::scrub).toList();
  }
}
