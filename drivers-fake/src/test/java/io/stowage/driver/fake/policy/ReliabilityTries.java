package io.stowage.driver.fake.policy;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Runs a property as many times as the system property {@value #TRIES_PROPERTY} says, when it
 * is set: the build's {@code reliability} profile sets it to 10,000 (ADR 0013). Otherwise the
 * property's own {@code tries} apply. The core's tests have the same hook; test classes are not
 * shared between modules.
 */
public final class ReliabilityTries implements AroundPropertyHook {
  /** The system property the {@code reliability} profile sets. */
  public static final String TRIES_PROPERTY = "stowage.reliability.tries";

  /** Added to a test class, the hook applies to each of its properties. */
  @Override
  public PropagationMode propagateTo() {
    return PropagationMode.ALL_DESCENDANTS;
  }

  @Override
  public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context,
      PropertyExecutor property) {
    String tries = System.getProperty(TRIES_PROPERTY, "");
    if (!tries.isBlank()) {
      context.attributes().setTries(Integer.parseInt(tries.strip()));
    }
    return property.execute();
  }
}
