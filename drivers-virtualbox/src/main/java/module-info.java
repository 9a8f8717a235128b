/**
 * The VirtualBox storage driver: disks hot-plugged through vboxwebsrv's SOAP web service.
 */
module io.stowage.driver.virtualbox {
  requires transitive io.stowage.core;
  requires java.net.http;
  requires java.xml;
  requires org.slf4j;

  exports io.stowage.driver.virtualbox;

  provides io.stowage.spi.StorageDriverProvider
      with io.stowage.driver.virtualbox.VirtualBoxDriverProvider;
}
