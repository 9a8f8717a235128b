/**
 * Stowage's core: the entry point ({@link io.stowage.Stowage}), the model, the exceptions, the
 * driver SPI and the effective configuration. Everything under {@code io.stowage.internal} is
 * implementation and not exported.
 */
module io.stowage.core {
  requires org.slf4j;
  requires org.yaml.snakeyaml;
  requires org.apache.commons.exec;
  requires com.fasterxml.jackson.databind;
  // O_DIRECT reads of a device's superblocks (com.sun.nio.file.ExtendedOpenOption).
  requires jdk.unsupported;

  exports io.stowage;
  exports io.stowage.config;
  exports io.stowage.exception;
  exports io.stowage.mesos;
  exports io.stowage.model;
  exports io.stowage.spi;

  // The host state's on-disk records are mapped by Jackson.
  opens io.stowage.internal.state to com.fasterxml.jackson.databind;

  uses io.stowage.spi.StorageDriverProvider;
}
