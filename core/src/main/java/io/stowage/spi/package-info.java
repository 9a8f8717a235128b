/**
 * What a storage driver implements, and what it may use of the host: a cheap, named
 * {@link io.stowage.spi.StorageDriverProvider} that creates a closeable
 * {@link io.stowage.spi.StorageDriver}, the control plane of one back end, and the host layer
 * {@link io.stowage.spi.HostOs} that the core formats and mounts through. Depends only on the
 * model and the exceptions.
 */
package io.stowage.spi;
