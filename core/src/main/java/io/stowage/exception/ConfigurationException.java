package io.stowage.exception;

import java.util.List;

/**
 * The configuration is invalid. Every problem found is listed at once; secrets never appear in
 * the problems.
 */
public class ConfigurationException extends StowageException {
  private static final long serialVersionUID = 1L;

  /** Every problem found, one sentence each. */
  private final List<String> problems;

  /**
   * Creates the exception.
   *
   * @param source where the configuration came from (a file path, "environment", "code")
   * @param problems every problem found, one sentence each
   */
  public ConfigurationException(String source, List<String> problems) {
    super("invalid configuration in " + source + ":\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  /**
   * Returns every problem found.
   *
   * @return the problems, in the order found
   */
  public List<String> problems() {
    return problems;
  }
}
