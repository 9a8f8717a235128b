/**
 * The fake storage driver: a file-backed back end for tests and demos (real loop devices as
 * root) and {@link io.stowage.driver.fake.SimulatedHost} for tests without root.
 */
module io.stowage.driver.fake {
  requires transitive io.stowage.core;
  requires org.slf4j;
  requires com.fasterxml.jackson.databind;

  exports io.stowage.driver.fake;

  // The store's records and the simulated host's mounts are mapped by Jackson.
  opens io.stowage.driver.fake to com.fasterxml.jackson.databind;

  provides io.stowage.spi.StorageDriverProvider with io.stowage.driver.fake.FakeDriverProvider;
}
