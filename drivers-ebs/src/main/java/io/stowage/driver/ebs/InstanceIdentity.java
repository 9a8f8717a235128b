package io.stowage.driver.ebs;

import io.stowage.model.InstanceId;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The EC2 instance this process runs on.
 *
 * @param instanceId the instance ID
 * @param region the region it runs in
 * @param availabilityZone its availability zone
 */
record InstanceIdentity(InstanceId instanceId, String region, String availabilityZone) {
  /**
   * Validates the identity.
   */
  InstanceIdentity {
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(availabilityZone, "availabilityZone");
  }

  /**
   * Resolves the identity: configured values win, the instance metadata service gives the rest.
   * When all three are configured the metadata service is not asked at all (off EC2, tests).
   *
   * @param instanceId the configured instance ID
   * @param availabilityZone the configured availability zone
   * @param region the configured region
   * @param metadata the metadata service, asked at most once
   * @return the identity
   * @throws io.stowage.exception.ConfigurationException when the metadata service is needed and
   *     cannot be read
   */
  static InstanceIdentity resolve(Optional<String> instanceId, Optional<String> availabilityZone,
      Optional<String> region, Supplier<InstanceMetadata> metadata) {
    if (instanceId.isPresent() && availabilityZone.isPresent() && region.isPresent()) {
      return new InstanceIdentity(InstanceId.of(instanceId.get()), region.get(),
          availabilityZone.get());
    }
    InstanceIdentity read = metadata.get().identity();
    return new InstanceIdentity(instanceId.map(InstanceId::of).orElse(read.instanceId()),
        region.orElse(read.region()), availabilityZone.orElse(read.availabilityZone()));
  }
}
