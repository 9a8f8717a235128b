/**
 * Benchmarks of the mount path: JMH benchmarks of mount and unmount pairs through the policy
 * layer with durable state, a baseline of the durable atomic file replace the state is made
 * of, and {@link io.stowage.benchmarks.CycleMain}, the SDK side of the whole-process cycle
 * benchmark. Run them with the {@code run-jmh} and {@code run-cycles} scripts of this module.
 */
package io.stowage.benchmarks;
