/**
 * The real Linux host behind {@link io.stowage.spi.HostOs}: block devices, file systems and
 * mounts. Internal: not part of the API.
 */
package io.stowage.internal.os;
