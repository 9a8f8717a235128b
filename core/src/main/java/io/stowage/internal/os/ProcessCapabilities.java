package io.stowage.internal.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Linux capabilities this process holds, read from {@code CapEff} in
 * {@code /proc/self/status}. A container may run as root without some of them.
 */
final class ProcessCapabilities {
  /** {@code CAP_SYS_RESOURCE}, which growing a mounted ext file system needs. */
  static final int SYS_RESOURCE = 24;

  private ProcessCapabilities() {}

  /** The bit numbers of the effective capabilities; empty when they cannot be read. */
  static Set<Integer> effective() {
    try {
      return parse(Files.readString(Path.of("/proc/self/status"), StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Set.of();
    }
  }

  static Set<Integer> parse(String status) {
    Set<Integer> bits = new TreeSet<>();
    for (String line : status.split("\n")) {
      if (line.startsWith("CapEff:")) {
        long mask = Long.parseUnsignedLong(line.substring("CapEff:".length()).strip(), 16);
        for (int bit = 0; bit < Long.SIZE; bit++) {
          if ((mask & (1L << bit)) != 0) {
            bits.add(bit);
          }
        }
      }
    }
    return bits;
  }
}
