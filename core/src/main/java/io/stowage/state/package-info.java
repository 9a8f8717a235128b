/**
 * Durable per-host state: callers, devices, mount paths and intents, persisted so that an acknowledged mount or unmount survives a crash.
 */
package io.stowage.state;
