/**
 * The entry point of the SDK: {@link io.stowage.Stowage} opens a configuration, loads the
 * configured storage drivers through the {@link io.stowage.DriverRegistry} and hands out one
 * {@link io.stowage.VolumeService} per driver.
 */
package io.stowage;
