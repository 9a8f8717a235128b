/**
 * What a storage driver implements: a cheap, named {@link io.stowage.spi.StorageDriverProvider} that creates a closeable {@link io.stowage.spi.StorageDriver}, the control plane of one back end. Depends only on the model and the exceptions.
 */
package io.stowage.spi;
