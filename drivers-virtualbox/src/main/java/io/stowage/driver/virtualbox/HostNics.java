package io.stowage.driver.virtualbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MAC addresses of this host's network interfaces, read from sysfs
 * ({@code /sys/class/net/<interface>/address}) without running a command. Addresses are
 * upper-case hex digits without separators, the form VirtualBox reports adapters in.
 */
final class HostNics {
  private static final Logger LOG = LoggerFactory.getLogger(HostNics.class);
  private static final String NO_ADDRESS = "000000000000";

  private final Path netRoot;

  /**
   * Reads interfaces under a directory.
   *
   * @param netRoot the directory with one subdirectory per interface
   */
  HostNics(Path netRoot) {
    this.netRoot = netRoot;
  }

  /**
   * Returns the interfaces' MAC addresses. Interfaces without an address file, with an
   * unreadable one, or with the all-zero address (the loopback) are left out.
   *
   * @return the addresses, sorted
   */
  Set<String> macAddresses() {
    Set<String> macs = new TreeSet<>();
    if (!Files.isDirectory(netRoot)) {
      return macs;
    }
    try (DirectoryStream<Path> interfaces = Files.newDirectoryStream(netRoot)) {
      for (Path nic : interfaces) {
        Path address = nic.resolve("address");
        if (!Files.isRegularFile(address)) {
          continue;
        }
        try {
          String mac = normalize(Files.readString(address, StandardCharsets.US_ASCII));
          if (mac.length() == 12 && !mac.equals(NO_ADDRESS)) {
            macs.add(mac);
          }
        } catch (IOException e) {
          LOG.debug("cannot read {}: {}", address, e.toString());
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot list network interfaces under {}: {}", netRoot, e.toString());
    }
    return macs;
  }

  /**
   * Returns the directory read.
   *
   * @return the directory
   */
  Path netRoot() {
    return netRoot;
  }

  /**
   * Brings a MAC address to VirtualBox's form.
   *
   * @param mac an address such as {@code 08:00:27:ab:cd:ef}
   * @return {@code 080027ABCDEF}
   */
  static String normalize(String mac) {
    StringBuilder out = new StringBuilder(12);
    for (char c : mac.strip().toCharArray()) {
      if (Character.digit(c, 16) >= 0) {
        out.append(c);
      }
    }
    return out.toString().toUpperCase(Locale.ROOT);
  }
}
