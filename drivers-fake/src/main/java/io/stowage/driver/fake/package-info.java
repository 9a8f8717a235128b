/**
 * The fake storage driver: a file-backed back end modelled on libStorage's vfs driver (JSON
 * records and sparse image files under one root, shared by processes and simulated
 * instances), real loop devices when running as root, fault injection, and
 * {@link io.stowage.driver.fake.SimulatedHost}, an in-memory host layer for tests without root.
 */
package io.stowage.driver.fake;
