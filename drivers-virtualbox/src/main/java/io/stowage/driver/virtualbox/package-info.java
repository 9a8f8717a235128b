/**
 * The VirtualBox storage driver, {@code virtualbox}: its provider and settings, the driver over
 * the hard disks in one directory of the VirtualBox host, a typed SOAP client for the vboxwebsrv
 * web service (document/literal SOAP 1.1 over the JDK's HTTP client, StAX for XML), one reused
 * web session renewed when VirtualBox drops it, the identification of the local VM by its
 * network adapters' MAC addresses, and the locator that finds an attached disk's block device
 * in the guest through {@code /dev/disk/by-id} or the serial number sysfs shows.
 */
package io.stowage.driver.virtualbox;
