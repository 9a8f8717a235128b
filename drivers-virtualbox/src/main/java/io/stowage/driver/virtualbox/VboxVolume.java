package io.stowage.driver.virtualbox;

import java.util.List;
import java.util.Objects;

/**
 * A volume: a hard disk under the volume directory.
 *
 * @param id the medium UUID (the volume ID)
 * @param name the volume name: the file name without its extension
 * @param location the disk's full path on the VirtualBox host
 * @param logicalSize the size the guest sees, in bytes
 * @param machineIds the UUIDs of the machines the disk is attached to
 */
record VboxVolume(MediumUuid id, String name, String location, long logicalSize,
    List<String> machineIds) {
  /**
   * Validates the volume and copies its machine list.
   */
  VboxVolume {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(location, "location");
    machineIds = List.copyOf(machineIds);
  }
}
