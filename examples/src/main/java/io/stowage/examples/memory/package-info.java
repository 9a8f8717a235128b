/**
 * The memory driver: a storage driver written as one outside this project would be, against
 * the public API only ({@code io.stowage}, {@code model}, {@code exception}, {@code spi}).
 * Volumes live in the driver's memory; a volume attached to this instance shows up as a
 * simulated device, which a simulated host formats and mounts. {@code docs/writing-a-driver.md}
 * walks through it.
 */
package io.stowage.examples.memory;
