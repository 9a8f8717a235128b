package io.stowage.model;

import java.util.Objects;
import java.util.Optional;

/**
 * A host that volumes attach to, as the back end knows it.
 *
 * @param id the back end's identifier
 * @param name a readable name (the VM name, the instance's Name tag), or the ID
 * @param availabilityZone the zone the instance runs in, where the back end has zones
 */
public record Instance(InstanceId id, String name, Optional<String> availabilityZone) {
  /**
   * Validates the instance.
   *
   * @param id the back end's identifier
   * @param name a readable name (the VM name, the instance's Name tag), or the ID
   * @param availabilityZone the zone the instance runs in, where the back end has zones
   */
  public Instance {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(availabilityZone, "availabilityZone");
  }
}
