/**
 * The driver contract kit: {@link io.stowage.tck.StorageDriverContractTest}, the suite every
 * storage driver runs as a short subclass, asserting the documented behaviour of the SPI and
 * the documented error wherever a driver lacks a capability.
 */
package io.stowage.tck;
