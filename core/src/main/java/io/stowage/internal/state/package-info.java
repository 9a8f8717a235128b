/**
 * Durable per-host state: for each (service, volume) the driver, back-end ID, device, mount
 * point, data path, callers and the step in progress, one JSON file per volume written
 * atomically and forced to disk, so that an acknowledged mount or unmount survives a crash and
 * a half-done step can be repaired on the next start; and a lock per (driver, volume) that
 * excludes other threads and other processes of the host. {@link io.stowage.internal.state.StateStore} is the entry point.
 * Internal: not part of the API.
 */
package io.stowage.internal.state;
