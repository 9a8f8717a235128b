/**
 * The contract kit every storage driver runs: {@link io.stowage.tck.StorageDriverContractTest},
 * an ordinary JUnit 5 suite that a driver's test subclasses.
 */
module io.stowage.tck {
  requires transitive io.stowage.core;
  requires transitive org.junit.jupiter.api;

  exports io.stowage.tck;

  // JUnit finds and runs the kit's test methods reflectively.
  opens io.stowage.tck to org.junit.platform.commons;

  uses io.stowage.spi.StorageDriverProvider;
}
